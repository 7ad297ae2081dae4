import { randomUUID } from 'node:crypto';
import { JSONSchemaFaker } from 'json-schema-faker';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { KEYS, fileMock, jsonRequests } from '../support/running-mock.ts';

// What a generic schema-driven fuzzer does to the mock, with the layer `apikeys-mock --print-spec`
// gives it (the full one: what this mock enforces): data the schema calls valid is accepted, data
// it calls invalid is 400. json-schema-faker is the generator behind Prism's --dynamic mock.
// The known disagreements of every schema-driven tool, which no schema can express: a past
// `expiresAt`, and a merge whose result holds more than 10 labels, are valid to the schema and
// 400 to any correct server (contracts/CONTRACT.md "Schema constraints").
const spec = loadSpec();
const document = spec.document as unknown as { components: Record<string, unknown> };
const schemas = document.components.schemas as Record<string, Record<string, any>>;
const RUNS = 120;

/** A deterministic PRNG (mulberry32), so a failing body can be found again from the seed. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` values the schema of component `name` calls valid, generated as a fuzzer would, each checked by ajv too. */
function generate(name: string, count: number, seed: number): unknown[] {
  // fillProperties: label entries, not only `{}`. The generator cannot read `not`, nor an `allOf` that
  // repeats a keyword of its schema (the full layer keeps the contract's looser pattern there, beside
  // the mock's tighter one: it lets the later one win); the validator below reads both.
  JSONSchemaFaker.option({ random: seeded(seed), fillProperties: true, alwaysFakeOptionals: false, useExamplesValue: false });
  const { not: _, allOf: __, ...schema } = schemas[name]!;
  const validate = spec.schema(name);
  const values: unknown[] = [];
  for (let i = 0; values.length < count && i < count * 20; i++) {
    // A copy: the generator rewrites what it is given (it merges allOf in place), and the spec is shared.
    const value = JSONSchemaFaker.generate(structuredClone({ ...schema, components: document.components }) as never);
    if (validate(value)) values.push(value); // a generator may miss a keyword (propertyNames, not); a fuzzer's value is valid
  }
  expect(values.length).toBe(count);
  return values;
}

