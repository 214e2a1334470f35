import fastJson from 'fast-json-stringify';
import type { FastifyReply, FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';

type JsonSchema = { [key: string]: unknown };

// Keywords that only constrain values: a serializer has nothing to do with them.
const validationOnly = new Set([
  'pattern',
  'format',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'examples',
  'description',
  '$schema',
]);

/**
 * Drops validation-only keywords and turns `anyOf: [{ type: T }, { type: 'null' }]` into
 * `type: [T, 'null']`: fast-json-stringify resolves an anyOf by validating every value against it,
 * the costliest thing it does, while a type list it writes directly.
 */
export function forSerialization(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(forSerialization);
  if (schema === null || typeof schema !== 'object') return schema;
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(schema as JsonSchema)) {
    if (validationOnly.has(key)) continue;
    // Property names are data, not keywords: keep every one.
    result[key] =
      key === 'properties' || key === 'definitions' || key === '$defs'
        ? Object.fromEntries(Object.entries(value as JsonSchema).map(([name, sub]) => [name, forSerialization(sub)]))
        : forSerialization(value);
  }
  const anyOf = result.anyOf as JsonSchema[] | undefined;
  if (anyOf?.length === 2) {
    const nullIndex = anyOf.findIndex((option) => option.type === 'null' && Object.keys(option).length === 1);
    const other = anyOf[1 - nullIndex];
    if (nullIndex >= 0 && other && typeof other.type === 'string' && !('anyOf' in other) && !('$ref' in other)) {
      delete result.anyOf;
      return { ...result, ...other, type: [other.type, 'null'] };
    }
  }
  return result;
}

// A schema's stringifier, made once for every route, status and app that answers with that schema.
const compiled = new WeakMap<z.ZodType, (value: unknown) => string>();

/** The stringifier of a zod schema's JSON Schema. */
function stringifierOf(schema: z.ZodType): (value: unknown) => string {
  let serialize = compiled.get(schema);
  if (!serialize) {
    const jsonSchema = z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });
    serialize = fastJson(forSerialization(jsonSchema) as Parameters<typeof fastJson>[0]);
    compiled.set(schema, serialize);
  }
  return serialize;
}

/**
 * Serialises responses with Fastify's schema-compiled stringifier, fed the JSON Schema of the route's
 * zod schema: several times faster than re-parsing every response with zod. Each is compiled when first
 * used: compiling every route's at start-up took about a second of the server's start.
 */
export const serializerCompiler: FastifySerializerCompiler<z.ZodType> = ({ schema }) => {
  let serialize: ((value: unknown) => string) | undefined;
  return (value: unknown) => {
    serialize ??= stringifierOf(schema);
    return serialize(value);
  };
};

/**
 * A response schema's serialiser, for answers made outside a route's own serialisation. An app's routes
 * pass its compiler (`app.serializerCompiler`, AppOptions.serializerCompiler), so that all its answers
 * are made alike.
 */
export const compileSerializer = (schema: z.ZodType, compiler: FastifySerializerCompiler<z.ZodType> = serializerCompiler) =>
  compiler({ schema, method: 'GET', url: '', httpStatus: '200' }) as (value: unknown) => string;

// The JSON of objects that do not change once made (cached evaluations, rows of a kept network), made
// once: it goes when its object does.
const serialized = new WeakMap<object, string>();

/** The serializer of a body that is already serialised: sent as it is. */
export const alreadySerialized = (payload: unknown) => payload as string;

/** Sends an object that never changes as JSON, serialising it the first time only. */
export function sendSerializedOnce(reply: FastifyReply, value: object, serialize: (value: unknown) => string) {
  let json = serialized.get(value);
  if (json === undefined) {
    json = serialize(value);
    serialized.set(value, json);
  }
  return reply.type('application/json').serializer(alreadySerialized).send(json);
}
