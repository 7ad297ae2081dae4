import { describe, expect, it } from 'vitest';
import { CHOICE_NAMES, SERVER_CHOICES, type ChoiceName, type ServerChoices } from '../../contracts/common/server-choices.ts';
import { BACKGROUND_USE_DELAY_MS } from '../../mock/service/key-uses.ts';
import { MockClock } from '../../mock/service/clock.ts';
import { DEFAULT_CHOICES } from '../../mock/service/mock-choices.ts';
import { fileMock, KEYS, type FileMock } from '../support/running-mock.ts';

// Every value of every legal choice (contracts/common/server-choices.ts), shown over a
// real socket by both adapters of the one pipeline (the node:http front and Express):
// one scenario per choice, and what it must observe under each value.
const T0 = Date.UTC(2026, 0, 1);
const as = (key: string) => ({ 'x-api-key': key });

interface Created {
  id: string;
  raw: string;
  json: any;
  location: string | undefined;
}

async function create(mock: FileMock, body: object = {}, key: string = KEYS.alice): Promise<Created> {
  const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(key), body });
  expect(res.status, res.text).toBe(201);
  const json = res.json as any;
  return { id: json.apiKeyMetadata.apiKeyId, raw: json.rawApiKey, json, location: res.headers.location };
}

/** The key `id` as alice's list shows it now. */
async function listed(mock: FileMock, id: string, key: string = KEYS.alice) {
  const res = await mock.send({ path: '/v1/apikeys', headers: as(key) });
  expect(res.status, res.text).toBe(200);
  return (res.json as { keys: any[] }).keys.find((k) => k.apiKeyId === id);
}

/** What each choice's scenario observes; the table below says what each value must give. */
type Scenario = (mock: FileMock) => Promise<unknown>;

