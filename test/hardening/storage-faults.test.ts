import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMock } from '../../mock/create-mock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { loadStore } from '../../mock/store/load-store.ts';
import type { StoreDocument } from '../../mock/store/store-document.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { FlakyStoreFile } from './support/flaky-store-file.ts';
import { fileMock, stateOf } from '../support/running-mock.ts';
import type { Reply } from './support/http-client.ts';
import { mockProcessClient } from './support/mock-process-client.ts';
import { runMockUntilExit, spawnMock } from '../support/running-mock.ts';
import { tempDir } from './support/temp-dir.ts';
import { SERVER_ERRORS, STORAGE_FAILED_STATUS } from './support/spec-facts.ts';

const SEED = Number(process.env.HARDENING_SEED ?? 20_260_101);
const alice = { 'x-api-key': DEV_KEYS.alice };

/** stateOf() for a document read from disk: users and keys (oldest first), without lastUsedAt. */
function stateOfDocument(document: StoreDocument): string {
  const keys = Object.values(document.keys)
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(({ lastUsedAt: _, ...key }) => key);
  return JSON.stringify({ users: Object.keys(document.users).length, keys });
}

/** A real store document, to cut short: what a crash of a non-atomic writer would leave. */
async function realDocument(dir: string): Promise<string> {
  const path = join(dir, 'real.json');
  const mock = await createMock({ dbPath: path, logLevel: 'silent' });
  await mock.store.close();
  return readFileSync(path, 'utf8');
}

