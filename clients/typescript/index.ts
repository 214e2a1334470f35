// A typed client of the Centre Network API: the types are generated from openapi/openapi.json by
// openapi-typescript (schema.d.ts: `npm run client` regenerates it; CI fails when it is stale), the calls
// go through openapi-fetch. JSON answers arrive parsed and typed; CSV downloads (the `.csv` paths) arrive
// as text: pass `parseAs: 'text'` to those calls.
import createClient from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
export type Schemas = components['schemas'];

/** A client for the service at `baseUrl` (e.g. http://127.0.0.1:3000) calling with the API key `key`. */
export function centreNetworkClient(baseUrl: string, key: string) {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${key}` } });
}
export type CentreNetworkClient = ReturnType<typeof centreNetworkClient>;