const scenarios: Record<ChoiceName, Scenario> = {
  listOrder: async (mock) => {
    const first = await create(mock);
    mock.clock.advance(1);
    const second = await create(mock);
    const res = await mock.send({ path: '/v1/apikeys', headers: as(KEYS.alice) });
    const ids = (res.json as { keys: { apiKeyId: string }[] }).keys
      .map((k) => k.apiKeyId)
      .filter((id) => [first.id, second.id].includes(id));
    return ids.map((id) => (id === first.id ? 'first' : 'second'));
  },
  foreignKeyStatus: async (mock) => {
    const bobs = await create(mock, {}, KEYS.bob);
    const put = await mock.send({ method: 'PUT', path: `/v1/apikeys/${bobs.id}`, headers: as(KEYS.alice), body: { status: 'INACTIVE' } });
    const del = await mock.send({ method: 'DELETE', path: `/v1/apikeys/${bobs.id}`, headers: as(KEYS.alice) });
    return [put.status, del.status, (await listed(mock, bobs.id, KEYS.bob)).status];
  },
  unknownFields: async (mock) => {
    const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { expires_at: T0 + 60_000 } });
    return res.status === 201 ? [201, (res.json as any).apiKeyMetadata.expiresAt] : [res.status, (res.json as any).error];
  },
  deletedIds: async (mock) => {
    const id = '0b7e5a3c-2f4d-4e6a-9c1b-8d7f6e5a4b3c';
    await create(mock, { apiKeyId: id });
    expect((await mock.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: as(KEYS.alice) })).status).toBe(204);
    return (await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { apiKeyId: id } })).status;
  },
  noopUpdate: async (mock) => {
    const key = await create(mock);
    mock.clock.advance(1000);
    const res = await mock.send({ method: 'PUT', path: `/v1/apikeys/${key.id}`, headers: as(KEYS.alice), body: { status: 'ACTIVE' } });
    return (res.json as any).updatedAt - T0;
  },
  updatedAtOnUse: async (mock) => {
    const key = await create(mock);
    mock.clock.advance(1000);
    // The new key is used (its own list), then looked at with another key a moment later.
    expect((await mock.send({ path: '/v1/apikeys', headers: as(key.raw) })).status).toBe(200);
    mock.clock.advance(BACKGROUND_USE_DELAY_MS);
    return (await listed(mock, key.id)).updatedAt - T0;
  },
  lastUsedAt: async (mock) => {
    const key = await create(mock);
    mock.clock.advance(10);
    const own = await mock.send({ path: '/v1/apikeys', headers: as(key.raw) });
    const atOnce = (own.json as { keys: any[] }).keys.find((k) => k.apiKeyId === key.id).lastUsedAt;
    const otherKeyAtOnce = (await listed(mock, key.id)).lastUsedAt;
    mock.clock.advance(BACKGROUND_USE_DELAY_MS - 1);
    const justBefore = (await listed(mock, key.id)).lastUsedAt;
    mock.clock.advance(1);
    const after = (await listed(mock, key.id)).lastUsedAt;
    return [atOnce, otherKeyAtOnce, justBefore, after].map((at) => (at === null ? null : at - T0));
  },
  rawKeyLength: async (mock) => {
    const key = await create(mock);
    const own = await mock.send({ path: '/v1/apikeys', headers: as(key.raw) });
    const longer = await mock.send({ path: '/v1/apikeys', headers: as(`${key.raw}a`) });
    const prefix = key.json.apiKeyMetadata.keyPrefix as string;
    return {
      length: key.raw.length,
      form: /^gm_[a-z2-7]+$/.test(key.raw),
      authenticates: own.status,
      oneMore: longer.status,
      // The default 8, cut short when the key is not longer than that.
      prefix: key.raw.startsWith(prefix) ? prefix.length : 'not a prefix',
    };
  },
  keyPrefixLength: async (mock) => {
    const key = await create(mock);
    const prefix = key.json.apiKeyMetadata.keyPrefix as string;
    return { length: prefix.length, isPrefix: key.raw.startsWith(prefix), listed: (await listed(mock, key.id)).keyPrefix === prefix };
  },
  bearer: async (mock) => (await mock.send({ path: '/v1/apikeys', headers: { authorization: `Bearer ${KEYS.alice}` } })).status,
  validationErrors: async (mock) => {
    const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { labels: { env: 1 } } });
    const past = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { expiresAt: T0 - 1 } });
    const badId = await mock.send({ method: 'DELETE', path: '/v1/apikeys/not-a-uuid', headers: as(KEYS.alice) });
    // Not about a field: the body as a whole.
    const notJson = await mock.send({
      method: 'POST',
      path: '/v1/apikeys',
      headers: { ...as(KEYS.alice), 'content-type': 'application/json' },
      body: '{',
    });
    return [res, past, badId, notJson].map((r) => [
      r.status,
      Object.keys(r.json as object),
      (r.json as any).errors?.map((e: any) => e.field),
    ]);
  },
  errorExtras: async (mock) => {
    mock.clock.advance(7);
    const res = await mock.send({
      method: 'PUT',
      path: '/v1/apikeys/550e8400-e29b-41d4-a716-446655440000',
      headers: as(KEYS.alice),
      body: {},
    });
    return { status: res.status, body: { ...(res.json as object), error: typeof (res.json as any).error } };
  },
  location: async (mock) => {
    const key = await create(mock);
    return key.location?.replace(key.id, '{id}').replace(mock.url, '{url}');
  },
  wrongMethod: async (mock) => {
    const res = await mock.send({ method: 'PATCH', path: '/v1/apikeys', headers: as(KEYS.alice) });
    const options = await mock.send({ method: 'OPTIONS', path: '/v1/apikeys/550e8400-e29b-41d4-a716-446655440000' });
    return {
      status: res.status,
      allow: res.headers.allow,
      body: Object.keys(res.json as object),
      options: [options.status, options.headers.allow],
    };
  },
  compactApiKeyId: async (mock) => {
    const compact = '0B7E5A3C2F4D4E6A9C1B8D7F6E5A4B3C';
    const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { apiKeyId: compact } });
    return res.status === 201 ? [201, (res.json as any).apiKeyMetadata.apiKeyId] : [res.status, (res.json as any).error];
  },
  partialHyphenIds: async (mock) => {
    const key = await create(mock);
    const partial = key.id.slice(0, 13) + key.id.slice(14).replace('-', '');
    const res = await mock.send({ method: 'DELETE', path: `/v1/apikeys/${partial.toUpperCase()}`, headers: as(KEYS.alice) });
    const junk = await mock.send({ method: 'DELETE', path: '/v1/apikeys/not-a-uuid-at-all', headers: as(KEYS.alice) });
    return [res.status, (await listed(mock, key.id)) === undefined, junk.status];
  },
  numericStrings: async (mock) => {
    const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { expiresAt: String(T0 + 60_000) } });
    if (res.status !== 201) return [res.status, (res.json as any).error];
    const id = (res.json as any).apiKeyMetadata.apiKeyId;
    return [201, (res.json as any).apiKeyMetadata.expiresAt, mock.store.keyById(id)!.expiresAt];
  },
};

