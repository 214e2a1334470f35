import { createHash } from 'node:crypto';

/** How a secret (an API key, a page session's token) is kept: its SHA-256, never the secret itself. */
export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
