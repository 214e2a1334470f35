// The planner's pages (HTML, GET only) under the council's routes, signing in to them, and the one-time
// links the API issues to them. Pages are drawn in the evaluation pool (src/pages/render.ts), off the event
// loop and within the evaluations' time limit, from the functions the JSON routes answer with: the
// network summary and sites of GET …/network(.csv), the evaluation of GET …/scenarios/{id}/evaluation
// and the comparison of GET …/comparisons.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { NetworkRows } from '../db/network.js';
import { scenarios as scenariosTable } from '../db/schema.js';
import { projectPath } from '../paths.js';
import { bearerKey, type KeyResolver } from '../http/auth.js';
import { hashKey } from '../http/key-hash.js';
import { keepShownOnce } from '../http/idempotency.js';
import { clearSessionCookie, fromThisSite, linkTtlMs, type PageSessions, safeNext, sessionToken, setSessionCookie } from '../http/page-sessions.js';
import { problemResponses, ProblemError } from '../http/problem.js';
import { assetPaths, html, layout } from '../pages/html.js';
import { pagePaths, type ScenarioRef } from '../pages/network-page.js';
import type { PageRequest, PageScenario } from '../pages/render.js';
import { councilParamsSchema, uuidSchema } from '../schemas/common.js';
import { loadNetworkOrNotFound } from '../db/council-resource.js';
import { answerFromPool, loadScenario, type StoredScenario } from './scenarios.js';

/** Nothing from anywhere but this service; no inline script or style; no framing; forms post here only. */
export const pageContentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const councilRef = (rows: NetworkRows) => ({ id: rows.council.id, name: rows.council.name });
const pageScenario = ({ id, name, description, parameters, actions }: StoredScenario): PageScenario => ({ id, name, description, parameters, actions });

const assetsDir = projectPath('src', 'pages', 'assets');
const maxScenariosOnPage = 20;
const today = () => new Date().toISOString().slice(0, 10);

function sendPage(reply: FastifyReply, page: string | Buffer, status = 200) {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', pageContentSecurityPolicy)
    .header('cache-control', 'no-store')
    .send(page);
}

async function councilScenarios(app: FastifyInstance, councilId: string): Promise<ScenarioRef[]> {
  return app.db
    .select({ id: scenariosTable.id, name: scenariosTable.name })
    .from(scenariosTable)
    .where(eq(scenariosTable.councilId, councilId))
    .orderBy(asc(scenariosTable.createdAt), asc(scenariosTable.id))
    .limit(maxScenariosOnPage);
}

function loginPage(next: string | undefined, message?: string): string {
  return layout({
    title: 'Sign in',
    body: html`<p>Give an API key once: this browser then keeps only a session (for 8 hours, or until you sign out or the key is revoked), never the key.</p>
${message ? html`<p class="error" role="alert">${message}</p>` : ''}
<form method="post" action="/login" class="login">
<label for="key">API key</label>
<input id="key" name="key" type="password" autocomplete="off" spellcheck="false" required maxlength="200">
${next ? html`<input type="hidden" name="next" value="${next}">` : ''}
<button type="submit">Sign in</button>
</form>`,
  });
}

const linkPage = (): string =>
  layout({
    title: 'Opening the page',
    body: html`<div data-link-exchange><p data-status role="status">Signing you in…</p>
<noscript><p>This link needs JavaScript to sign you in without showing its token to anyone. <a href="/login">Sign in with an API key</a> instead.</p></noscript></div>`,
  });

const formBody = z.object({ key: z.string().max(200).default(''), next: z.string().max(2000).optional() });

const linkBody = z
  .strictObject({
    view: z.enum(['network', 'scenario', 'compare']).default('compare').describe('The page to open'),
    scenarioId: uuidSchema.optional().describe('The scenario, for view "scenario"'),
  })
  .meta({ examples: [{ view: 'compare' }] });