/** Each value of each choice and what its scenario must observe. */
const expected: { [N in ChoiceName]: [ServerChoices[N], unknown][] } = {
  listOrder: [
    ['oldest-first', ['first', 'second']],
    ['newest-first', ['second', 'first']],
  ],
  foreignKeyStatus: [
    [403, [403, 403, 'ACTIVE']],
    [404, [404, 404, 'ACTIVE']],
  ],
  unknownFields: [
    ['rejected', [400, 'request body must not have property expires_at']],
    ['ignored', [201, null]],
  ],
  deletedIds: [
    ['reusable', 201],
    ['reserved', 409],
  ],
  noopUpdate: [
    ['keeps-updated-at', 0],
    ['moves-updated-at', 1000],
  ],
  updatedAtOnUse: [
    ['unchanged', 0],
    ['moves', 1000],
  ],
  lastUsedAt: [
    ['immediate', [10, 10, 10, 10]],
    ['background', [null, null, null, 10]],
  ],
  rawKeyLength: [
    [4, { length: 4, form: true, authenticates: 200, oneMore: 401, prefix: 3 }],
    [29, { length: 29, form: true, authenticates: 200, oneMore: 401, prefix: 8 }],
    [52, { length: 52, form: true, authenticates: 200, oneMore: 401, prefix: 8 }],
    [256, { length: 256, form: true, authenticates: 200, oneMore: 401, prefix: 8 }],
  ],
  keyPrefixLength: [
    [1, { length: 1, isPrefix: true, listed: true }],
    [8, { length: 8, isPrefix: true, listed: true }],
    [12, { length: 12, isPrefix: true, listed: true }],
    [28, { length: 28, isPrefix: true, listed: true }],
    [255, { length: 255, isPrefix: true, listed: true }],
  ],
  bearer: [
    ['accepted', 200],
    ['refused', 401],
  ],
  validationErrors: [
    [
      'error',
      [
        [400, ['error'], undefined],
        [400, ['error'], undefined],
        [400, ['error'], undefined],
        [400, ['error'], undefined],
      ],
    ],
    [
      'errors',
      [
        [400, ['errors'], ['labels.env']],
        [400, ['errors'], ['expiresAt']],
        [400, ['errors'], ['id']],
        [400, ['error'], undefined],
      ],
    ],
  ],
  errorExtras: [
    ['none', { status: 404, body: { error: 'string' } }],
    ['status-timestamp', { status: 404, body: { error: 'string', status: 404, timestamp: T0 + 7 } }],
  ],
  location: [
    ['relative', '/v1/apikeys/{id}'],
    ['absolute', '{url}/v1/apikeys/{id}'],
  ],
  wrongMethod: [
    [405, { status: 405, allow: 'GET, POST', body: ['error'], options: [204, 'PUT, DELETE'] }],
    [404, { status: 404, allow: undefined, body: ['error'], options: [404, undefined] }],
  ],
  compactApiKeyId: [
    ['accepted', [201, '0b7e5a3c-2f4d-4e6a-9c1b-8d7f6e5a4b3c']],
    [
      'refused',
      [400, 'request body property apiKeyId must be a UUID with its four hyphens (8-4-4-4-12), got "0B7E5A3C2F4D4E6A9C1B8D7F6E5A4B3C"'],
    ],
  ],
  partialHyphenIds: [
    ['refused', [400, false, 400]],
    ['accepted', [204, true, 400]],
  ],
  numericStrings: [
    ['accepted', [201, T0 + 60_000, T0 + 60_000]],
    [
      'refused',
      [400, expect.stringMatching(/^request body property expiresAt must be an integer, not the string "\d+": .*GoodMem's server reads/)],
    ],
  ],
};

const rows = CHOICE_NAMES.flatMap((name) =>
  expected[name].map(([value, observed]) => ({
    name,
    value: value as string | number,
    observed,
    label: `${name}: ${JSON.stringify(value)}`,
  })),
);

/** The choice alone switched (a prefix longer than the default key needs a longer key). */
function choicesFor(name: ChoiceName, value: string | number) {
  const choices: Record<string, unknown> = { [name]: value };
  if (name === 'keyPrefixLength' && (value as number) >= DEFAULT_CHOICES.rawKeyLength) choices.rawKeyLength = (value as number) + 1;
  return choices;
}

describe('every legal choice, each value shown over a real socket by both adapters', () => {
  it('covers every choice of the table and every value of each enum choice, the default included', () => {
    expect(Object.keys(expected).sort()).toEqual([...CHOICE_NAMES].sort());
    for (const name of CHOICE_NAMES) {
      const row = SERVER_CHOICES[name];
      const values = expected[name].map(([v]) => v);
      expect(values, name).toContain(row.default);
      if (row.kind === 'enum') expect([...values].sort(), name).toEqual([...row.values].sort());
      else expect(values, name).toEqual(expect.arrayContaining([row.min, row.max]));
    }
  });

  it('hands out every raw key of a very short configured length once, then answers 500 naming the choice', async () => {
    // A generator that walks through all 32 one-character keys in turn, then repeats them.
    let n = 0;
    const random = (size: number) => Uint8Array.from({ length: size }, () => n++ % 32);
    const mock = await fileMock({ choices: { rawKeyLength: 4 }, random });
    const raw = new Set<string>();
    for (let i = 0; i < 32; i++) raw.add((await create(mock)).raw);
    expect(raw.size).toBe(32);
    const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: {} });
    expect(res.status).toBe(500);
    expect((res.json as { error: string }).error).toMatch(
      /no unused raw key of 4 characters is left; start the mock with a longer rawKeyLength/,
    );
  });

  it.each(rows)('$label', async ({ name, value, observed }) => {
    for (const front of ['node', 'express'] as const) {
      const mock = await fileMock({ front, choices: choicesFor(name, value), clock: new MockClock(() => T0) });
      expect(await scenarios[name](mock), `${front} adapter`).toEqual(observed);
    }
  });
});