describe('a db file that cannot be trusted stops start-up, naming the file, and is left as it was', () => {
  it.each<[string, (real: string) => string]>([
    ['an empty file', () => ''],
    ['a truncated document', (real) => real.slice(0, Math.floor(real.length / 2))],
    ['a file holding null', () => 'null'],
    ['another application’s JSON', () => '{"posts":[{"id":1}]}'],
  ])('%s', async (_what, content) => {
    const dir = tempDir();
    const dbPath = join(dir, 'db.json');
    const text = content(await realDocument(dir));
    writeFileSync(dbPath, text);
    const result = await runMockUntilExit(['--port', '0', '--db', dbPath, '--log-level', 'info']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(dbPath);
    expect(result.stdout).not.toMatch(/listening on/);
    expect(readFileSync(dbPath, 'utf8')).toBe(text);
  });

  it.each<[string, (dir: string) => string]>([
    [
      'a directory where the db file should be',
      (dir) => {
        mkdirSync(join(dir, 'db.json'));
        return join(dir, 'db.json');
      },
    ],
    [
      'a db path whose parent is a regular file',
      (dir) => {
        writeFileSync(join(dir, 'data'), 'not a directory');
        return join(dir, 'data', 'db.json');
      },
    ],
  ])('%s', async (_what, arrange) => {
    const dbPath = arrange(tempDir());
    const result = await runMockUntilExit(['--port', '0', '--db', dbPath, '--log-level', 'info']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(dbPath);
    expect(result.stdout).not.toMatch(/listening on/);
  });
});

describe('storage that fails while running (injected failing adapter)', () => {
  it('answers each mutation whose write fails with a 5xx JSON error, rolls memory back, and keeps serving reads', async () => {
    const dir = tempDir();
    const adapter = new FlakyStoreFile(join(dir, 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    const create = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { v: '1' } } });
    const { apiKeyMetadata, rawApiKey } = create.json as { apiKeyMetadata: { apiKeyId: string }; rawApiKey: string };
    const id = apiKeyMetadata.apiKeyId;
    const list = () => mock.send({ path: '/v1/apikeys', headers: alice });
    const listedBefore = (await list()).text.replace(/"lastUsedAt":(\d+|null)/g, '');
    const state = mock.stateText();
    const file = mock.fileText();

    const mutations = [
      { method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { ghost: 'create' } } },
      { method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { status: 'INACTIVE', replaceLabels: { ghost: 'update' } } },
      { method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice },
    ];
    for (const request of mutations) {
      adapter.failNextWrites(1);
      const reply = await mock.send(request);
      expectErrorReply(reply, SERVER_ERRORS, `${request.method} with a failing write`);
      expect(reply.text).not.toMatch(/ENOSPC|injected/);
      expect(mock.stateText(), `${request.method}: memory rolled back`).toBe(state);
      expect((await list()).text.replace(/"lastUsedAt":(\d+|null)/g, ''), `${request.method}: reads still work and show no ghost`).toBe(
        listedBefore,
      );
      expect((await mock.send({ path: '/v1/apikeys', headers: { 'x-api-key': rawApiKey } })).status, 'the key still authenticates').toBe(
        200,
      );
    }
    expect(adapter.failures).toBe(mutations.length);
    expect(mock.fileText()).toBe(file);
    // Storage back: the next write carries the real state only.
    const after = await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { mergeLabels: { v: '2' } } });
    expect(after.status).toBe(200);
    expect(mock.fileText()).not.toContain('ghost');
    expect(JSON.parse(mock.fileText()).keys[id]).toMatchObject({ status: 'ACTIVE', labels: { v: '2' } });
  });

  it('answers a failed write with 503 STORAGE_FAILED, as docs/storage.md "Guarantees" promises', async () => {
    const adapter = new FlakyStoreFile(join(tempDir(), 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    adapter.failNextWrites(1);
    const reply = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: {} });
    expectErrorReply(reply, STORAGE_FAILED_STATUS, 'create with a failing write');
  });

  it('never keeps a change it answered 5xx for, nor loses one it acknowledged, when writes fail among parallel mutations', async () => {
    console.info(`storage-faults seed ${SEED}`);
    const dir = tempDir();
    const adapter = new FlakyStoreFile(join(dir, 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    const plan = fc.sample(
      fc.record({
        failing: fc.subarray([1, 2, 3, 4]),
        creates: fc.integer({ min: 1, max: 8 }),
        updates: fc.integer({ min: 1, max: 6 }),
        deletes: fc.integer({ min: 1, max: 6 }),
      }),
      { seed: SEED, numRuns: 12 },
    );
    let serverErrors = 0;
    let mixedRounds = 0;
    for (const [round, { failing, creates, updates, deletes }] of plan.entries()) {
      // Fresh keys per round, one request per key, so each reply says what must be true of its key.
      const targets: string[] = [];
      for (let i = 0; i < updates + deletes; i++) {
        const res = await mock.send({
          method: 'POST',
          path: '/v1/apikeys',
          headers: alice,
          body: { labels: { round: String(round), v: 'before' } },
        });
        targets.push((res.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId);
      }
      const keysBefore = mock.store.keyCount;
      adapter.failWrites(failing);
      const sent: Promise<[string, string | undefined, Reply]>[] = [];
      for (let i = 0; i < creates; i++)
        sent.push(
          mock
            .send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { round: String(round), made: String(i) } } })
            .then((r) => ['create', undefined, r]),
        );
      for (const id of targets.slice(0, updates))
        sent.push(
          mock
            .send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { mergeLabels: { v: 'after' } } })
            .then((r) => ['update', id, r]),
        );
      for (const id of targets.slice(updates))
        sent.push(mock.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice }).then((r) => ['delete', id, r]));
      const replies = await Promise.all(sent);
      adapter.failWrites([]);

      let created = 0;
      let deleted = 0;
      if (replies.some(([, , r]) => r.status >= 500) && replies.some(([, , r]) => r.status < 300)) mixedRounds += 1;
      for (const [kind, id, reply] of replies) {
        const what = `round ${round} ${kind} ${id ?? ''}`;
        if (reply.status >= 500) {
          serverErrors += 1;
          expectErrorReply(reply, SERVER_ERRORS, what);
          if (kind === 'update') expect(mock.store.keyById(id!)?.labels?.v, `${what}: no ghost update`).toBe('before');
          if (kind === 'delete') expect(mock.store.keyById(id!), `${what}: no ghost delete`).toBeDefined();
          continue;
        }
        if (kind === 'create') {
          expect(reply.status, what).toBe(201);
          created += 1;
          expect(mock.store.keyById((reply.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId), what).toBeDefined();
        } else if (kind === 'update') {
          expect(reply.status, what).toBe(200);
          expect(mock.store.keyById(id!)?.labels?.v, what).toBe('after');
        } else {
          expect(reply.status, what).toBe(204);
          deleted += 1;
          expect(mock.store.keyById(id!), what).toBeUndefined();
        }
      }
      expect(mock.store.keyCount, `round ${round}: no ghost creates`).toBe(keysBefore + created - deleted);
      await mock.store.flush();
      const reopened = await createMock({ dbPath: adapter.path, logLevel: 'silent' });
      expect(stateOf(reopened.store), `round ${round}: disk = memory`).toBe(mock.stateText());
      await reopened.store.close();
    }
    expect(serverErrors, 'the plan made some writes fail').toBeGreaterThan(0);
    expect(mixedRounds, 'rounds where failed and successful writes interleaved').toBeGreaterThan(0);
  });
});

