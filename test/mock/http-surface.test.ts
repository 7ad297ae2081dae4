import { describe, expect, it } from 'vitest';
import { CHOICE_NAMES, SERVER_CHOICES, type ServerChoices } from '../../contracts/common/server-choices.ts';
import { loadSpec, type OperationId } from '../../contracts/openapi/load-spec.ts';
import { MockClock } from '../../mock/service/clock.ts';
import type { Reply, SendOptions } from '../hardening/support/http-client.ts';
import { fileMock, KEYS, USERS, type FileMock } from '../support/running-mock.ts';
import { expectDocumented } from './support/expect-documented.ts';

interface Prepared {
  id: string;
  rawApiKey: string;
}

interface Case {
  operationId: OperationId;
  status: number;
  title: string;
  /** Prepares state through the public API. */
  setup?(mock: FileMock): Promise<Prepared>;
  /** The one request under test. */
  request(mock: FileMock, prepared: Prepared): SendOptions;
  /** The state change it must make, or 'unchanged'. */
  expectState: 'unchanged' | ((mock: FileMock, res: Reply, prepared: Prepared) => void);
}

const NO_KEY = '550e8400-e29b-41d4-a716-446655440000';
const as = (key: string) => ({ 'x-api-key': key });

function keyOf(owner: string, body: (mock: FileMock) => object = () => ({})) {
  return async (mock: FileMock): Promise<Prepared> => {
    const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: as(owner), body: body(mock) });
    expect(res.status, res.text).toBe(201);
    const created = res.json as { apiKeyMetadata: { apiKeyId: string }; rawApiKey: string };
    return { id: created.apiKeyMetadata.apiKeyId, rawApiKey: created.rawApiKey };
  };
}
const body = (res: Reply) => res.json as { apiKeyMetadata: { apiKeyId: string }; keys: { userId: string }[] };

