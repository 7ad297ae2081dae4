import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { KEYS, USERS, testMock } from '../support/running-mock.ts';

// contracts/CONTRACT.md "Client-chosen ids": the SDKs' ApiKeyId / apiKeyId / api_key_id on create.
const ID = '0b7e5a3c-2f4d-4e6a-9c1b-8d7f6e5a4b3c';
type Mock = Awaited<ReturnType<typeof testMock>>;
const create = (mock: Mock, key: string, body: object) => request(mock.app).post('/v1/apikeys').set('x-api-key', key).send(body);

describe('a create with a client-chosen apiKeyId', () => {
  it.each([
    ['canonical', ID],
    ['upper case', ID.toUpperCase()],
    ['without hyphens', ID.replace(/-/g, '')],
  ])('gives the key exactly that id, in canonical lower case, in the body and in Location (%s)', async (_form, sent) => {
    const mock = await testMock();
    const res = await create(mock, KEYS.alice, { apiKeyId: sent }).expect(201);
    expect(res.body.apiKeyMetadata.apiKeyId).toBe(ID);
    expect(res.headers.location).toBe(`/v1/apikeys/${ID}`);
    expect(mock.store.keyById(ID)).toMatchObject({ userId: USERS.alice });
  });

  it('generates an id when apiKeyId is null or absent', async () => {
    const mock = await testMock();
    const a = await create(mock, KEYS.alice, { apiKeyId: null }).expect(201);
    const b = await create(mock, KEYS.alice, {}).expect(201);
    expect(a.body.apiKeyMetadata.apiKeyId).not.toBe(b.body.apiKeyMetadata.apiKeyId);
  });

  it.each([['not-a-uuid'], ['0b7e5a3c-2f4d4e6a-9c1b-8d7f6e5a4b3c'], [42]])(
    'answers 400 for apiKeyId %j and stores nothing',
    async (apiKeyId) => {
      const mock = await testMock();
      const before = mock.snapshot();
      const res = await create(mock, KEYS.alice, { apiKeyId }).expect(400);
      expect(res.body.error).toMatch(/apiKeyId/);
      expect(mock.snapshot()).toBe(before);
    },
  );

  it('answers 409 when any key of any user has the id, and leaves that key untouched', async () => {
    const mock = await testMock();
    await create(mock, KEYS.alice, { apiKeyId: ID, labels: { first: 'yes' } }).expect(201);
    const before = mock.snapshot();
    for (const key of [KEYS.alice, KEYS.bob, KEYS.admin]) {
      const res = await create(mock, key, { apiKeyId: ID.toUpperCase(), labels: { second: 'yes' } }).expect(409);
      expect(res.body).toEqual({ error: `API key ${ID} already exists` });
    }
    expect(mock.snapshot()).toBe(before);
  });

  it('checks the permission first: a caller without CREATE_APIKEY_OWN gets 403 even for a taken id', async () => {
    const mock = await testMock();
    await create(mock, KEYS.alice, { apiKeyId: ID }).expect(201);
    await create(mock, KEYS.nobody, { apiKeyId: ID }).expect(403);
  });

  it("lets a deleted key's id be chosen again (the mock's choice)", async () => {
    const mock = await testMock();
    await create(mock, KEYS.alice, { apiKeyId: ID }).expect(201);
    await request(mock.app).delete(`/v1/apikeys/${ID}`).set('x-api-key', KEYS.alice).expect(204);
    await create(mock, KEYS.bob, { apiKeyId: ID }).expect(201);
    expect(mock.store.keyById(ID)).toMatchObject({ userId: USERS.bob });
  });

  it('keeps deleted ids taken when the deletedIds choice is on (the other legal way)', async () => {
    const mock = await testMock({ choices: { deletedIds: 'reserved' } });
    await create(mock, KEYS.alice, { apiKeyId: ID }).expect(201);
    await request(mock.app).delete(`/v1/apikeys/${ID}`).set('x-api-key', KEYS.alice).expect(204);
    await create(mock, KEYS.alice, { apiKeyId: ID }).expect(409);
    expect(mock.store.keyById(ID)).toBeUndefined();
  });
});
