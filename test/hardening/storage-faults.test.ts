import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import request from 'supertest';
import { createMock } from '../../mock/create-mock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { MockClock } from '../../mock/service/clock.ts';
import { loadStore } from '../../mock/store/load-store.ts';
import { oldestFirst } from '../../mock/store/oldest-first.ts';
import type { StoreDocument } from '../../mock/store/store-document.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { deleteLine, FlakyStoreFile, insertLine, replaceLine, type LineFault } from './support/flaky-store-file.ts';
import { fileMock, stateOf } from '../support/running-mock.ts';
import type { Reply, SendOptions } from './support/http-client.ts';
import { mockProcessClient } from './support/mock-process-client.ts';
import { runMockUntilExit, spawnMock } from '../support/running-mock.ts';
import { tempDir } from './support/temp-dir.ts';
import { SERVER_ERRORS, STORAGE_FAILED_STATUS } from './support/spec-facts.ts';

const SEED = Number(process.env.HARDENING_SEED ?? 20_260_101);
const alice = { 'x-api-key': DEV_KEYS.alice };

/** One request of a fault round, named as the fault plan names it (`create 2`, `update 0`, `late 1`). */
interface Mutation {
  name: string;
  kind: 'create' | 'update' | 'delete';
  id?: string;
  options: SendOptions;
}

