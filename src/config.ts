import { z } from 'zod';
import { evaluationDefaults } from './evaluation-pool.js';

/** Deadlines for a client sending a request, in milliseconds (README "Limits"). */
export interface ServerTimeouts {
  /** The request line and headers must arrive within this. */
  headersMs: number;
  /** The whole request, body included, must arrive within this (a 64 MiB import at 4.5 Mbit/s). */
  requestMs: number;
  /** A connection on which nothing arrives or leaves for this long is closed (a stalled upload, an idle keep-alive). */
  idleMs: number;
}
export const serverTimeoutDefaults: ServerTimeouts = { headersMs: 10_000, requestMs: 120_000, idleMs: 60_000 };

const booleanFlag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data/pglite'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEMO: booleanFlag.default(true),
  ADMIN_API_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  ONS_DATA_DIR: z.string().min(1).optional(),
  MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(2000),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  TRUST_PROXY: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((address) => address.trim())
        .filter(Boolean),
    )
    .optional(),
  EVALUATION_TIME_LIMIT_MS: z.coerce.number().int().min(100).default(evaluationDefaults.timeLimitMs),
  IMPORT_TIME_LIMIT_MS: z.coerce.number().int().min(100).default(evaluationDefaults.importTimeLimitMs),
  EVALUATION_CACHE_MB: z.coerce
    .number()
    .int()
    .min(0)
    .default(evaluationDefaults.cacheBytes / 1_048_576),
  HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).default(serverTimeoutDefaults.headersMs),
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).default(serverTimeoutDefaults.requestMs),
  IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).default(serverTimeoutDefaults.idleMs),
  EVALUATION_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  IMPORT_THREADS: z.coerce.number().int().min(1).max(64).optional(),
});

export type Config = z.output<typeof configSchema>;

/** Reads the environment once; a bad value stops start-up with a message naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (FOO=) counts as unset, as shells and compose files often leave them.
  const parsed = configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
