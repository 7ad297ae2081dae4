import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';

let mock: RunningMock;
beforeEach(async () => {
  mock = await startMock();
});
afterEach(async () => {
  await mock.close();
});

async function call(method: string, path: string, key: string | null, body?: unknown) {
  const res = await fetch(`${mock.url}${path}`, {
    method,
    headers: { ...(key ? { 'x-api-key': key } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('an API key over real HTTP, from creation to deletion', () => {
  it('authenticates at once, lists without its secret, changes labels, stops and restarts with its status, and dies on delete', async () => {
    const alice = mock.devKeys.alice;
    const created = await call('POST', '/v1/apikeys', alice, { labels: { env: 'ci', team: 'sdk' } });
    expect(created.status).toBe(201);
    const { rawApiKey, apiKeyMetadata } = created.body;
    const id: string = apiKeyMetadata.apiKeyId;
    expect(created.headers.get('location')).toBe(`/v1/apikeys/${id}`);
    expect(apiKeyMetadata.keyPrefix).toBe(rawApiKey.slice(0, 8));

    // The new raw key authenticates at once, and its use is recorded.
    const listed = await call('GET', '/v1/apikeys', rawApiKey);
    expect(listed.status).toBe(200);
    const own = listed.body.keys.find((k: { apiKeyId: string }) => k.apiKeyId === id);
    expect(own).toMatchObject({ status: 'ACTIVE', labels: { env: 'ci', team: 'sdk' } });
    expect(own.lastUsedAt).toBeTypeOf('number');
    expect(JSON.stringify(listed.body)).not.toContain(rawApiKey);

    const merged = await call('PUT', `/v1/apikeys/${id}`, alice, { mergeLabels: { team: 'payments', tier: 'gold' } });
    expect(merged.body.labels).toEqual({ env: 'ci', team: 'payments', tier: 'gold' });
    const replaced = await call('PUT', `/v1/apikeys/${id}`, alice, { replaceLabels: { only: 'this' } });
    expect(replaced.body.labels).toEqual({ only: 'this' });

    expect((await call('PUT', `/v1/apikeys/${id}`, alice, { status: 'INACTIVE' })).body.status).toBe('INACTIVE');
    expect((await call('GET', '/v1/apikeys', rawApiKey)).status).toBe(401);
    expect((await call('PUT', `/v1/apikeys/${id}`, alice, { status: 'ACTIVE' })).body.status).toBe('ACTIVE');
    expect((await call('GET', '/v1/apikeys', rawApiKey)).status).toBe(200);

    expect((await call('DELETE', `/v1/apikeys/${id}`, alice)).status).toBe(204);
    expect((await call('GET', '/v1/apikeys', rawApiKey)).status).toBe(401);
    const again = await call('DELETE', `/v1/apikeys/${id}`, alice);
    expect(again.status).toBe(404);
    expect(again.body.error).toMatch(/not found/);
  });

  it('stops authenticating a key once the mock clock passes its expiresAt, without waiting', async () => {
    const now = mock.clock.now();
    const created = await call('POST', '/v1/apikeys', mock.devKeys.alice, { expiresAt: now + 60_000 });
    const { rawApiKey } = created.body;
    expect((await call('GET', '/v1/apikeys', rawApiKey)).status).toBe(200);
    const advanced = await fetch(`${mock.url}/_mock/clock`, {
      method: 'POST',
      headers: { 'x-admin-token': mock.adminToken, 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 60_000 }),
    });
    expect(advanced.status).toBe(200);
    expect((await call('GET', '/v1/apikeys', rawApiKey)).status).toBe(401);
  });

  it('lets a key delete itself, after which it no longer authenticates', async () => {
    const created = await call('POST', '/v1/apikeys', mock.devKeys.bob, {});
    const { rawApiKey, apiKeyMetadata } = created.body;
    expect((await call('DELETE', `/v1/apikeys/${apiKeyMetadata.apiKeyId}`, rawApiKey)).status).toBe(204);
    expect((await call('GET', '/v1/apikeys', rawApiKey)).status).toBe(401);
  });

  it('gives an admin the _ANY powers over other users and keeps the key with its owner', async () => {
    const created = await call('POST', '/v1/apikeys', mock.devKeys.alice, {});
    const id = created.body.apiKeyMetadata.apiKeyId;
    const all = await call('GET', '/v1/apikeys', mock.devKeys.admin);
    expect(all.body.keys.map((k: { apiKeyId: string }) => k.apiKeyId)).toContain(id);
    const updated = await call('PUT', `/v1/apikeys/${id}`, mock.devKeys.admin, { status: 'INACTIVE' });
    expect(updated.body).toMatchObject({ userId: created.body.apiKeyMetadata.userId, updatedById: '00000000-0000-4000-8000-000000000001' });
    expect((await call('DELETE', `/v1/apikeys/${id}`, mock.devKeys.admin)).status).toBe(204);
  });
});
