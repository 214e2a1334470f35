// Issues an administrator API key (may create councils and keys) and prints it once.
// Usage: node --import tsx scripts/create-admin-key.ts "name of the key"   (DATABASE_URL / DATA_DIR as for the server)
import { loadConfig } from '../src/config.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { apiKeys } from '../src/db/schema.js';
import { generateKey } from '../src/http/auth.js';

const config = loadConfig();
const name = process.argv[2]?.trim() || 'Administrator key (CLI)';
let database: Database;
try {
  database = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR });
} catch (error) {
  // Above all an embedded database in use by the server: a key written beside it would be lost.
  console.error(`No key issued. ${(error as Error).message}`);
  process.exit(1);
}
const generated = generateKey();
const [row] = await database.db.insert(apiKeys).values({ councilId: null, name, hash: generated.hash, prefix: generated.prefix }).returning({ id: apiKeys.id });
await database.close();
console.log(`Administrator key ${row!.id} ("${name}"), shown this once:\n${generated.key}`);
