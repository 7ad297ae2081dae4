import type { components } from '../../contracts/generated/openapi.js';
import { isJsonObject } from '../../contracts/openapi/is-json-object.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { acceptedTypes } from '../../contracts/openapi/request-schema.ts';

/**
 * What a stored key is, derived from `openapi.yaml`: the spec's
 * `ApiKeyResponse` (contract layer: the mock's choices, such as its prefix
 * length, may change without making stored keys invalid) plus the fields only
 * the store keeps. Nothing here names a response field: a new field of
 * `ApiKeyResponse` reaches the stored schema, new keys (null while unset) and
 * the responses (toResponse drops only the stored-only fields) by itself.
 */

/** The fields the store keeps beside the response, never sent (toResponse drops them). */
export interface StoredOnly {
  /** SHA3-256 of the key bytes, hex: how a raw key is found (the raw key is never stored). */
  keyHash: string;
  /**
   * The key's creation number in this store, never reused while the key
   * exists. Lists are ordered by createdAt, then by it, so the order is a
   * property of the data (the journal and the snapshot carry it), not of the
   * history of writes and rollbacks that led there.
   */
  seq: number;
}

const STORED_ONLY: Record<keyof StoredOnly, object> = {
  keyHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  // Optional on disk: stores written before it are numbered at load (number-keys.ts).
  seq: { type: 'integer', minimum: 1 },
};
export const STORED_ONLY_FIELDS = Object.keys(STORED_ONLY) as (keyof StoredOnly)[];

type Schema = Record<string, unknown>;

interface KeyFacts {
  /** The spec's components, each with its `$ref`s replaced by what they name. */
  schemas: Record<string, Schema>;
  /** `ApiKeyResponse`'s optional fields that admit null: what a new key has while they are unset. */
  unset: string[];
  stored: Schema;
}

let facts: KeyFacts | undefined;

/** Read from the spec once, on first use (not at import: start-up loads it only when a store needs it). */
function keyFacts(): KeyFacts {
  if (facts) return facts;
  const contract = loadSpec({ layer: 'contract' });
  const raw = contract.document.components.schemas as Record<string, Schema>;
  const inline = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(inline);
    if (!isJsonObject(node)) return node;
    if (typeof node.$ref === 'string') return inline(raw[node.$ref.replace('#/components/schemas/', '')]);
    return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, inline(value)]));
  };
  const schemas = Object.fromEntries(Object.keys(raw).map((name) => [name, inline(raw[name]) as Schema]));
  const response = schemas.ApiKeyResponse!;
  const properties = response.properties as Record<string, Schema>;
  const required = response.required as string[];
  const written = raw.ApiKeyResponse!.properties as Record<string, unknown>;
  const unset = Object.keys(properties).filter((field) => !required.includes(field) && acceptedTypes(written[field], contract).has('null'));
  const stored = {
    ...response,
    properties: { ...properties, ...STORED_ONLY },
    required: [...required, 'keyHash'],
  };
  facts = { schemas, unset, stored };
  return facts;
}

/** The JSON Schema of a stored key: `ApiKeyResponse` plus the stored-only fields, references resolved. */
export function storedKeySchema(): Schema {
  return keyFacts().stored;
}

/** A component schema of the spec (contract layer), references resolved, e.g. `Uuid`. */
export function specSchema(name: string): Schema {
  const schema = keyFacts().schemas[name];
  if (!schema) throw new Error(`openapi.yaml has no schema ${name}`);
  return schema;
}

export type ApiKeyResponse = components['schemas']['ApiKeyResponse'];

/** The optional, nullable fields of `ApiKeyResponse`, as the generated types say: null while a key has no value for them. */
export type UnsetFields = {
  [
    Field in keyof ApiKeyResponse as {} extends Pick<ApiKeyResponse, Field> ? (null extends ApiKeyResponse[Field] ? Field : never) : never
  ]-?: null;
};

/**
 * `record` with every optional, nullable field of `ApiKeyResponse` it does
 * not set added as null (after its own fields), so each stored key and each
 * response holds every field of the spec. The record itself when it sets them all.
 */
export function withUnsetFields<Fields extends object>(record: Fields): Fields & UnsetFields {
  const missing = keyFacts().unset.filter((field) => !(field in record));
  if (missing.length === 0) return record as Fields & UnsetFields;
  return { ...record, ...Object.fromEntries(missing.map((field) => [field, null])) } as Fields & UnsetFields;
}

/** Adds, in place, the unset fields a loaded key lacks (a store written before the spec had them). */
export function completeStoredKey(key: object): void {
  for (const field of keyFacts().unset) if (!(field in key)) (key as Schema)[field] = null;
}
