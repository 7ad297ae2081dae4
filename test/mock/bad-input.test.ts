import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { KEYS, testMock } from '../support/running-mock.ts';

type Mock = Awaited<ReturnType<typeof testMock>>;
const errorSchema = loadSpec().schema('Error');

/** Every rejection: the status, a JSON `{error}` body, and no state change. */
async function expectRejected(mock: Mock, send: () => request.Test, status: number, message?: RegExp) {
  const before = mock.snapshot();
  const res = await send();
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(errorSchema(res.body), res.text).toBe(true);
  if (message) expect(res.body.error).toMatch(message);
  expect(mock.snapshot()).toBe(before);
  return res;
}

const post = (m: Mock) => request(m.app).post('/v1/apikeys').set('x-api-key', KEYS.alice);
const tenLabels = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v']));

describe('create rejects bad bodies with 400 and changes nothing', () => {
  it.each([
    ['malformed JSON', '{"labels": ', /not valid JSON/],
    ['a top-level null', 'null', /request body must be object/],
    ['a top-level array', '[]', /request body must be object/],
    ['a top-level string', '"x"', /request body must be object/],
    ['labels of the wrong type', '{"labels": "env=ci"}', /labels must be object or null/],
    ['a label value that is not a string', '{"labels": {"n": 1}}', /labels\.n must be string/],
    ['more than 10 labels', JSON.stringify({ labels: { ...tenLabels, k10: 'v' } }), /more than 10/],
    ['an expiresAt that is a string', '{"expiresAt": "2030-01-01"}', /expiresAt must be integer or null/],
    ['an expiresAt with a fraction', '{"expiresAt": 4102444800000.5}', /expiresAt must be integer/],
    ['an unknown field (a typo such as expires_at)', '{"expires_at": 4102444800000}', /must not have property expires_at/],
    ['a label key over 128 characters', JSON.stringify({ labels: { ['k'.repeat(129)]: 'v' } }), /key/],
    ['a label value over 1024 characters', JSON.stringify({ labels: { k: 'v'.repeat(1025) } }), /more than 1024/],
    ['an empty label key', '{"labels": {"": "v"}}', /key/],
  ])('%s', async (_what, body, message) => {
    const mock = await testMock();
    await expectRejected(mock, () => post(mock).set('content-type', 'application/json').send(body), 400, message);
  });

  it('rejects a body sent as text/plain', async () => {
    const mock = await testMock();
    await expectRejected(mock, () => post(mock).set('content-type', 'text/plain').send('{}'), 400, /application\/json/);
  });

  it('rejects a missing body', async () => {
    const mock = await testMock();
    await expectRejected(mock, () => post(mock), 400, /required/);
  });

  it('answers 413 for a body over 1 MiB', async () => {
    const mock = await testMock();
    const huge = JSON.stringify({ labels: { k: 'v'.repeat(1024 * 1024) } });
    await expectRejected(mock, () => post(mock).set('content-type', 'application/json').send(huge), 413);
  });

  it('accepts null for the nullable fields and {} as a whole request', async () => {
    const mock = await testMock();
    await post(mock).send({ labels: null, expiresAt: null }).expect(201);
    await post(mock).send({}).expect(201);
  });

  it('stores __proto__, constructor and prototype label keys as plain data', async () => {
    const mock = await testMock();
    const body = '{"labels": {"__proto__": "x", "constructor": "y", "prototype": "z"}}';
    const res = await post(mock).set('content-type', 'application/json').send(body).expect(201);
    expect(JSON.stringify(res.body.apiKeyMetadata.labels)).toBe('{"__proto__":"x","constructor":"y","prototype":"z"}');
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(Object.getPrototypeOf(mock.store.keyById(res.body.apiKeyMetadata.apiKeyId)!.labels)).toBe(Object.prototype);
  });
});

describe('update rejects bad requests with 400 and changes nothing', () => {
  async function withKey() {
    const mock = await testMock();
    const res = await post(mock).send({ labels: tenLabels }).expect(201);
    const id: string = res.body.apiKeyMetadata.apiKeyId;
    const put = (path = id) => request(mock.app).put(`/v1/apikeys/${path}`).set('x-api-key', KEYS.alice);
    return { mock, id, put };
  }

  it.each([
    ['an unknown status', { status: 'DELETED' }, /status must be one of/],
    ['a lower-case status', { status: 'active' }, /status must be one of/],
    ['a numeric status', { status: 123 }, /status must be/],
    ['both label strategies', { replaceLabels: {}, mergeLabels: {} }, /replaceLabels and mergeLabels/],
    ['an immutable field', { userId: '00000000-0000-4000-8000-000000000003' }, /must not have property userId/],
    ['a key material field', { keyPrefix: 'gm_xxxxx' }, /must not have property keyPrefix/],
    ['a merge that would exceed 10 labels', { mergeLabels: { k10: 'v' } }, /at most 10/],
  ])('%s', async (_what, body, message) => {
    const { mock, put } = await withKey();
    await expectRejected(mock, () => put().send(body), 400, message);
  });

  it.each([
    ['not a UUID', 'not-a-uuid'],
    ['a UUID with trailing garbage', '550e8400-e29b-41d4-a716-446655440000x'],
    ['a UUID with a query-looking tail', '550e8400-e29b-41d4-a716-44665544000%3Fx'],
    ['an encoded path traversal', '..%2Fx'],
    ['unicode', '%E2%9C%93'],
    ['a 10 KB id', 'a'.repeat(10_000)],
  ])('rejects an id that is %s', async (_what, path) => {
    const { mock, put } = await withKey();
    await expectRejected(mock, () => put(path).send({}), 400, /UUID/);
  });

  it('accepts the id without hyphens and in upper case', async () => {
    const { id, put } = await withKey();
    const res = await put(id.replace(/-/g, '').toUpperCase()).send({ status: 'INACTIVE' }).expect(200);
    expect(res.body.apiKeyId).toBe(id);
  });

  it('leaves updatedAt alone and answers the same for a repeated identical request', async () => {
    const { mock, put } = await withKey();
    const first = await put()
      .send({ status: 'INACTIVE', mergeLabels: { k0: 'w' } })
      .expect(200);
    mock.clock.advance(1000);
    const second = await put()
      .send({ status: 'INACTIVE', mergeLabels: { k0: 'w' } })
      .expect(200);
    expect(second.body).toEqual({ ...first.body, lastUsedAt: second.body.lastUsedAt });
  });
});

describe('routing errors are JSON too', () => {
  it('answers 404 with an error body for an unknown path', async () => {
    const mock = await testMock();
    const res = await request(mock.app).get('/v2/nothing').expect(404);
    expect(res.body.error).toMatch(/no route/);
  });

  it('answers 405 with Allow for a method the path does not have', async () => {
    const mock = await testMock();
    const res = await request(mock.app).patch('/v1/apikeys').expect(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.body.error).toMatch(/PATCH/);
  });

  it('sends no X-Powered-By header and no HTML anywhere', async () => {
    const mock = await testMock();
    for (const res of [
      await request(mock.app).get('/x'),
      await request(mock.app).post('/v1/apikeys').set('x-api-key', KEYS.alice).set('content-type', 'application/json').send('{'),
    ]) {
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.text).not.toMatch(/<html|<pre|at .*\.ts:/i);
    }
  });
});