/** stateOf() for a document read from disk: users and keys (oldest first), without lastUsedAt. */
function stateOfDocument(document: StoreDocument): string {
  const keys = Object.values(document.keys)
    .sort(oldestFirst)
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

    const mutations: [LineFault, { method: string; path: string; headers: typeof alice; body?: unknown }][] = [
      [insertLine('the create'), { method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { ghost: 'create' } } }],
      [
        replaceLine(id),
        { method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { status: 'INACTIVE', replaceLabels: { ghost: 'update' } } },
      ],
      [deleteLine(id), { method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice }],
    ];
    for (const [fault, request] of mutations) {
      adapter.failOn(fault);
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
    expect(adapter.fired).toEqual(mutations.map(([fault]) => fault.name));
    expect(mock.fileText()).toBe(file);
    // Storage back: the next write carries the real state only.
    const after = await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { mergeLabels: { v: '2' } } });
    expect(after.status).toBe(200);
    expect(mock.fileText()).not.toContain('ghost');
    expect(JSON.parse(mock.fileText()).keys[id]).toMatchObject({ status: 'ACTIVE', labels: { v: '2' } });
  });

  it('rolls back the reservation of a deleted id with its failed delete (deletedIds: reserved)', async () => {
    const adapter = new FlakyStoreFile(join(tempDir(), 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter, choices: { deletedIds: 'reserved' } });
    const created = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: {} });
    const id = (created.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
    adapter.failOn(deleteLine(id));
    const failed = await mock.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice });
    expectErrorReply(failed, STORAGE_FAILED_STATUS, 'delete with a failing write');
    expect(mock.store.isReservedId(id), 'not reserved in memory').toBe(false);
    expect(mock.store.db.data.deletedIds).toEqual([]);
    expect(mock.store.keyById(id)).toBeDefined();
    expect(loadStore(adapter.path).document!.deletedIds, 'nor on disk').toEqual([]);
    // The same delete with storage back: now the id stays taken.
    expect((await mock.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice })).status).toBe(204);
    expect(loadStore(adapter.path).document!.deletedIds).toEqual([id]);
    expect((await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { apiKeyId: id } })).status).toBe(409);
  });

  it('answers a failed write with 503 STORAGE_FAILED, as docs/storage.md "Guarantees" promises', async () => {
    const adapter = new FlakyStoreFile(join(tempDir(), 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    adapter.failOn(insertLine('the create'));
    const reply = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: {} });
    expectErrorReply(reply, STORAGE_FAILED_STATUS, 'create with a failing write');
  });

  it('never keeps a change it answered 5xx for, nor loses one it acknowledged, when writes fail among parallel mutations', async () => {
    console.info(`storage-faults seed ${SEED} (replay with HARDENING_SEED=${SEED})`);
    const dir = tempDir();
    const adapter = new FlakyStoreFile(join(dir, 'db.json'));
    const mock = await fileMock({ dbPath: adapter.path, adapter });
    // Per round: how many parallel creates, updates and deletes, and which of them
    // have their journal line fail (named, so batching and timing cannot move a fault).
    const rounds = fc.sample(
      fc
        .record({
          creates: fc.integer({ min: 1, max: 8 }),
          updates: fc.integer({ min: 1, max: 6 }),
          deletes: fc.integer({ min: 1, max: 6 }),
          late: fc.integer({ min: 1, max: 3 }),
        })
        .chain((counts) => {
          const names = [
            ...Array.from({ length: counts.creates }, (_, i) => `create ${i}`),
            ...Array.from({ length: counts.updates }, (_, i) => `update ${i}`),
            ...Array.from({ length: counts.deletes }, (_, i) => `delete ${i}`),
          ];
          return fc.subarray(names, { maxLength: 4 }).map((failing) => ({ ...counts, failing }));
        }),
      { seed: SEED, numRuns: 12 },
    );
    let serverErrors = 0;
    let mixedRounds = 0;
    for (const [round, plan] of rounds.entries()) {
      try {
        // Fresh keys per round, one request per key, so each reply says what must be true of its key.
        const targets: string[] = [];
        for (let i = 0; i < plan.updates + plan.deletes; i++) {
          const res = await mock.send({
            method: 'POST',
            path: '/v1/apikeys',
            headers: alice,
            body: { labels: { round: String(round), v: 'before' } },
          });
          targets.push((res.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId);
        }
        const updated = targets.slice(0, plan.updates);
        const deleted = targets.slice(plan.updates);
        const keysBefore = mock.store.keyCount;
        const made = (key: { labels?: Record<string, string> | null }, name: string) =>
          key.labels?.round === String(round) && key.labels?.made === name;
        adapter.failOn(
          ...plan.failing.map((name): LineFault => {
            const [kind, n] = name.split(' ') as [string, string];
            if (kind === 'create') return insertLine(name, (key) => made(key, name));
            return kind === 'update' ? replaceLine(updated[Number(n)]!, name) : deleteLine(deleted[Number(n)]!, name);
          }),
        );
        const creates = (count: number, prefix: string): Mutation[] =>
          Array.from({ length: count }, (_, i) => ({
            name: `${prefix} ${i}`,
            kind: 'create',
            options: {
              method: 'POST',
              path: '/v1/apikeys',
              headers: alice,
              body: { labels: { round: String(round), made: `${prefix} ${i}` } },
            },
          }));
        const send = (m: Mutation) => mock.send(m.options).then((reply): [Mutation, Reply] => [m, reply]);
        const mutations: Mutation[] = [
          ...creates(plan.creates, 'create'),
          ...updated.map((id, i): Mutation => ({
            name: `update ${i}`,
            kind: 'update',
            id,
            options: { method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { mergeLabels: { v: 'after' } } },
          })),
          ...deleted.map((id, i): Mutation => ({
            name: `delete ${i}`,
            kind: 'delete',
            id,
            options: { method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice },
          })),
        ];
        const sent = mutations.map(send);
        // Once every request whose line is to fail has its answer, no armed line can be written any
        // more: the late creates, sent then while the others may still be in flight, all succeed.
        const late = Promise.all(sent.filter((_, i) => plan.failing.includes(mutations[i]!.name))).then(() =>
          Promise.all(creates(plan.late, 'late').map(send)),
        );
        const replies = [...(await Promise.all(sent)), ...(await late)];
        adapter.disarm();

        let created = 0;
        let deletedCount = 0;
        if (replies.some(([, r]) => r.status >= 500) && replies.some(([, r]) => r.status < 300)) mixedRounds += 1;
        for (const [{ name, kind, id }, reply] of replies) {
          const what = `round ${round} ${name} ${id ?? ''}`;
          if (reply.status >= 500) {
            serverErrors += 1;
            expectErrorReply(reply, SERVER_ERRORS, what);
            expect(name.startsWith('late'), `${what}: sent after every failing line was settled, so it succeeds`).toBe(false);
            if (kind === 'update') expect(mock.store.keyById(id!)?.labels?.v, `${what}: no ghost update`).toBe('before');
            if (kind === 'delete') expect(mock.store.keyById(id!), `${what}: no ghost delete`).toBeDefined();
            continue;
          }
          if (kind === 'create') {
            expect(reply.status, what).toBe(201);
            created += 1;
            expect(
              mock.store.keyById((reply.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId),
              what,
            ).toBeDefined();
          } else if (kind === 'update') {
            expect(reply.status, what).toBe(200);
            expect(mock.store.keyById(id!)?.labels?.v, what).toBe('after');
          } else {
            expect(reply.status, what).toBe(204);
            deletedCount += 1;
            expect(mock.store.keyById(id!), what).toBeUndefined();
          }
        }
        expect(mock.store.keyCount, `round ${round}: no ghost creates`).toBe(keysBefore + created - deletedCount);
        await mock.store.flush();
        const reopened = await createMock({ dbPath: adapter.path, logLevel: 'silent' });
        expect(stateOf(reopened.store), `round ${round}: disk = memory`).toBe(mock.stateText());
        await reopened.store.close();
      } catch (error) {
        // Everything needed to replay this exact run.
        const err = error as Error;
        err.message = `storage-faults seed ${SEED} (replay with HARDENING_SEED=${SEED}), round ${round} of plan ${JSON.stringify(plan)}, faults fired ${JSON.stringify(adapter.fired)}: ${err.message}`;
        throw err;
      }
    }
    expect(serverErrors, 'the plan made some writes fail').toBeGreaterThan(0);
    expect(mixedRounds, 'rounds where failed and successful writes interleaved').toBeGreaterThan(0);
  });
});