describe('a full disk or a failing sync during a journal append (injected failing file layer)', () => {
  it.each<['write' | 'datasync', string]>([
    ['write', 'half the line written, then ENOSPC'],
    ['datasync', 'the line written, then fdatasync fails with EIO'],
  ])('%s fails (%s): 503, nothing of the change survives on disk, the next write lands on a clean line', async (failing) => {
    const dir = tempDir();
    const adapter = new FlakyStoreFile(join(dir, 'db.json'), failing);
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { before: 'yes' } } });
    adapter.failNextWrites(1);
    const failed = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { ghost: 'create' } } });
    expectErrorReply(failed, STORAGE_FAILED_STATUS, `create with a failing ${failing}`);
    expect(adapter.failures).toBe(1);
    const next = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { after: 'yes' } } });
    expect(next.status, next.text).toBe(201);
    const loaded = loadStore(adapter.path);
    expect(loaded.torn, 'no torn line left behind').toEqual([]);
    expect(readFileSync(`${adapter.path}.journal`, 'utf8')).not.toContain('ghost');
    expect(stateOfDocument(loaded.document!)).toBe(mock.stateText());
  });

  it('keeps the journal and the old snapshot when writing a compaction fails, and compacts fine once the disk is back', async () => {
    const dir = tempDir();
    const adapter = new FlakyStoreFile(join(dir, 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    for (let i = 0; i < 5; i++)
      await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { i: String(i) } } });
    await mock.store.flush();
    const snapshotBefore = readFileSync(adapter.path, 'utf8');
    adapter.failSnapshotWrites = 1;
    await expect(mock.store.compact()).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(adapter.path, 'utf8')).toBe(snapshotBefore);
    expect(stateOfDocument(loadStore(adapter.path).document!)).toBe(mock.stateText());
    // Writes go on meanwhile, then a compaction succeeds and folds every set-aside journal.
    const more = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { more: 'yes' } } });
    expect(more.status).toBe(201);
    await mock.store.compact();
    expect(readdirSync(dir).filter((f) => f.includes('journal'))).toEqual([]);
    expect(stateOfDocument(JSON.parse(readFileSync(adapter.path, 'utf8')) as StoreDocument)).toBe(mock.stateText());
  });

  it('drops a compaction during which an append failed, so the snapshot never holds a change answered 5xx', async () => {
    const dir = tempDir();
    const adapter = new FlakyStoreFile(join(dir, 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    for (let i = 0; i < 5; i++)
      await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { i: String(i) } } });
    const compaction = mock.store.compact();
    adapter.failNextWrites(1);
    const failed = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { ghost: 'during' } } });
    expectErrorReply(failed, STORAGE_FAILED_STATUS, 'create during a compaction');
    // Either the compaction had already taken its copy (then it must give up) or it finished first; never a ghost.
    await compaction.catch((error: Error) => expect(error.message).toMatch(/append failed/));
    expect(readFileSync(adapter.path, 'utf8')).not.toContain('ghost');
    expect(stateOfDocument(loadStore(adapter.path).document!)).toBe(mock.stateText());
  });
});

describe('storage that fails while running (the db directory replaced by a regular file, CLI process)', () => {
  it('answers mutations 5xx JSON, keeps the process up and reads working, and writes only real state once storage is back', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const dbPath = join(dataDir, 'db.json');
    const mock = await spawnMock(['--port', '0', '--db', dbPath, '--log-level', 'info']);
    const client = mockProcessClient(mock);
    // The journal opens on the first append; an open journal would keep working
    // through a renamed directory (its data is safe in the moved folder), so
    // storage goes away before any write, as a disk that fails would.
    renameSync(dataDir, join(dir, 'data.moved'));
    writeFileSync(dataDir, 'a regular file where the db directory was');
    // The seed's keys share one createdAt, so the list's order among them is not part of the state.
    const listed = async () =>
      (await client.allKeys())
        .map(({ apiKeyId, status, labels }) => ({ apiKeyId, status, labels }))
        .sort((a, b) => a.apiKeyId.localeCompare(b.apiKeyId));
    const listedBefore = await listed();
    const id = listedBefore.find((k) => k.labels === null || Object.keys(k.labels).length === 0)!.apiKeyId;
    for (const request of [
      { method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { ghost: 'create' } } },
      { method: 'PUT', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': DEV_KEYS.admin }, body: { status: 'INACTIVE' } },
      { method: 'DELETE', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': DEV_KEYS.admin } },
    ]) {
      const reply = await client.send(request);
      expectErrorReply(reply, SERVER_ERRORS, `${request.method} while storage is gone`);
      expect(mock.isRunning()).toBe(true);
      expect(await listed(), `${request.method}: reads show no ghost`).toEqual(listedBefore);
      expect(await client.statusWith(DEV_KEYS.alice)).toBe(200);
    }

    rmSync(dataDir);
    renameSync(join(dir, 'data.moved'), dataDir);
    const next = await client.create({ next: 'yes' });
    const stored = loadStore(dbPath).document!;
    expect(Object.keys(stored.keys).sort()).toEqual([...listedBefore.map((k) => k.apiKeyId), next.apiKeyMetadata.apiKeyId].sort());
    expect(stored.keys[id]!.status).toBe('ACTIVE');
    expect(JSON.stringify(stored)).not.toContain('ghost');
    expect(mock.isRunning()).toBe(true);
  });
});
