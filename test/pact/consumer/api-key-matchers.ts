import { MatchersV3 as M, type Matcher, type Rules } from '@pact-foundation/pact';
import type { components } from '../../../contracts/generated/openapi.js';
import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';

/**
 * Pact matchers built from `openapi.yaml`: patterns, enums, required fields and
 * examples come from the spec, so the pacts describe shapes the spec states
 * rather than one server's values, and restate nothing by hand.
 */

type ApiKeyResponse = components['schemas']['ApiKeyResponse'];
type ApiKeyField = keyof ApiKeyResponse;
interface Schema {
  $ref?: string;
  type?: string | string[];
  pattern?: string;
  enum?: string[];
  oneOf?: Schema[];
  required?: string[];
  properties?: Record<string, Schema>;
}

// The contract layer: pacts verify any server, so they hold none of the mock's choices (contracts/CONTRACT.md "Two layers").
const spec = loadSpec({ layer: 'contract' });
const schemas = spec.document.components.schemas as Record<string, Schema>;

function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(schemas[schema.$ref.replace('#/components/schemas/', '')] ?? {});
  // A nullable field is `oneOf: [X, {type: null}]`: its shape is X's.
  const branch = schema.oneOf?.find((s) => s.type !== 'null');
  return branch ? resolve(branch) : schema;
}

function schemaOf(name: string): Schema {
  const schema = schemas[name];
  if (!schema) throw new Error(`openapi.yaml has no schema ${name}`);
  return resolve(schema);
}

const apiKeySchema = schemaOf('ApiKeyResponse');
const rawKeyPattern = schemaOf('CreateApiKeyResponse').properties?.rawApiKey?.pattern;
const createOperation = spec.byId.createApiKey;
const locationPattern = (
  spec.document.paths[createOperation.path]?.[createOperation.method] as {
    responses: Record<string, { headers?: Record<string, { schema?: Schema }> }>;
  }
).responses['201']?.headers?.Location?.schema?.pattern;
if (!rawKeyPattern || !locationPattern) throw new Error('openapi.yaml lost the rawApiKey or Location pattern the pacts use');

const created = createOperation.responses.get(201)?.example as components['schemas']['CreateApiKeyResponse'];
/** The spec's example key, the source of every example value in the pacts. */
const exampleKey = created.apiKeyMetadata;

/**
 * The key the consumer sends: obviously fake, of the right shape. The verifier
 * swaps it for a real key, so no secret is ever written into a pact.
 */
export const EXAMPLE_API_KEY = 'gm_aaaaaaaaaaaaaaaaaaaaaaaaaa';
if (!new RegExp(rawKeyPattern).test(EXAMPLE_API_KEY)) throw new Error('EXAMPLE_API_KEY no longer matches the spec');

/** An example id in the request path before the provider state's id replaces it. */
export const EXAMPLE_ID = exampleKey.apiKeyId;

/** The authentication header: any key of the documented shape. */
export function apiKeyHeader(): Record<string, Matcher<string>> {
  return { 'x-api-key': M.regex(rawKeyPattern!, EXAMPLE_API_KEY) };
}

/** `Location: /v1/apikeys/{uuid}`, the pattern the spec gives for a create's 201. */
export function locationHeader(): Record<string, Matcher<string>> {
  return { Location: M.regex(locationPattern!, `/v1/apikeys/${EXAMPLE_ID}`) };
}

/** A matcher of the field's documented shape (pattern, enum, integer, string), with the spec's example. */
export function shapeOf(field: ApiKeyField, example: unknown = exampleKey[field]): unknown {
  const schema = resolve(apiKeySchema.properties?.[field] ?? {});
  if (schema.pattern) return M.regex(schema.pattern, String(example));
  if (schema.enum) return M.regex(anyOf(schema.enum), String(example));
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.includes('integer')) return M.integer(Number(example));
  if (types.includes('string')) return M.string(String(example));
  return M.like(example);
}

/**
 * An `ApiKeyResponse`: every required field by its shape (they are never
 * null), plus the given fields. A given value is expected literally unless it
 * is itself a matcher. Optional, nullable fields appear only when an
 * interaction promises a value: a server may send them as null or leave them out.
 */
export function apiKeyMetadata(fields: Partial<Record<ApiKeyField, unknown>> = {}): Record<string, unknown> {
  const required = (apiKeySchema.required ?? []) as ApiKeyField[];
  return { ...Object.fromEntries(required.map((field) => [field, shapeOf(field)])), ...fields };
}

/** A new key's raw value: a string that starts with `gm_`, shown this once. */
export function rawApiKey(): Matcher<string> {
  return M.regex(rawKeyPattern!, created.rawApiKey);
}

/** `{"error": "<message>"}`: any message, the spec's example for this response. */
export function errorBody(operationId: OperationId, status: number): { error: Matcher<string> } {
  const example = spec.byId[operationId].responses.get(status)?.example as { error?: string } | undefined;
  if (!example?.error) throw new Error(`openapi.yaml documents no error example for ${operationId} ${status}`);
  return { error: M.string(example.error) };
}

/**
 * A rule that the object at `path` has no keys but `names` (Pact has no
 * `additionalProperties: false`). On an `ApiKeyResponse` it catches a leaked
 * raw key or hash; on labels it shows `replaceLabels` dropped the old ones.
 */
export function onlyKeys(path: string, names: readonly string[]): Rules {
  const rule = { 'pact:matcher:type': 'eachKey', rules: [{ match: 'regex', regex: anyOf(names) }] };
  return { body: [{ path, rules: [rule as unknown as Matcher<unknown>] }] };
}

/** The field names an `ApiKeyResponse` may have, from the spec (it forbids any other). */
export const API_KEY_FIELDS = Object.keys(apiKeySchema.properties ?? {});
/** The field names of a create's 201 body. */
export const CREATE_RESPONSE_FIELDS = Object.keys(schemaOf('CreateApiKeyResponse').properties ?? {});

/** A regex matching exactly one of `words`. */
function anyOf(words: readonly string[]): string {
  return `^(${words.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})$`;
}
