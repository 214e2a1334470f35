import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Test } from 'tap';
import { testAdminKey } from './app.js';

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Thin JSON wrapper over fastify.inject for readable tests; an administrator unless told otherwise. */
export function client(app: FastifyInstance, headers: Record<string, string> = bearer(testAdminKey)) {
  const call = async (method: InjectOptions['method'], url: string, payload?: unknown, extraHeaders: Record<string, string> = {}) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...headers, ...extraHeaders },
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
    });
    const type = String(res.headers['content-type'] ?? '');
    const body = type.includes('json') && res.body ? res.json() : res.body;
    return { status: res.statusCode, headers: res.headers, body, raw: res };
  };
  return {
    get: (url: string, h?: Record<string, string>) => call('GET', url, undefined, h),
    post: (url: string, payload: unknown, h?: Record<string, string>) => call('POST', url, payload, h),
    patch: (url: string, payload: unknown, h?: Record<string, string>) => call('PATCH', url, payload, h),
    delete: (url: string, h?: Record<string, string>) => call('DELETE', url, undefined, h),
  };
}
export type Client = ReturnType<typeof client>;

let councilCounter = 0;
/** A fresh council with a unique code; returns its id. */
export async function createCouncil(api: Client, name = 'Testshire') {
  councilCounter += 1;
  const code = `E0${String(process.pid % 1000).padStart(3, '0')}${String(councilCounter).padStart(4, '0')}`;
  const res = await api.post('/councils', { code, name });
  if (res.status !== 201) throw new Error(`council not created: ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** A fresh council of `app`: a client, the council's base path and a writer of its sites (at 53.44, −2.93 unless told). */
export async function freshCouncil(app: FastifyInstance) {
  const api = client(app);
  const base = `/councils/${await createCouncil(api)}`;
  const site = async (body: Record<string, unknown>) => (await api.post(`${base}/sites`, { lat: 53.44, lon: -2.93, ...body })).body;
  return { api, base, site };
}

/** A check that a scenario of the council at `base` with the given actions is a 422 naming `path`, its detail matching `reason`. */
export function scenarioRefusal(t: Test, api: Client, base: string) {
  return async (actions: unknown[], path: string, reason: RegExp) => {
    const res = await api.post(`${base}/scenarios`, { name: 'Bad', actions });
    t.equal(res.status, 422, `${JSON.stringify(actions).slice(0, 80)} → 422`);
    t.ok(
      res.body.errors?.some((e: { path: string }) => e.path === path),
      `names ${path}: ${JSON.stringify(res.body.errors)}`,
    );
    t.match(res.body.detail, reason);
  };
}

export const liverpoolHub = { name: 'Clubmoor Family Hub', role: 'hub', lat: 53.442539, lon: -2.929649, postcode: 'L11 1DQ' };
