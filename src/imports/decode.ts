import iconv from 'iconv-lite';

export const textEncodings = ['utf-8', 'windows-1252'] as const;
export type TextEncoding = (typeof textEncodings)[number];
/** 'auto' (the default) decides from the bytes: see decodeText. */
export type EncodingChoice = TextEncoding | 'auto';

/** The bytes cannot be read in the chosen encoding. */
export class EncodingError extends Error {}

interface ChunkDecoder {
  write(bytes: Uint8Array): string;
  end(): string;
}

function decoderFor(encoding: TextEncoding): ChunkDecoder {
  // A single-byte encoding: every chunk decodes on its own.
  if (encoding === 'windows-1252') return { write: (bytes) => iconv.decode(bytes, 'windows-1252'), end: () => '' };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const decode = (bytes: Uint8Array, stream: boolean): string => {
    try {
      return utf8.decode(bytes, { stream });
    } catch {
      throw new EncodingError('the file is not valid UTF-8: save it as UTF-8, or send it with encoding=windows-1252');
    }
  };
  return { write: (bytes) => decode(bytes, true), end: () => decode(new Uint8Array(), false) };
}

/** Bytes a UTF-8 sequence takes, from its lead byte; 0 when the byte cannot start one. */
function utf8SequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/**
 * Decides the encoding at the first byte above 0x7F: UTF-8 when it starts a well-formed UTF-8
 * sequence, otherwise Windows-1252. Everything before it is ASCII, which reads the same in both.
 * Undecided (null) while the bytes are all ASCII or the sequence is cut by the chunk's end.
 */
function detectEncoding(bytes: Uint8Array, atEnd: boolean): TextEncoding | null {
  const start = bytes.findIndex((byte) => byte > 0x7f);
  if (start < 0) return null;
  const length = utf8SequenceLength(bytes[start] ?? 0);
  if (length === 0) return 'windows-1252';
  if (start + length > bytes.length) return atEnd ? 'windows-1252' : null;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, start + length));
    return 'utf-8';
  } catch {
    return 'windows-1252';
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/**
 * Turns a byte stream into text. UTF-8 by default; a UTF-8 byte-order mark is dropped. With
 * 'auto', a file whose first non-ASCII character is not UTF-8 is read as Windows-1252 throughout
 * (the DfE register's downloads), and a file that starts as UTF-8 but later breaks it is rejected
 * rather than guessed at. Holds at most one undecided chunk.
 */
export async function* decodeText(
  source: AsyncIterable<Uint8Array | string>,
  choice: EncodingChoice,
  onDecided: (encoding: TextEncoding) => void,
): AsyncGenerator<string> {
  let decoder: ChunkDecoder | null = null;
  let undecided: Uint8Array = new Uint8Array();
  const decide = (encoding: TextEncoding): ChunkDecoder => {
    onDecided(encoding);
    return decoderFor(encoding);
  };
  if (choice !== 'auto') decoder = decide(choice);
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      // Already text (tests, in-memory bodies): nothing to decode.
      decoder ??= decide('utf-8');
      yield chunk;
      continue;
    }
    if (decoder) {
      yield decoder.write(chunk);
      continue;
    }
    undecided = concatBytes(undecided, chunk);
    const detected = detectEncoding(undecided, false);
    if (detected !== null) {
      decoder = decide(detected);
      yield decoder.write(undecided);
      undecided = new Uint8Array();
    } else if (undecided.every((byte) => byte <= 0x7f)) {
      yield Buffer.from(undecided).toString('latin1');
      undecided = new Uint8Array();
    }
  }
  decoder ??= decide(detectEncoding(undecided, true) ?? 'utf-8');
  yield decoder.write(undecided);
  yield decoder.end();
}

/** Makes every line break (CRLF, CR) a single \n so that line numbers and cell text agree. */
export async function* normaliseLineBreaks(text: AsyncIterable<string>): AsyncGenerator<string> {
  let heldCarriageReturn = false;
  for await (const piece of text) {
    let chunk: string = heldCarriageReturn ? `\r${piece}` : piece;
    heldCarriageReturn = chunk.endsWith('\r');
    if (heldCarriageReturn) chunk = chunk.slice(0, -1);
    yield chunk.replace(/\r\n?/g, '\n');
  }
  if (heldCarriageReturn) yield '\n';
}