describe('list order is a property of the data, not of the history of failures', () => {
  it('answers every list with the same bytes after a rolled-back delete, update and create, and after a restart', async () => {
    // One frozen millisecond: every key is created at once and every lastUsedAt is the same,
    // so only the store's own order can tell the keys apart.
    const clock = new MockClock(() => 1_800_000_000_000);
    const adapter = new FlakyStoreFile(join(tempDir(), 'db.json'));
    const open = (options: Parameters<typeof createMock>[0] = {}) =>
      createMock({ dbPath: adapter.path, clock, logLevel: 'silent', ...options });
    const lists = async (mock: Awaited<ReturnType<typeof open>>) => {
      const texts: Record<string, string> = {};
      for (const [who, key] of Object.entries(DEV_KEYS))
        texts[who] = (await request(mock.app).get('/v1/apikeys').set('x-api-key', key)).text;
      return texts;
    };
    const mock = await open({ adapter });
    const ids: string[] = [];
    for (const [who, n] of [
      ['alice', 0],
      ['bob', 0],
      ['alice', 1],
      ['alice', 2],
      ['bob', 1],
      ['alice', 3],
    ] as const) {
      const res = await request(mock.app)
        .post('/v1/apikeys')
        .set('x-api-key', DEV_KEYS[who])
        .send({ labels: { who, n: String(n) } })
        .expect(201);
      ids.push(res.body.apiKeyMetadata.apiKeyId);
    }
    await lists(mock); // every dev key now has its (frozen) lastUsedAt
    const before = await lists(mock);
    expect(JSON.parse(before.admin!).keys, 'the admin lists every key').toHaveLength(4 + ids.length);

    const rolledBack: [LineFault, () => Promise<{ status: number }>][] = [
      [deleteLine(ids[2]!), () => request(mock.app).delete(`/v1/apikeys/${ids[2]}`).set('x-api-key', DEV_KEYS.alice)],
      [
        replaceLine(ids[0]!),
        () => request(mock.app).put(`/v1/apikeys/${ids[0]}`).set('x-api-key', DEV_KEYS.alice).send({ status: 'INACTIVE' }),
      ],
      [insertLine('the create'), () => request(mock.app).post('/v1/apikeys').set('x-api-key', DEV_KEYS.bob).send({})],
    ];
    for (const [fault, send] of rolledBack) {
      adapter.failOn(fault);
      expect((await send()).status, `${fault.name} fails`).toBeGreaterThanOrEqual(500);
      expect(await lists(mock), `after ${fault.name} was rolled back`).toEqual(before);
    }
    expect(adapter.fired).toEqual(rolledBack.map(([fault]) => fault.name));
    await mock.store.close();

    const restarted = await open();
    expect(await lists(restarted), 'after a restart').toEqual(before);
    await restarted.store.close();
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
    adapter.failOn(insertLine('the ghost create', (key) => key.labels?.ghost === 'create'));
    const failed = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { ghost: 'create' } } });
    expectErrorReply(failed, STORAGE_FAILED_STATUS, `create with a failing ${failing}`);
    expect(adapter.fired).toEqual(['the ghost create']);
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
    adapter.failOn(insertLine('the create during the compaction'));
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
