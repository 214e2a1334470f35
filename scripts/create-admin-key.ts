// Issues an administrator API key (may create councils and keys) and prints it once.
// Usage: node --import tsx scripts/create-admin-key.ts "name of the key"   (DATABASE_URL / DATA_DIR as for the server)
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { apiKeys } from '../src/db/schema.js';
import { generateKey } from '../src/http/auth.js';

const config = loadConfig();
const name = process.argv[2]?.trim() || 'Administrator key (CLI)';
const database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
const generated = generateKey();
const [row] = await database.db
  .insert(apiKeys)
  .values({ councilId: null, name, hash: generated.hash, prefix: generated.prefix })
  .returning({ id: apiKeys.id });
await database.close();
console.log(`Administrator key ${row!.id} ("${name}"), shown this once:\n${generated.key}`);