// One row per (operation, documented status): the HTTP surface as a table.
const cases: Case[] = [
  {
    operationId: 'createApiKey',
    status: 201,
    title: 'creates an ACTIVE key owned by the caller and points Location at it',
    request: (m) => ({
      method: 'POST',
      path: '/v1/apikeys',
      headers: as(KEYS.alice),
      body: { labels: { env: 'ci' }, expiresAt: m.clock.now() + 60_000 },
    }),
    expectState: (m, res) => {
      expect(m.store.keyById(body(res).apiKeyMetadata.apiKeyId)).toMatchObject({
        userId: USERS.alice,
        status: 'ACTIVE',
        labels: { env: 'ci' },
      });
      expect(res.headers.location).toBe(`/v1/apikeys/${body(res).apiKeyMetadata.apiKeyId}`);
    },
  },
  {
    operationId: 'createApiKey',
    status: 400,
    title: 'rejects an expiresAt that is not in the future',
    request: (m) => ({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { expiresAt: m.clock.now() } }),
    expectState: 'unchanged',
  },
  {
    operationId: 'createApiKey',
    status: 401,
    title: 'rejects a request without a key',
    request: () => ({ method: 'POST', path: '/v1/apikeys', body: {} }),
    expectState: 'unchanged',
  },
  {
    operationId: 'createApiKey',
    status: 403,
    title: 'rejects a caller without CREATE_APIKEY_OWN',
    request: () => ({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.nobody), body: {} }),
    expectState: 'unchanged',
  },
  {
    operationId: 'createApiKey',
    status: 409,
    title: "rejects an apiKeyId already in use by another user's key, leaving that key alone",
    setup: keyOf(KEYS.bob),
    request: (_m, p) => ({ method: 'POST', path: '/v1/apikeys', headers: as(KEYS.alice), body: { apiKeyId: p.id.toUpperCase() } }),
    expectState: 'unchanged',
  },
  {
    operationId: 'listApiKeys',
    status: 200,
    title: "lists only the caller's own keys, metadata only",
    setup: keyOf(KEYS.bob),
    request: () => ({ path: '/v1/apikeys', headers: as(KEYS.alice) }),
    expectState: (_m, res) => {
      expect(body(res).keys.map((k) => k.userId)).toEqual([USERS.alice]);
      expect(res.text).not.toMatch(/gm_[a-z2-7]{26}|keyHash/);
    },
  },
  {
    operationId: 'listApiKeys',
    status: 401,
    title: 'rejects a well-formed key that names no key',
    request: () => ({ path: '/v1/apikeys', headers: as('gm_aaaaaaaaaaaaaaaaaaaaaaaaaa') }),
    expectState: 'unchanged',
  },
  {
    operationId: 'listApiKeys',
    status: 403,
    title: 'rejects a caller without LIST_APIKEY_OWN',
    request: () => ({ path: '/v1/apikeys', headers: as(KEYS.nobody) }),
    expectState: 'unchanged',
  },
  {
    operationId: 'updateApiKey',
    status: 200,
    title: 'deactivates an own key and records who changed it and when',
    setup: async (m) => {
      const prepared = await keyOf(KEYS.alice)(m);
      m.clock.advance(5);
      return prepared;
    },
    request: (_m, p) => ({ method: 'PUT', path: `/v1/apikeys/${p.id}`, headers: as(KEYS.alice), body: { status: 'INACTIVE' } }),
    expectState: (m, _res, p) => {
      const stored = m.store.keyById(p.id)!;
      expect(stored).toMatchObject({ status: 'INACTIVE', updatedById: USERS.alice });
      expect(stored.updatedAt).toBeGreaterThan(stored.createdAt);
    },
  },
  {
    operationId: 'updateApiKey',
    status: 400,
    title: 'rejects replaceLabels and mergeLabels together',
    setup: keyOf(KEYS.alice),
    request: (_m, p) => ({
      method: 'PUT',
      path: `/v1/apikeys/${p.id}`,
      headers: as(KEYS.alice),
      body: { replaceLabels: { a: '1' }, mergeLabels: { b: '2' } },
    }),
    expectState: 'unchanged',
  },
  {
    operationId: 'updateApiKey',
    status: 401,
    title: 'rejects a key that was set INACTIVE, even to reactivate itself',
    setup: async (m) => {
      const prepared = await keyOf(KEYS.alice)(m);
      const res = await m.send({
        method: 'PUT',
        path: `/v1/apikeys/${prepared.id}`,
        headers: as(KEYS.alice),
        body: { status: 'INACTIVE' },
      });
      expect(res.status).toBe(200);
      return prepared;
    },
    request: (_m, p) => ({ method: 'PUT', path: `/v1/apikeys/${p.id}`, headers: as(p.rawApiKey), body: { status: 'ACTIVE' } }),
    expectState: 'unchanged',
  },
  {
    operationId: 'updateApiKey',
    status: 403,
    title: "rejects updating someone else's key without UPDATE_APIKEY_ANY",
    setup: keyOf(KEYS.bob),
    request: (_m, p) => ({ method: 'PUT', path: `/v1/apikeys/${p.id}`, headers: as(KEYS.alice), body: { status: 'INACTIVE' } }),
    expectState: 'unchanged',
  },
  {
    operationId: 'updateApiKey',
    status: 404,
    title: 'rejects a well-formed id that names no key',
    request: () => ({ method: 'PUT', path: `/v1/apikeys/${NO_KEY}`, headers: as(KEYS.alice), body: { status: 'INACTIVE' } }),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 204,
    title: 'deletes an own key permanently',
    setup: keyOf(KEYS.alice),
    request: (_m, p) => ({ method: 'DELETE', path: `/v1/apikeys/${p.id}`, headers: as(KEYS.alice) }),
    expectState: (m, _res, p) => expect(m.store.keyById(p.id)).toBeUndefined(),
  },
  {
    operationId: 'deleteApiKey',
    status: 400,
    title: 'rejects an id with trailing garbage',
    request: () => ({ method: 'DELETE', path: `/v1/apikeys/${NO_KEY}x`, headers: as(KEYS.alice) }),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 401,
    title: 'rejects a key that has expired',
    setup: async (m) => {
      const prepared = await keyOf(KEYS.alice, (mock) => ({ expiresAt: mock.clock.now() + 1000 }))(m);
      m.clock.advance(1000);
      return prepared;
    },
    request: (_m, p) => ({ method: 'DELETE', path: `/v1/apikeys/${p.id}`, headers: as(p.rawApiKey) }),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 403,
    title: "rejects deleting someone else's key without DELETE_APIKEY_ANY",
    setup: keyOf(KEYS.alice),
    request: (_m, p) => ({ method: 'DELETE', path: `/v1/apikeys/${p.id}`, headers: as(KEYS.bob) }),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 404,
    title: 'rejects deleting a key that was already deleted',
    setup: async (m) => {
      const prepared = await keyOf(KEYS.alice)(m);
      expect((await m.send({ method: 'DELETE', path: `/v1/apikeys/${prepared.id}`, headers: as(KEYS.alice) })).status).toBe(204);
      return prepared;
    },
    request: (_m, p) => ({ method: 'DELETE', path: `/v1/apikeys/${p.id}`, headers: as(KEYS.alice) }),
    expectState: 'unchanged',
  },
];

