import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadSpec, type OperationId } from '../../contracts/spec/load-spec.ts';
import { expectDocumented } from './support/expect-documented.ts';
import { KEYS, USERS, testMock } from './support/test-mock.ts';

type Mock = Awaited<ReturnType<typeof testMock>>;
interface Prepared {
  id: string;
  rawApiKey: string;
}

interface Case {
  operationId: OperationId;
  status: number;
  title: string;
  /** Prepares state through the public API. */
  setup?(mock: Mock): Promise<Prepared>;
  /** The one request under test. */
  send(mock: Mock, prepared: Prepared): request.Test;
  /** The state change it must make, or 'unchanged'. */
  expectState: 'unchanged' | ((mock: Mock, res: request.Response, prepared: Prepared) => void);
}

const NO_KEY = '550e8400-e29b-41d4-a716-446655440000';

function keyOf(owner: string, body: object = {}) {
  return async (mock: Mock): Promise<Prepared> => {
    const res = await request(mock.app).post('/v1/apikeys').set('x-api-key', owner).send(body).expect(201);
    return { id: res.body.apiKeyMetadata.apiKeyId, rawApiKey: res.body.rawApiKey };
  };
}

// One row per (operation, documented status): the HTTP surface as a table.
const cases: Case[] = [
  {
    operationId: 'createApiKey',
    status: 201,
    title: 'creates an ACTIVE key owned by the caller and points Location at it',
    send: (m) =>
      request(m.app)
        .post('/v1/apikeys')
        .set('x-api-key', KEYS.alice)
        .send({ labels: { env: 'ci' }, expiresAt: m.clock.now() + 60_000 }),
    expectState: (m, res) => {
      expect(m.store.keyById(res.body.apiKeyMetadata.apiKeyId)).toMatchObject({
        userId: USERS.alice,
        status: 'ACTIVE',
        labels: { env: 'ci' },
      });
      expect(res.headers.location).toBe(`/v1/apikeys/${res.body.apiKeyMetadata.apiKeyId}`);
    },
  },
  {
    operationId: 'createApiKey',
    status: 400,
    title: 'rejects an expiresAt that is not in the future',
    send: (m) => request(m.app).post('/v1/apikeys').set('x-api-key', KEYS.alice).send({ expiresAt: m.clock.now() }),
    expectState: 'unchanged',
  },
  {
    operationId: 'createApiKey',
    status: 401,
    title: 'rejects a request without a key',
    send: (m) => request(m.app).post('/v1/apikeys').send({}),
    expectState: 'unchanged',
  },
  {
    operationId: 'createApiKey',
    status: 403,
    title: 'rejects a caller without CREATE_APIKEY_OWN',
    send: (m) => request(m.app).post('/v1/apikeys').set('x-api-key', KEYS.nobody).send({}),
    expectState: 'unchanged',
  },
  {
    operationId: 'createApiKey',
    status: 409,
    title: "rejects an apiKeyId already in use by another user's key, leaving that key alone",
    setup: keyOf(KEYS.bob),
    send: (m, p) => request(m.app).post('/v1/apikeys').set('x-api-key', KEYS.alice).send({ apiKeyId: p.id.toUpperCase() }),
    expectState: 'unchanged',
  },
  {
    operationId: 'listApiKeys',
    status: 200,
    title: "lists only the caller's own keys, metadata only",
    setup: keyOf(KEYS.bob),
    send: (m) => request(m.app).get('/v1/apikeys').set('x-api-key', KEYS.alice),
    expectState: (_m, res) => {
      expect(res.body.keys.map((k: { userId: string }) => k.userId)).toEqual([USERS.alice]);
      expect(res.text).not.toMatch(/gm_[a-z2-7]{26}|keyHash/);
    },
  },
  {
    operationId: 'listApiKeys',
    status: 401,
    title: 'rejects a well-formed key that names no key',
    send: (m) => request(m.app).get('/v1/apikeys').set('x-api-key', 'gm_aaaaaaaaaaaaaaaaaaaaaaaaaa'),
    expectState: 'unchanged',
  },
  {
    operationId: 'listApiKeys',
    status: 403,
    title: 'rejects a caller without LIST_APIKEY_OWN',
    send: (m) => request(m.app).get('/v1/apikeys').set('x-api-key', KEYS.nobody),
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
    send: (m, p) => request(m.app).put(`/v1/apikeys/${p.id}`).set('x-api-key', KEYS.alice).send({ status: 'INACTIVE' }),
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
    send: (m, p) =>
      request(m.app)
        .put(`/v1/apikeys/${p.id}`)
        .set('x-api-key', KEYS.alice)
        .send({ replaceLabels: { a: '1' }, mergeLabels: { b: '2' } }),
    expectState: 'unchanged',
  },
  {
    operationId: 'updateApiKey',
    status: 401,
    title: 'rejects a key that was set INACTIVE, even to reactivate itself',
    setup: async (m) => {
      const prepared = await keyOf(KEYS.alice)(m);
      await request(m.app).put(`/v1/apikeys/${prepared.id}`).set('x-api-key', KEYS.alice).send({ status: 'INACTIVE' }).expect(200);
      return prepared;
    },
    send: (m, p) => request(m.app).put(`/v1/apikeys/${p.id}`).set('x-api-key', p.rawApiKey).send({ status: 'ACTIVE' }),
    expectState: 'unchanged',
  },
  {
    operationId: 'updateApiKey',
    status: 403,
    title: "rejects updating someone else's key without UPDATE_APIKEY_ANY",
    setup: keyOf(KEYS.bob),
    send: (m, p) => request(m.app).put(`/v1/apikeys/${p.id}`).set('x-api-key', KEYS.alice).send({ status: 'INACTIVE' }),
    expectState: 'unchanged',
  },
  {
    operationId: 'updateApiKey',
    status: 404,
    title: 'rejects a well-formed id that names no key',
    send: (m) => request(m.app).put(`/v1/apikeys/${NO_KEY}`).set('x-api-key', KEYS.alice).send({ status: 'INACTIVE' }),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 204,
    title: 'deletes an own key permanently',
    setup: keyOf(KEYS.alice),
    send: (m, p) => request(m.app).delete(`/v1/apikeys/${p.id}`).set('x-api-key', KEYS.alice),
    expectState: (m, _res, p) => expect(m.store.keyById(p.id)).toBeUndefined(),
  },
  {
    operationId: 'deleteApiKey',
    status: 400,
    title: 'rejects an id with trailing garbage',
    send: (m) => request(m.app).delete(`/v1/apikeys/${NO_KEY}x`).set('x-api-key', KEYS.alice),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 401,
    title: 'rejects a key that has expired',
    setup: async (m) => {
      const prepared = await keyOf(KEYS.alice, { expiresAt: m.clock.now() + 1000 })(m);
      m.clock.advance(1000);
      return prepared;
    },
    send: (m, p) => request(m.app).delete(`/v1/apikeys/${p.id}`).set('x-api-key', p.rawApiKey),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 403,
    title: "rejects deleting someone else's key without DELETE_APIKEY_ANY",
    setup: keyOf(KEYS.alice),
    send: (m, p) => request(m.app).delete(`/v1/apikeys/${p.id}`).set('x-api-key', KEYS.bob),
    expectState: 'unchanged',
  },
  {
    operationId: 'deleteApiKey',
    status: 404,
    title: 'rejects deleting a key that was already deleted',
    setup: async (m) => {
      const prepared = await keyOf(KEYS.alice)(m);
      await request(m.app).delete(`/v1/apikeys/${prepared.id}`).set('x-api-key', KEYS.alice).expect(204);
      return prepared;
    },
    send: (m, p) => request(m.app).delete(`/v1/apikeys/${p.id}`).set('x-api-key', KEYS.alice),
    expectState: 'unchanged',
  },
];

describe('the HTTP surface: every documented (operation, status) pair', () => {
  it('has a case for every pair openapi.yaml documents, and no other', () => {
    const documented = loadSpec().operations.flatMap((op) => op.statuses.map((s) => `${op.operationId} ${s}`));
    expect(cases.map((c) => `${c.operationId} ${c.status}`).sort()).toEqual(documented.sort());
  });

  it.each(cases)('$operationId $status: $title', async (c) => {
    const mock = await testMock();
    const prepared = (await c.setup?.(mock)) ?? { id: NO_KEY, rawApiKey: '' };
    const before = mock.snapshot();
    const res = await c.send(mock, prepared);
    expectDocumented(c.operationId, res, c.status);
    // Rejections and reads (GET is read-only) leave the state as it was.
    const readOnly = loadSpec().byId[c.operationId].method === 'get';
    if (c.expectState === 'unchanged' || readOnly) expect(mock.snapshot()).toBe(before);
    else expect(mock.snapshot()).not.toBe(before);
    if (c.expectState !== 'unchanged') c.expectState(mock, res, prepared);
  });
});
