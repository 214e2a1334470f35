// Reads operations' responses from the OpenAPI document as its readers do: a response may be a $ref to a
// shared one under components/responses.
type Json = Record<string, unknown>;

export interface DocResponse {
  $ref?: string;
  description?: string;
  headers?: Record<string, { required?: boolean; $ref?: string }>;
  content?: Record<string, { schema?: Json; example?: unknown }>;
}
export interface DocWithResponses {
  paths: Record<string, Record<string, { responses?: Record<string, DocResponse> }>>;
  components?: { responses?: Record<string, DocResponse> };
}

const sharedPrefix = '#/components/responses/';

/** The response of `method path` for `status`, a `$ref` resolved; undefined when the operation does not declare it. */
export function operationResponse(document: DocWithResponses, path: string, method: string, status: number | string): DocResponse | undefined {
  const response = document.paths[path]?.[method.toLowerCase()]?.responses?.[String(status)];
  if (!response?.$ref) return response;
  if (!response.$ref.startsWith(sharedPrefix)) throw new Error(`${method} ${path} ${status}: ${response.$ref} is not a shared response`);
  const shared = document.components?.responses?.[response.$ref.slice(sharedPrefix.length)];
  if (!shared) throw new Error(`${method} ${path} ${status}: ${response.$ref} is not in the document`);
  return shared;
}