const linkSchema = z
  .object({
    url: z
      .string()
      .max(2048)
      .describe('Open within the expiry, once: the token is after the #, so it is never sent to a server, logged or passed on as a referrer'),
    expiresAt: z.iso.datetime(),
  })
  .meta({ id: 'PageLink' });

export function registerPages(app: FastifyInstance, resolver: KeyResolver, sessions: PageSessions) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const assets = {
    [assetPaths.css]: { type: 'text/css; charset=utf-8', body: readFileSync(join(assetsDir, 'pages.css')) },
    [assetPaths.js]: { type: 'text/javascript; charset=utf-8', body: readFileSync(join(assetsDir, 'pages.js')) },
    [assetPaths.icon]: { type: 'image/svg+xml', body: readFileSync(join(assetsDir, 'favicon.svg')) },
  };
  for (const [path, asset] of Object.entries(assets)) {
    app.get(path, { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) =>
      reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body),
    );
  }

  const page = { schema: { hide: true }, config: { access: 'page' as const } };

  /** The page drawn in the evaluation pool (kept there for the next caller, by all it shows) and sent. */
  async function sendDrawnPage(reply: FastifyReply, rows: NetworkRows, page: PageRequest) {
    const asOf = today();
    const shows = createHash('sha256').update(JSON.stringify(page)).digest('base64url');
    return sendPage(reply, await answerFromPool(app.evaluations, reply, rows, `page:${shows}:${asOf}`, { kind: 'page', page, asOf }));
  }

  r.get('/councils/:councilId/view', { ...page, schema: { ...page.schema, params: councilParamsSchema } }, async (request, reply) => {
    const { councilId } = request.params;
    const [rows, scenarios] = await Promise.all([loadNetworkOrNotFound(app.networkCache, councilId), councilScenarios(app, councilId)]);
    return sendDrawnPage(reply, rows, { page: 'network', council: councilRef(rows), scenarios });
  });

  r.get(
    '/councils/:councilId/view/scenarios/:scenarioId',
    { ...page, schema: { ...page.schema, params: councilParamsSchema.extend({ scenarioId: uuidSchema }) } },
    async (request, reply) => {
      const { councilId, scenarioId } = request.params;
      const [rows, scenario, scenarios] = await Promise.all([
        loadNetworkOrNotFound(app.networkCache, councilId),
        loadScenario(app.db, councilId, scenarioId),
        councilScenarios(app, councilId),
      ]);
      return sendDrawnPage(reply, rows, { page: 'scenario', council: councilRef(rows), scenarios, scenario: pageScenario(scenario) });
    },
  );

  r.get(
    '/councils/:councilId/compare',
    {
      ...page,
      schema: {
        ...page.schema,
        params: councilParamsSchema,
        querystring: z.object({
          scenarioIds: z
            .string()
            .max(20 * 37)
            .optional(),
        }),
      },
    },
    async (request, reply) => {
      const { councilId } = request.params;
      const scenarios = await councilScenarios(app, councilId);
      const ids = request.query.scenarioIds?.split(',').map((id) => id.trim()) ?? scenarios.map((s) => s.id);
      if (!ids.every((id) => uuidSchema.safeParse(id).success) || new Set(ids).size !== ids.length || ids.length > maxScenariosOnPage) {
        throw new ProblemError('validation', 'scenarioIds must be up to 20 distinct scenario ids, comma-separated', [
          { path: 'query.scenarioIds', message: 'must be up to 20 distinct scenario ids' },
        ]);
      }
      if (ids.length === 0) return reply.redirect(pagePaths.network(councilId), 303);
      const rows = await loadNetworkOrNotFound(app.networkCache, councilId);
      const compared = await Promise.all(ids.map((scenarioId) => loadScenario(app.db, councilId, scenarioId)));
      return sendDrawnPage(reply, rows, { page: 'compare', council: councilRef(rows), scenarios, compared: compared.map(pageScenario) });
    },
  );

  // ── Signing in ──────────────────────────────────────────────────────────────────────────────────
  app.register(async (forms) => {
    forms.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const f = forms.withTypeProvider<ZodTypeProvider>();
    const publicPage = { schema: { hide: true }, config: { access: 'public' as const } };

    f.get(
      '/login',
      { ...publicPage, schema: { ...publicPage.schema, querystring: z.object({ next: z.string().max(2000).optional() }) } },
      async (request, reply) => sendPage(reply, loginPage(safeNext(request.query.next))),
    );

    f.post('/login', { ...publicPage, schema: { ...publicPage.schema, body: formBody } }, async (request, reply) => {
      if (!fromThisSite(request)) return sendPage(reply, loginPage(undefined, 'Sign in from this service’s own page.'), 403);
      const next = safeNext(request.body.next);
      const principal = request.body.key ? await resolver.resolve(request.body.key) : null;
      if (!principal) return sendPage(reply, loginPage(next, 'That key is not valid or has been revoked.'), 401);
      const target = next ?? (principal.councilId ? pagePaths.compare(principal.councilId) : undefined);
      if (!target)
        return sendPage(
          reply,
          loginPage(undefined, 'An administrator key opens any council: open the council’s page (/councils/{id}/compare) and sign in there.'),
          400,
        );
      setSessionCookie(request, reply, await sessions.open(hashKey(request.body.key)));
      return reply.redirect(target, 303);
    });

    f.post('/logout', publicPage, async (request, reply) => {
      if (!fromThisSite(request)) return sendPage(reply, loginPage(undefined), 403);
      await sessions.close(sessionToken(request));
      clearSessionCookie(request, reply);
      return reply.redirect('/login', 303);
    });
  });

  app.get('/pages/link', { schema: { hide: true }, config: { access: 'public' } }, async (_request, reply) => sendPage(reply, linkPage()));

  r.post(
    '/pages/link',
    { schema: { hide: true, body: z.strictObject({ token: z.string().max(100) }) }, config: { access: 'public' } },
    async (request, reply) => {
      const link = fromThisSite(request) ? await sessions.redeemLink(request.body.token) : undefined;
      const principal = link ? await resolver.resolveHash(link.keyHash) : null;
      if (!link || !principal) throw new ProblemError('unauthorized', 'The link has expired, was already used, or its key was revoked');
      setSessionCookie(request, reply, await sessions.open(link.keyHash));
      return reply.type('application/json').send({ location: link.target });
    },
  );

  r.post(
    '/councils/:councilId/page-links',
    {
      config: { keepsNetwork: true, readOnlyAllowed: true },
      schema: {
        operationId: 'createPageLink',
        tags: ['Pages'],
        summary: 'A one-time link that opens a page of this council in a browser, signed in',
        description:
          'For a councillor who should not handle keys: the link signs its browser in with the key that issued it (a session cookie, ' +
          `never the key) and opens the page. It works once, within ${linkTtlMs / 60_000} minutes. Pages: the network map and sites (view "network"), ` +
          'a scenario (view "scenario" with scenarioId) or every option compared (view "compare"). Read-only keys may issue links.',
        params: councilParamsSchema,
        body: linkBody,
        response: { 200: linkSchema, ...problemResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const { councilId } = request.params;
      const { view, scenarioId } = request.body;
      if ((view === 'scenario') !== (scenarioId !== undefined)) {
        throw new ProblemError('validation', 'scenarioId is given with view "scenario", and only then', [
          { path: '/scenarioId', message: 'goes with view "scenario"' },
        ]);
      }
      await loadNetworkOrNotFound(app.networkCache, councilId);
      if (scenarioId) await loadScenario(app.db, councilId, scenarioId);
      const target = scenarioId ? pagePaths.scenario(councilId, scenarioId) : view === 'network' ? pagePaths.network(councilId) : pagePaths.compare(councilId);
      const key = bearerKey(request)!;
      const link = await sessions.issueLink(hashKey(key), target);
      await keepShownOnce(app.db, request, target);
      return reply.status(200).send({ url: `${request.protocol}://${request.host}/pages/link#${link.token}`, expiresAt: link.expiresAt.toISOString() });
    },
  );
}
