import t from 'tap';
import { z } from 'zod';
import { forSerialization, serializerCompiler } from '../../src/http/serializer.js';

t.test('nullable formatted strings become type lists; validation keywords go', async (t) => {
  const schema = z.object({ id: z.uuid().nullable(), name: z.string().max(5), items: z.array(z.object({ at: z.iso.datetime().nullable() })) });
  const json = forSerialization(z.toJSONSchema(schema, { target: 'draft-7', io: 'output' })) as Record<string, any>;
  t.same(json.properties.id, { type: ['string', 'null'] });
  t.same(json.properties.name, { type: 'string' });
  t.same(json.properties.items.items.properties.at, { type: ['string', 'null'] });
  const serialize = serializerCompiler({ schema, method: 'GET', url: '/', httpStatus: '200' });
  const value = { id: null, name: 'a longer name than max', items: [{ at: '2026-01-01T00:00:00Z' }, { at: null }], extra: 'dropped' };
  t.same(
    JSON.parse(serialize(value)),
    { id: null, name: 'a longer name than max', items: [{ at: '2026-01-01T00:00:00Z' }, { at: null }] },
    'fields outside the schema are never sent',
  );
});

t.test('a property called like a keyword is kept', async (t) => {
  const json = forSerialization(z.toJSONSchema(z.object({ format: z.string(), pattern: z.number() }), { target: 'draft-7' })) as Record<string, any>;
  t.same(Object.keys(json.properties), ['format', 'pattern']);
});