describe("a generic schema-driven fuzzer and the mock agree, given the mock's layer of the spec", () => {
  it('accepts every create body the schema calls valid (201), except a past expiresAt, which is the documented 400', async () => {
    const mock = await fileMock();
    const send = jsonRequests(mock.url, KEYS.alice);
    const disagreements: string[] = [];
    let past = 0;
    const bodies = generate('CreateApiKeyRequest', RUNS, 1) as { expiresAt?: number | null; labels?: object | null }[];
    expect(bodies.filter((b) => b.labels && Object.keys(b.labels).length > 0).length).toBeGreaterThan(10);
    for (const body of bodies) {
      const res = await send('POST', '/v1/apikeys', body);
      const isPast = typeof body.expiresAt === 'number' && body.expiresAt <= mock.clock.now();
      if (isPast) past++;
      const expected = isPast ? 400 : 201;
      if (res.status !== expected) disagreements.push(`${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.json)}`);
      if (isPast && res.status === 400) expect(res.json.error).toMatch(/expiresAt must be in the future/);
    }
    expect(disagreements).toEqual([]);
    expect(RUNS - past).toBeGreaterThan(RUNS / 2);
  });

  it('accepts every update body the schema calls valid (200), except a merge past 10 labels, which is the documented 400', async () => {
    const mock = await fileMock();
    const send = jsonRequests(mock.url, KEYS.alice);
    const created = await send('POST', '/v1/apikeys', {});
    const path = `/v1/apikeys/${created.json.apiKeyMetadata.apiKeyId}`;
    const disagreements: string[] = [];
    let labels: Record<string, string> = {};
    let merged = 0;
    let tooMany = 0;
    for (const body of generate('UpdateApiKeyRequest', RUNS, 2) as { mergeLabels?: Record<string, string> | null }[]) {
      const after = body.mergeLabels ? { ...labels, ...body.mergeLabels } : labels;
      const overflow = Object.keys(after).length > (schemas.Labels!.maxProperties as number);
      if (body.mergeLabels) merged++;
      if (overflow) tooMany++;
      const res = await send('PUT', path, body);
      if (res.status !== (overflow ? 400 : 200)) disagreements.push(`${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.json)}`);
      if (res.status === 200) labels = res.json.labels ?? {};
    }
    expect(disagreements).toEqual([]);
    expect(merged).toBeGreaterThan(10);
    expect(RUNS - tooMany).toBeGreaterThan(RUNS / 2);
  });

  it('takes every path id the schema calls valid as an id: 404 for no such key, never 400', async () => {
    const mock = await fileMock();
    const send = jsonRequests(mock.url, KEYS.alice);
    const statuses = new Set<number>();
    for (const id of generate('UuidInput', RUNS, 3) as string[]) {
      statuses.add((await send('DELETE', `/v1/apikeys/${encodeURIComponent(id)}`)).status);
    }
    expect([...statuses]).toEqual([404]);
  });

  it('accepts each create body at a bound the spec states (201), except expiresAt at its minimum, a past instant (400)', async () => {
    const mock = await fileMock();
    const send = jsonRequests(mock.url, KEYS.alice);
    // A fuzzer's boundary values, read from the spec: exactly at each bound is valid.
    const labels = schemas.Labels!;
    const timestamp = schemas.Timestamp!;
    const atBounds: [unknown, number][] = [
      [{ labels: Object.fromEntries(Array.from({ length: labels.maxProperties as number }, (_, i) => [`k${i}`, 'v'])) }, 201],
      [{ labels: { ['k'.repeat(labels.propertyNames.maxLength as number)]: 'v' } }, 201],
      [{ labels: { ['k'.repeat(labels.propertyNames.minLength as number)]: 'v' } }, 201],
      [{ labels: { k: 'v'.repeat(labels.additionalProperties.maxLength as number) } }, 201],
      [{ labels: { k: '' } }, 201],
      [{ expiresAt: timestamp.maximum as number }, 201],
      [{ expiresAt: timestamp.minimum as number }, 400],
    ];
    const verdicts: string[] = [];
    for (const [body, expected] of atBounds) {
      const res = await send('POST', '/v1/apikeys', body);
      verdicts.push(res.status === expected ? 'as expected' : `${JSON.stringify(body).slice(0, 80)} -> ${res.status}`);
      if (expected === 400) expect(res.json.error).toMatch(/expiresAt must be in the future/);
    }
    expect(verdicts.filter((v) => v !== 'as expected')).toEqual([]);
  });

  it('refuses (400) each create body made invalid at one bound the spec states, and stores nothing', async () => {
    const mock = await fileMock();
    const send = jsonRequests(mock.url, KEYS.alice);
    // Every bound is read from the spec, one past it each time: what a fuzzer's negative phase sends.
    const labels = schemas.Labels!;
    const keyMax = labels.propertyNames.maxLength as number;
    const keyMin = labels.propertyNames.minLength as number;
    const valueMax = labels.additionalProperties.maxLength as number;
    const count = labels.maxProperties as number;
    const latest = schemas.Timestamp!.maximum as number;
    const id = randomUUID();
    const invalid: unknown[] = [
      { labels: Object.fromEntries(Array.from({ length: count + 1 }, (_, i) => [`k${i}`, 'v'])) },
      { labels: { ['k'.repeat(keyMax + 1)]: 'v' } },
      { labels: { ['k'.repeat(keyMin - 1)]: 'v' } },
      { labels: { k: 'v'.repeat(valueMax + 1) } },
      { labels: { k: 1 } },
      { expiresAt: latest + 1 },
      { expiresAt: -1 },
      { expiresAt: 1.5 },
      // Not a numeric string: those are read as the number they spell, as GoodMem's server reads them
      // (contracts/CONTRACT.md "Transport"; test/mock/numeric-strings.test.ts).
      { expiresAt: new Date(Date.now() + 60_000).toISOString() },
      { apiKeyId: `${id.slice(0, 8)}${id.slice(9)}` },
      { apiKeyId: `{${id}}` },
      { labels: {}, unknownField: true },
      [],
    ];
    const before = mock.store.allKeys().length;
    const disagreements: string[] = [];
    for (const body of invalid) {
      expect(spec.schema('CreateApiKeyRequest')(body), JSON.stringify(body).slice(0, 80)).toBe(false);
      const res = await send('POST', '/v1/apikeys', body);
      if (res.status !== 400) disagreements.push(`${JSON.stringify(body).slice(0, 80)} -> ${res.status}`);
    }
    expect(disagreements).toEqual([]);
    expect(mock.store.allKeys().length).toBe(before);
  });
});
