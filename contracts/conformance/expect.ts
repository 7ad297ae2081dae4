import type { components } from '../generated/openapi.js';
import { isJsonObject } from '../openapi/is-json-object.ts';
import { CheckFailure } from './check-failure.ts';
import { describeRequest, describeResponse, type Exchange } from './http-exchange.ts';

export type ApiKey = components['schemas']['ApiKeyResponse'];

/** `createApiKey POST /v1/apikeys {}`: where a failure happened. */
export function where(exchange: Exchange): string {
  return `${exchange.operationId ?? 'no operation'} ${describeRequest(exchange)}`;
}

/** Throws a CheckFailure unless the response has one of the expected statuses. */
export function expectStatus(exchange: Exchange, expected: number | readonly number[], hint?: string): void {
  const allowed = typeof expected === 'number' ? [expected] : expected;
  if (allowed.includes(exchange.status)) return;
  throw new CheckFailure({
    operation: where(exchange),
    expected: `status ${allowed.join(' or ')}`,
    actual: describeResponse(exchange),
    hint,
  });
}

/** Compares two values as JSON; the message shows both. */
export function expectSame(exchange: Exchange | string, what: string, expected: unknown, actual: unknown, hint?: string): void {
  if (sameJson(expected, actual)) return;
  throw new CheckFailure({
    operation: typeof exchange === 'string' ? exchange : where(exchange),
    expected: `${what} ${JSON.stringify(expected)}`,
    actual: JSON.stringify(actual) ?? 'nothing',
    hint,
  });
}

/** Throws unless `condition`; `actual` says what was seen instead. */
export function expectThat(condition: boolean, exchange: Exchange | string, expected: string, actual: string, hint?: string): void {
  if (condition) return;
  throw new CheckFailure({ operation: typeof exchange === 'string' ? exchange : where(exchange), expected, actual, hint });
}

/**
 * The key in a 200 update response. Read loosely: the shape itself is judged
 * by response_schema_conformance, so a behaviour check only needs its fields.
 */
export function keyIn(exchange: Exchange): ApiKey {
  const body = exchange.json as Partial<ApiKey> | undefined;
  expectThat(isJsonObject(body) && typeof body.apiKeyId === 'string', exchange, 'an ApiKeyResponse body', describeResponse(exchange));
  return body as ApiKey;
}

/** The keys in a 200 list response. */
export function keysIn(exchange: Exchange): ApiKey[] {
  expectStatus(exchange, 200);
  const keys = (exchange.json as { keys?: unknown } | undefined)?.keys;
  expectThat(Array.isArray(keys), exchange, 'a ListApiKeysResponse body {keys: [...]}', describeResponse(exchange));
  return (keys as unknown[]).filter(isJsonObject) as unknown as ApiKey[];
}

/**
 * Metadata without `lastUsedAt`, which authentication itself moves, and
 * without null fields: an optional nullable field may be sent as null or left
 * out, and the two mean the same (contracts/CONTRACT.md "Schemas").
 */
export function stable(key: ApiKey | undefined): Omit<ApiKey, 'lastUsedAt'> | undefined {
  if (!key) return undefined;
  const { lastUsedAt: _ignored, ...rest } = key;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== null)) as Omit<ApiKey, 'lastUsedAt'>;
}

export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with object keys sorted: two servers may order fields differently. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys(value[k])]),
  );
}
