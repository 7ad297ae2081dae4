import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { loadStore } from '../../mock/store/load-store.ts';
import { mockProcessClient } from './support/mock-process-client.ts';
import { spawnMock, type MockProcess } from '../support/running-mock.ts';
import { tempDir } from './support/temp-dir.ts';

const alice = { 'x-api-key': DEV_KEYS.alice };

/** A mock CLI process on `dbPath`, with its log on (the log must not leak keys either). */
async function run(dbPath: string) {
  const mock = await spawnMock(['--port', '0', '--db', dbPath, '--log-level', 'info']);
  return { mock, client: mockProcessClient(mock) };
}

/** SIGKILL: no shutdown handler runs, nothing is flushed; only what was on disk before the reply counts. */
async function crash(mock: MockProcess) {
  const exit = await mock.kill('SIGKILL');
  expect(exit.signal).toBe('SIGKILL');
}

function expectNoRawKeyLogged(mocks: MockProcess[], rawKey: string) {
  for (const mock of mocks) expect(mock.stdout() + mock.stderr()).not.toContain(rawKey);
}

describe('acknowledged means durable: SIGKILL right after the reply', () => {
  it('keeps a created key: it is listed with its labels and authenticates after the restart', async () => {
    const dbPath = join(tempDir(), 'db.json');
    const first = await run(dbPath);
    const created = await first.client.create({ durable: 'create' });
    await crash(first.mock);

    // Read as a restart reads it (snapshot + journal), before any restart touches the files.
    expect(loadStore(dbPath).document!.keys[created.apiKeyMetadata.apiKeyId]).toMatchObject({ labels: { durable: 'create' } });
    const second = await run(dbPath);
    const listed = (await second.client.allKeys()).find((k) => k.apiKeyId === created.apiKeyMetadata.apiKeyId);
    expect(listed).toMatchObject({ status: 'ACTIVE', labels: { durable: 'create' } });
    expect(await second.client.statusWith(created.rawApiKey)).toBe(200);
    expectNoRawKeyLogged([first.mock, second.mock], created.rawApiKey);
  });

  it('keeps a revocation: an INACTIVE key stays INACTIVE and refused, and a reactivation stays too', async () => {
    const dbPath = join(tempDir(), 'db.json');
    const first = await run(dbPath);
    const created = await first.client.create({ durable: 'status' });
    const id = created.apiKeyMetadata.apiKeyId;
    const revoked = await first.client.send({
      method: 'PUT',
      path: `/v1/apikeys/${id}`,
      headers: alice,
      body: { status: 'INACTIVE', mergeLabels: { revoked: 'yes' } },
    });
    expect(revoked.status).toBe(200);
    await crash(first.mock);

    const second = await run(dbPath);
    expect(await second.client.statusWith(created.rawApiKey)).toBe(401);
    expect((await second.client.allKeys()).find((k) => k.apiKeyId === id)).toMatchObject({
      status: 'INACTIVE',
      labels: { durable: 'status', revoked: 'yes' },
    });
    const restored = await second.client.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { status: 'ACTIVE' } });
    expect(restored.status).toBe(200);
    await crash(second.mock);

    const third = await run(dbPath);
    expect(await third.client.statusWith(created.rawApiKey)).toBe(200);
    expectNoRawKeyLogged([first.mock, second.mock, third.mock], created.rawApiKey);
  });

  it('keeps a deletion: the key is gone, refused, and deleting it again is 404', async () => {
    const dbPath = join(tempDir(), 'db.json');
    const first = await run(dbPath);
    const created = await first.client.create({ durable: 'delete' });
    const id = created.apiKeyMetadata.apiKeyId;
    expect((await first.client.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice })).status).toBe(204);
    await crash(first.mock);

    const second = await run(dbPath);
    expect(await second.client.statusWith(created.rawApiKey)).toBe(401);
    expect((await second.client.allKeys()).map((k) => k.apiKeyId)).not.toContain(id);
    expect((await second.client.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice })).status).toBe(404);
  });
});