/** Every legal choice taken the other way at once (an enum's other value; another length). */
const OTHER_WAY = Object.fromEntries(
  CHOICE_NAMES.map((name) => {
    const row = SERVER_CHOICES[name];
    return [name, row.kind === 'enum' ? (row.values as readonly unknown[]).find((v) => v !== row.default) : row.default + 23];
  }),
) as Partial<ServerChoices>;

/** Runs one row on a fresh mock listening through `front`; returns the mock and the reply. */
async function runRow(c: Case, front: 'node' | 'express', clock?: MockClock, choices?: Partial<ServerChoices>) {
  const mock = await fileMock({ front, clock, random: clock ? counterRandom() : undefined, choices });
  const prepared = (await c.setup?.(mock)) ?? { id: NO_KEY, rawApiKey: '' };
  const before = mock.stateText();
  const res = await mock.send(c.request(mock, prepared));
  return { mock, prepared, before, res };
}

/** Deterministic key material, so two mocks given the same requests create the same raw keys. */
function counterRandom() {
  let n = 0;
  return (size: number) => {
    n += 1;
    return Uint8Array.from({ length: size }, (_, i) => (n * 31 + i) & 0xff);
  };
}

/** A reply as bytes that must match across adapters: status, headers in order (minus Date), body; random UUIDs numbered by first appearance. */
function comparable(res: Reply, rawHeaders: string[]): string {
  const ids = new Map<string, string>();
  const seeded = new Set<string>(Object.values(USERS));
  const lines = [`${res.status}`];
  for (let i = 0; i < rawHeaders.length; i += 2)
    if (rawHeaders[i]!.toLowerCase() !== 'date') lines.push(`${rawHeaders[i]}: ${rawHeaders[i + 1]}`);
  lines.push(res.text);
  return lines
    .join('\n')
    .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:{port}')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) =>
      seeded.has(id) ? id : (ids.get(id) ?? (ids.set(id, `uuid-${ids.size}`), `uuid-${ids.size - 1}`)),
    );
}

describe('the HTTP surface: every documented (operation, status) pair, on a real socket', () => {
  it('has a case for every pair openapi.yaml documents, and no other', () => {
    const documented = loadSpec().operations.flatMap((op) => op.statuses.map((s) => `${op.operationId} ${s}`));
    expect(cases.map((c) => `${c.operationId} ${c.status}`).sort()).toEqual(documented.sort());
  });

  describe.each(['node', 'express'] as const)('answered by the %s adapter', (front) => {
    it.each(cases)('$operationId $status: $title', async (c) => {
      const { mock, prepared, before, res } = await runRow(c, front);
      expectDocumented(c.operationId, { ...res, body: res.json }, c.status);
      // Rejections and reads (GET is read-only) leave the state as it was.
      const readOnly = loadSpec().byId[c.operationId].method === 'get';
      if (c.expectState === 'unchanged' || readOnly) expect(mock.stateText()).toBe(before);
      else expect(mock.stateText()).not.toBe(before);
      if (c.expectState !== 'unchanged') c.expectState(mock, res, prepared);
    });
  });

  it.each(cases)('both adapters give byte-identical answers: $operationId $status', async (c) => {
    const answers = [];
    for (const front of ['node', 'express'] as const) {
      // The same frozen time and the same key material for both mocks.
      const { res } = await runRow(c, front, new MockClock(() => Date.UTC(2026, 0, 1)));
      answers.push(comparable(res, res.rawHeaders));
    }
    expect(answers[1]).toBe(answers[0]);
  });

  it.each(cases)('both adapters give byte-identical answers with every choice the other way: $operationId $status', async (c) => {
    const answers = [];
    for (const front of ['node', 'express'] as const) {
      const { res } = await runRow(c, front, new MockClock(() => Date.UTC(2026, 0, 1)), OTHER_WAY);
      answers.push(comparable(res, res.rawHeaders));
    }
    expect(answers[1]).toBe(answers[0]);
  });
});
