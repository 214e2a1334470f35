// The Open Referral UK feed of the Liverpool demo, validated against the profile's published JSON schemas
// shipped in data/standards/open-referral-uk/ (ajv): the page of services, and each service with its
// locations. The schemas are the profile's own, unchanged; they describe more than the feed fills in.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import t from 'tap';
import { openReferralServiceId } from '../../src/domain/open-referral.js';
import { projectPath } from '../../src/paths.js';
import { sharedDemoApp } from '../helpers/demo.js';

const standard = (...path: string[]) => JSON.parse(readFileSync(projectPath('data', 'standards', 'open-referral-uk', ...path), 'utf8'));

function validators() {
  const ajv = new Ajv.default({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const service = ajv.compile(standard('schema', 'compiled', 'service.json'));
  const listed = ajv.compile(standard('schema', 'compiled', 'service_list.json'));
  const pageSchema = standard('schema', 'openapi.json').components.schemas.Page;
  const page = ajv.compile({ ...pageSchema, required: Object.keys(pageSchema.properties) });
  const check = (validate: typeof service, value: unknown) => (validate(value) ? [] : [ajv.errorsText(validate.errors)]);
  return { service, listed, page, check };
}

t.test('the demo council’s services as Open Referral UK, valid against the published schemas', async (t) => {
  // The demo only read: the process's other files that read it share it.
  const { api, councilId } = await sharedDemoApp();
  const { service, listed, page, check } = validators();
  const base = `/councils/${councilId}/open-referral`;

  const about = (await api.get(base)).body;
  t.match(about, { version: '3.0', profile: /uk-profile/ });

  const first = await api.get(`${base}/services?per_page=100`);
  t.equal(first.status, 200);
  t.same(check(page, first.body), [], 'the page is an HSDS page');
  t.ok(first.body.contents.length > 0, 'the demo offers services');
  t.equal(first.body.total_items, first.body.contents.length);
  for (const item of first.body.contents) t.same(check(listed, item), [], `${item.name}: a valid listed service`);
  t.ok(
    first.body.contents.every((item: { organization: { name: string } }) => item.organization.name === 'Liverpool'),
    'provided by the council',
  );

  const network = (await api.get(`/councils/${councilId}/network`)).body;
  const openSites = network.sites.filter((site: { status: string }) => site.status === 'open');
  const kinds = new Set(openSites.flatMap((site: { services: string[] }) => site.services));
  t.equal(first.body.total_items, kinds.size, 'one service per kind the open sites offer');

  for (const { id } of first.body.contents) {
    const full = (await api.get(`${base}/services/${id}`)).body;
    t.same(check(service, full), [], `${full.name}: a valid service with its locations`);
    const offering = openSites.filter((site: { services: string[] }) => site.services.some((kind) => openReferralServiceId(councilId, kind as never) === id));
    t.same(
      full.service_at_locations.map((at: { location: { id: string } }) => at.location.id).sort(),
      offering.map((site: { id: string }) => site.id).sort(),
      `${full.name}: at every open site that offers it, and no other`,
    );
  }

  const paged = (await api.get(`${base}/services?per_page=1&page=2`)).body;
  t.match(paged, { page_number: 2, size: 1, first_page: false, total_pages: first.body.total_items });
  t.same(paged.contents[0], first.body.contents[1], 'pages follow one order');
  t.equal((await api.get(`${base}/services/${crypto.randomUUID()}`)).status, 404, 'an unknown service is a 404');
});

t.test('the checker refuses a service the profile would not take', async (t) => {
  const { service, check } = validators();
  t.not(check(service, { id: 'not-a-uuid', name: 'x' }), [], 'a bad id and no status');
});
