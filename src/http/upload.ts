// An upload (a CSV import's body) is read to its end into a temporary file before any database work, so
// that a slow or stalled client holds no connection, transaction or council lock; its size limit is
// enforced as the bytes arrive. An upload refused before its end still lets the client read the answer.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { ProblemError } from './problem.js';

/** How long the rest of a refused upload is read (and dropped) after the answer, before the connection is closed. */
const lingerMs = 30_000;

const tooLarge = (limitBytes: number) =>
  new ProblemError('payload-too-large', `The file is larger than ${limitBytes / 1_048_576} MiB, the most an import takes`);

/**
 * After an answer sent before the request's body was read to its end (a 413, a 422 for a bad header, any
 * refusal), the rest of the body is read and dropped, for `lingerMs` at most, then the connection is
 * closed: a client still sending (most do not read before they have sent everything) would otherwise
 * wait for ever, or see its connection reset and never the answer. A body dropped to its end leaves the
 * connection usable for the next request.
 */
export function drainAfterAnswer(request: FastifyRequest) {
  const raw = request.raw;
  if (raw.complete || raw.destroyed) return;
  raw.unpipe();
  raw.on('data', () => {});
  raw.resume();
  const closeLater = setTimeout(() => raw.destroy(), lingerMs).unref();
  raw.once('end', () => clearTimeout(closeLater));
}

/**
 * Reads `body` to its end into a temporary file, at most `limitBytes` (413 past it, at once when the
 * Content-Length says so), and runs `use` with the file's path; the file, and any `use` writes beside it
 * (`${path}.…`), are removed afterwards.
 */
export async function withSpooledUpload<T>(request: FastifyRequest, body: Readable, limitBytes: number, use: (path: string) => Promise<T>): Promise<T> {
  if (Number(request.headers['content-length']) > limitBytes) throw tooLarge(limitBytes);
  const folder = await mkdtemp(join(tmpdir(), 'centre-network-upload-'));
  const path = join(folder, 'body');
  try {
    await new Promise<void>((resolve, reject) => {
      const file = createWriteStream(path);
      let bytes = 0;
      const fail = (error: Error) => {
        body.off('data', onData);
        body.pause();
        file.destroy();
        reject(error);
      };
      const onData = (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > limitBytes) return fail(tooLarge(limitBytes));
        if (!file.write(chunk)) {
          body.pause();
          file.once('drain', () => body.resume());
        }
      };
      body.on('data', onData);
      body.once('end', () => file.end());
      body.once('error', fail);
      // A client gone before the end (the connection cut, or timed out): nothing is imported.
      body.once('close', () => {
        if (!body.readableEnded) fail(new Error('the upload ended before its end'));
      });
      file.once('finish', resolve);
      file.once('error', fail);
    });
    // The file has arrived: what follows is the server's work, bounded by the import's own limits (its
    // time limit, lock and statement timeouts), not a silent client, so the idle deadline would only cut
    // off the answer. Node sets the keep-alive deadline again once the answer is sent. (The stand-in
    // socket of app.inject has no deadlines.)
    request.raw.socket.setTimeout?.(0);
    return await use(path);
  } finally {
    // Never throws: an import has committed by now, and must be answered as such.
    await rm(folder, { recursive: true, force: true }).catch((error: unknown) => request.log.warn({ err: error }, 'an upload left in the temporary folder'));
  }
}
