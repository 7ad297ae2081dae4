import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMock } from '../../mock/create-mock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apikeys-persist-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (dbPath: string) => createMock({ dbPath, logLevel: 'silent' });

describe('the JSON-file store', () => {
  it('keeps keys, labels, status and deletions across a restart, and the same raw keys still authenticate', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    const created = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(first.app)
        .post('/v1/apikeys')
        .set('x-api-key', DEV_KEYS.alice)
        .send({ labels: { n: String(i) } })
        .expect(201);
      created.push(res.body as { rawApiKey: string; apiKeyMetadata: { apiKeyId: string } });
    }
    await request(first.app)
      .put(`/v1/apikeys/${created[1]!.apiKeyMetadata.apiKeyId}`)
      .set('x-api-key', DEV_KEYS.alice)
      .send({ status: 'INACTIVE' })
      .expect(200);
    await request(first.app).delete(`/v1/apikeys/${created[2]!.apiKeyMetadata.apiKeyId}`).set('x-api-key', DEV_KEYS.alice).expect(204);
    const listedBefore = (await request(first.app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.admin)).body.keys;
    await first.store.close();

    // No flush needed for what was acknowledged: the 2xx came after the write.
    const second = await open(dbPath);
    const listedAfter = (await request(second.app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.admin)).body.keys;
    const withoutUse = (keys: { lastUsedAt: unknown }[]) => keys.map(({ lastUsedAt: _, ...k }) => k);
    expect(withoutUse(listedAfter)).toEqual(withoutUse(listedBefore));
    await request(second.app).get('/v1/apikeys').set('x-api-key', created[0]!.rawApiKey).expect(200);
    await request(second.app).get('/v1/apikeys').set('x-api-key', created[1]!.rawApiKey).expect(401);
    await request(second.app).get('/v1/apikeys').set('x-api-key', created[2]!.rawApiKey).expect(401);
    await second.store.close();
  });

  it('has the key on disk by the time the 201 arrives', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const res = await request(mock.app).post('/v1/apikeys').set('x-api-key', DEV_KEYS.bob).send({}).expect(201);
    const onDisk = JSON.parse(readFileSync(dbPath, 'utf8'));
    expect(onDisk.keys[res.body.apiKeyMetadata.apiKeyId]).toMatchObject({ userId: '00000000-0000-4000-8000-000000000003' });
    expect(readFileSync(dbPath, 'utf8')).not.toContain(res.body.rawApiKey);
    await mock.store.close();
  });

  it.each([
    ['an empty file', ''],
    ['a truncated file', '{"version":1,"users":{'],
    ['a file holding null', 'null'],
    ['a file holding another document', '{"posts":[]}'],
  ])('refuses to start on %s, naming the file, and leaves it untouched', async (_what, content) => {
    const dbPath = join(dir, 'db.json');
    writeFileSync(dbPath, content);
    await expect(open(dbPath)).rejects.toThrow(dbPath);
    expect(readFileSync(dbPath, 'utf8')).toBe(content);
  });

  it('persists all 200 of 200 concurrent creates and leaves valid JSON', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        request(mock.app)
          .post('/v1/apikeys')
          .set('x-api-key', DEV_KEYS.alice)
          .send({ labels: { i: String(i) } }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(200).fill(201));
    const onDisk = JSON.parse(readFileSync(dbPath, 'utf8'));
    for (const res of responses) expect(onDisk.keys[res.body.apiKeyMetadata.apiKeyId]).toBeDefined();
    expect(Object.keys(onDisk.keys)).toHaveLength(200 + 4);
    await mock.store.close();
  });
});
