import { loadSpec } from '../../../contracts/openapi/load-spec.ts';

type Node = Record<string, unknown>;

/** `#/components/schemas/<name>` of openapi.yaml, as written there. */
export function specSchema(name: string): Node {
  const schema = loadSpec().document.components.schemas[name];
  if (!schema) throw new Error(`openapi.yaml has no schema ${name}`);
  return schema as Node;
}

/** The raw key pattern the spec documents for `CreateApiKeyResponse.rawApiKey`. */
export function rawKeyPattern(): RegExp {
  const properties = specSchema('CreateApiKeyResponse').properties as Record<string, { pattern: string }>;
  return new RegExp(properties.rawApiKey!.pattern);
}

/** The same pattern without anchors: finds a raw key anywhere in a text. */
export function rawKeyAnywhere(): RegExp {
  return new RegExp(rawKeyPattern().source.replace(/^\^/, '').replace(/\$$/, ''), 'g');
}

/** The bounds of `Labels`: entries, key length, value length. */
export function labelBounds() {
  const labels = specSchema('Labels') as {
    maxProperties: number;
    propertyNames: { minLength: number; maxLength: number };
    additionalProperties: { maxLength: number };
  };
  return {
    maxEntries: labels.maxProperties,
    minKeyLength: labels.propertyNames.minLength,
    maxKeyLength: labels.propertyNames.maxLength,
    maxValueLength: labels.additionalProperties.maxLength,
  };
}

/**
 * The status docs/storage.md "Guarantees" promises for a change whose write failed
 * (the mock's STORAGE_FAILED error); openapi.yaml documents no 5xx.
 */
export const STORAGE_FAILED_STATUS = 503;

/** Any 5xx: where a test is about what a failed write leaves behind, not about its status. */
export const SERVER_ERRORS = Array.from({ length: 100 }, (_, i) => 500 + i);
