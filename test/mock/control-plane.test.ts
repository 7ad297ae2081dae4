import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { expectDocumented } from './support/expect-documented.ts';
import { KEYS, testMock } from '../support/running-mock.ts';

const TOKEN = 'test-admin-token';
const mockWithToken = () => testMock({ adminToken: TOKEN });

describe('the /_mock control plane', () => {
  it.each([
    ['GET', '/_mock/health'],
    ['POST', '/_mock/reset'],
    ['POST', '/_mock/users'],
    ['GET', '/_mock/clock'],
    ['POST', '/_mock/clock'],
    ['GET', '/_mock/faults'],
    ['POST', '/_mock/faults'],
    ['DELETE', '/_mock/faults'],
  ])('%s %s answers 401 without the token, with a wrong one, or with it twice, and changes nothing', async (method, path) => {
    const mock = await mockWithToken();
    const before = mock.snapshot();
    for (const headers of [{}, { 'x-admin-token': 'wrong-token' }, { 'x-admin-token': `${TOKEN}x` }]) {
      const res = await request(mock.app)[method.toLowerCase() as 'get'](path).set(headers).send({ advanceMs: 1 });
      expect(res.status).toBe(401);
      expect(res.body.error).toMatch(/x-admin-token/);
    }
    const twice = await request(mock.app)
      [method.toLowerCase() as 'get'](path)
      .set('x-admin-token', [TOKEN, TOKEN] as unknown as string); // sent as two headers
    expect(twice.status).toBe(401);
    expect(mock.snapshot()).toBe(before);
    expect(mock.clock.offsetMs).toBe(0);
  });

  it('is switched off entirely with controlPlane: false', async () => {
    const mock = await testMock({ controlPlane: false, adminToken: TOKEN });
    await request(mock.app).get('/_mock/health').set('x-admin-token', TOKEN).expect(404);
  });

  it('reports health and resets to the seed, dropping keys, clock offset and faults', async () => {
    const mock = await mockWithToken();
    const seeded = mock.snapshot();
    await request(mock.app).post('/v1/apikeys').set('x-api-key', KEYS.alice).send({}).expect(201);
    await request(mock.app).post('/_mock/clock').set('x-admin-token', TOKEN).send({ advanceMs: 5000 }).expect(200);
    await request(mock.app).post('/_mock/faults').set('x-admin-token', TOKEN).send({ operationId: 'listApiKeys', status: 403 }).expect(201);
    expect((await request(mock.app).get('/_mock/health').set('x-admin-token', TOKEN).expect(200)).body).toMatchObject({
      status: 'ok',
      keys: 5,
      users: 4,
    });
    await request(mock.app).post('/_mock/reset').set('x-admin-token', TOKEN).expect(200);
    expect(mock.snapshot().replace(/"(createdAt|updatedAt)":\d+/g, '')).toBe(seeded.replace(/"(createdAt|updatedAt)":\d+/g, ''));
    expect(mock.clock.offsetMs).toBe(0);
    await request(mock.app).get('/v1/apikeys').set('x-api-key', KEYS.alice).expect(200);
  });

  it('creates a user with a role or an explicit permission set, whose key works at once', async () => {
    const mock = await mockWithToken();
    const res = await request(mock.app)
      .post('/_mock/users')
      .set('x-admin-token', TOKEN)
      .send({ name: 'lister', permissions: ['LIST_APIKEY_OWN'] })
      .expect(201);
    const key = res.body.rawApiKey;
    expect(key).toMatch(/^gm_[a-z2-7]{26}$/);
    await request(mock.app).get('/v1/apikeys').set('x-api-key', key).expect(200);
    await request(mock.app).post('/v1/apikeys').set('x-api-key', key).send({}).expect(403);
  });

  it('rejects a user with an unknown permission, naming the valid values', async () => {
    const mock = await mockWithToken();
    const res = await request(mock.app)
      .post('/_mock/users')
      .set('x-admin-token', TOKEN)
      .send({ permissions: ['DO_ANYTHING'] })
      .expect(400);
    expect(res.body.error).toMatch(/CREATE_APIKEY_OWN/);
  });

  it('sets and advances the clock', async () => {
    const mock = await mockWithToken();
    const set = await request(mock.app).post('/_mock/clock').set('x-admin-token', TOKEN).send({ now: 4_000_000_000_000 }).expect(200);
    expect(set.body.now).toBeGreaterThanOrEqual(4_000_000_000_000);
    const created = await request(mock.app).post('/v1/apikeys').set('x-api-key', KEYS.alice).send({}).expect(201);
    expect(created.body.apiKeyMetadata.createdAt).toBeGreaterThanOrEqual(4_000_000_000_000);
  });

  it('forces a documented status for the next N matching requests, then behaves again', async () => {
    const mock = await mockWithToken();
    await request(mock.app)
      .post('/_mock/faults')
      .set('x-admin-token', TOKEN)
      .send({ operationId: 'listApiKeys', status: 403, count: 2 })
      .expect(201);
    for (let i = 0; i < 2; i++)
      expectDocumented('listApiKeys', await request(mock.app).get('/v1/apikeys').set('x-api-key', KEYS.alice), 403);
    await request(mock.app).get('/v1/apikeys').set('x-api-key', KEYS.alice).expect(200);
  });

  it('injects latency (waited out by the injected wait, never by this test), then answers normally', async () => {
    const waits: number[] = [];
    const mock = await testMock({ adminToken: TOKEN, wait: async (ms) => void waits.push(ms) });
    await request(mock.app)
      .post('/_mock/faults')
      .set('x-admin-token', TOKEN)
      .send({ method: 'GET', path: '/v1/apikeys', latencyMs: 50 })
      .expect(201);
    await request(mock.app).get('/v1/apikeys').set('x-api-key', KEYS.alice).expect(200);
    expect(waits).toEqual([50]);
    await request(mock.app).get('/v1/apikeys').set('x-api-key', KEYS.alice).expect(200);
    expect(waits, 'the fault is used up').toEqual([50]);
    expect((await request(mock.app).get('/_mock/faults').set('x-admin-token', TOKEN)).body.faults).toEqual([]);
  });
});

describe("Prism's Prefer header", () => {
  it('forces a documented response from the spec without touching state or needing a key', async () => {
    const mock = await mockWithToken();
    const before = mock.snapshot();
    const created = await request(mock.app).post('/v1/apikeys').set('prefer', 'code=201').send({});
    expectDocumented('createApiKey', created, 201);
    const missing = await request(mock.app).delete('/v1/apikeys/550e8400-e29b-41d4-a716-446655440000').set('prefer', 'code=404');
    expectDocumented('deleteApiKey', missing, 404);
    expect(mock.snapshot()).toBe(before);
  });

  it('rejects a status the operation does not document, listing the documented ones', async () => {
    const mock = await mockWithToken();
    const res = await request(mock.app).get('/v1/apikeys').set('prefer', 'code=418').expect(400);
    expect(res.body.error).toMatch(/200, 401, 403/);
  });
});
