import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low, Memory } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMock } from '../../mock/create-mock.ts';
import { createLogger } from '../../mock/http/logger.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { MockClock } from '../../mock/service/clock.ts';
import { loadStore } from '../../mock/store/load-store.ts';
import { parseByLine } from '../../mock/store/parse-snapshot.ts';
import { SnapshotAdapter } from '../../mock/store/snapshot-adapter.ts';
import { nodeStoreFiles } from '../../mock/store/store-files.ts';
import { storePaths } from '../../mock/store/store-paths.ts';
import type { StoreDocument } from '../../mock/store/store-document.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'apikeys-persist-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const open = (dbPath: string, options: Parameters<typeof createMock>[0] = {}) => createMock({ dbPath, logLevel: 'silent', ...options });
/** What a restart would find: the store's own loader (snapshot + journal). */
const onDisk = (dbPath: string) => loadStore(dbPath).document!;
const modeOf = (path: string) => statSync(path).mode & 0o777;
/** The snapshot as plain JSON, without the writer's integrity line (checked to be there). */
function snapshotJson(dbPath: string): StoreDocument {
  const { integrity, ...document } = JSON.parse(readFileSync(dbPath, 'utf8')) as StoreDocument & { integrity: unknown };
  expect(integrity, 'the writer’s integrity line').toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), schema: expect.any(String) });
  return document;
}

async function createKeys(mock: Awaited<ReturnType<typeof open>>, count: number, labels: Record<string, string> = {}) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const res = await request(mock.app)
      .post('/v1/apikeys')
      .set('x-api-key', DEV_KEYS.alice)
      .send({ labels: { ...labels, n: String(i) } })
      .expect(201);
    ids.push((res.body as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId);
  }
  return ids;
}

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

  it('has the key in the journal by the time the 201 arrives, as one self-describing line without the raw key', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const res = await request(mock.app).post('/v1/apikeys').set('x-api-key', DEV_KEYS.bob).send({}).expect(201);
    const id = res.body.apiKeyMetadata.apiKeyId;
    expect(onDisk(dbPath).keys[id]).toMatchObject({ userId: '00000000-0000-4000-8000-000000000003' });
    const lines = readFileSync(`${dbPath}.journal`, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ op: 'insert', key: { apiKeyId: id } });
    expect(readFileSync(`${dbPath}.journal`, 'utf8')).not.toContain(res.body.rawApiKey);
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

  it('reads a hand-edited snapshot in any JSON layout, and refuses one cut short at a line boundary', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    await createKeys(first, 3);
    await first.store.close();
    const written = readFileSync(dbPath, 'utf8');
    const expected = onDisk(dbPath);
    expect(written.split('\n').length, 'one record per line').toBeGreaterThan(4 + 4 + 3);
    expect(parseByLine(dbPath), 'the writer’s own layout is read a line at a time').toEqual(expected);

    writeFileSync(dbPath, JSON.stringify(expected, null, 2));
    expect(parseByLine(dbPath)).toBeNull();
    expect(onDisk(dbPath)).toEqual(expected);

    const cut = `${written.split('\n').slice(0, -3).join('\n')}\n`;
    writeFileSync(dbPath, cut);
    await expect(open(dbPath)).rejects.toThrow(dbPath);
    expect(readFileSync(dbPath, 'utf8')).toBe(cut);
  });

  it('persists all 200 of 200 concurrent creates', async () => {
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
    const stored = onDisk(dbPath);
    for (const res of responses) expect(stored.keys[res.body.apiKeyMetadata.apiKeyId]).toBeDefined();
    expect(Object.keys(stored.keys)).toHaveLength(200 + 4);
    await mock.store.close();
  });
});

describe('the snapshot’s integrity line: records are checked one by one unless the file is exactly what a mock wrote', () => {
  async function written() {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const ids = await createKeys(mock, 3);
    await mock.store.close();
    return { dbPath, ids, text: readFileSync(dbPath, 'utf8') };
  }
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  /** The file with an integrity line computed over `body` (everything before that line), naming `schema`. */
  const withIntegrity = (body: string, schema: string) => `${body}"integrity":${JSON.stringify({ sha256: sha256(body), schema })}}\n`;
  const bodyOf = (text: string) => text.slice(0, text.lastIndexOf('"integrity":'));
  const schemaOf = (text: string) => (JSON.parse(text) as { integrity: { schema: string } }).integrity.schema;

  it('checks every record of an edited file: an invalid one stops the start, naming it; a valid edit is served', async () => {
    const { dbPath, ids, text } = await written();
    const invalid = text.replace(/"status":"ACTIVE"/, '"status":"BOGUS"');
    writeFileSync(dbPath, invalid);
    await expect(open(dbPath)).rejects.toThrow(/keys\.[0-9a-f-]+ property status must be one of "ACTIVE"/);
    expect(readFileSync(dbPath, 'utf8')).toBe(invalid);

    writeFileSync(dbPath, text.replace('{"n":"1"}', '{"n":"edited by hand"}'));
    const mock = await open(dbPath);
    expect(mock.store.keyById(ids[1]!)?.labels).toEqual({ n: 'edited by hand' });
    await mock.store.close();
  });

  it('checks every record of a file written under other schemas (another openapi.yaml), even when its checksum matches', async () => {
    const { dbPath, text } = await written();
    // The integrity line is the writer's: the same body and this schema's fingerprint give the same line.
    expect(withIntegrity(bodyOf(text), schemaOf(text))).toBe(text);
    const invalidBody = bodyOf(text).replace(/"status":"ACTIVE"/, '"status":"BOGUS"');
    writeFileSync(dbPath, withIntegrity(invalidBody, 'written-under-other-schemas'));
    await expect(open(dbPath)).rejects.toThrow(/property status must be one of "ACTIVE"/);
  });

  it('writes no integrity line when a record it holds does not pass (a bug), so the next start names that record', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const [id] = await createKeys(mock, 1);
    await mock.store.replaceKey({ ...mock.store.keyById(id!)!, status: 'BOGUS' as 'ACTIVE' });
    await mock.store.close();
    expect(readFileSync(dbPath, 'utf8')).not.toContain('"integrity"');
    await expect(open(dbPath)).rejects.toThrow(new RegExp(`keys\\.${id} property status must be one of`));
  });

  it('reads the writer’s layout of older versions a line at a time: without the integrity line, and without deletedIds', async () => {
    const { dbPath, ids, text } = await written();
    const withoutIntegrity = `${bodyOf(text).slice(0, -'],\n'.length)}]}\n`;
    writeFileSync(dbPath, withoutIntegrity);
    expect(parseByLine(dbPath)?.keys[ids[2]!]).toBeDefined();
    const withoutDeletedIds = withoutIntegrity.replace('},\n"deletedIds":[\n]}\n', '}}\n');
    expect(withoutDeletedIds).not.toBe(withoutIntegrity);
    writeFileSync(dbPath, withoutDeletedIds);
    expect(parseByLine(dbPath)?.deletedIds).toEqual([]);
    const mock = await open(dbPath);
    expect(mock.store.keyById(ids[2]!)).toBeDefined();
    await mock.store.close();
  });
});

describe("deleted ids kept taken (`deletedIds: 'reserved'`) are store state", () => {
  const ID = '3f0c7a52-9d1e-4b8a-a6f2-5c4e8d7b1a09';
  const reserved = { choices: { deletedIds: 'reserved' as const }, adminToken: 'persist-admin' };
  const createWithId = (mock: Awaited<ReturnType<typeof open>>) =>
    request(mock.app).post('/v1/apikeys').set('x-api-key', DEV_KEYS.alice).send({ apiKeyId: ID });

  it('survives a restart: journalled with the delete, then snapshotted by the compaction at shutdown', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath, reserved);
    await createWithId(first).expect(201);
    await request(first.app).delete(`/v1/apikeys/${ID}`).set('x-api-key', DEV_KEYS.alice).expect(204);
    const line = readFileSync(`${dbPath}.journal`, 'utf8').trimEnd().split('\n').at(-1)!;
    expect(JSON.parse(line)).toEqual({ op: 'delete', apiKeyId: ID, reserveId: true });
    // A crash now: the journal alone must carry the reservation.
    const afterCrash = await open(dbPath, reserved);
    await createWithId(afterCrash).expect(409);
    await afterCrash.store.close();
    // A clean stop folds it into the snapshot.
    expect(existsSync(`${dbPath}.journal`)).toBe(false);
    expect(JSON.parse(readFileSync(dbPath, 'utf8')).deletedIds).toEqual([ID]);
    const afterStop = await open(dbPath, reserved);
    await createWithId(afterStop).expect(409);
    expect(afterStop.store.db.data.deletedIds).toEqual([ID]);
    await afterStop.store.close();
  });

  it('is cleared by /_mock/reset, also on disk', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath, reserved);
    await createWithId(mock).expect(201);
    await request(mock.app).delete(`/v1/apikeys/${ID}`).set('x-api-key', DEV_KEYS.alice).expect(204);
    await createWithId(mock).expect(409);
    await request(mock.app).post('/_mock/reset').set('x-admin-token', 'persist-admin').expect(200);
    expect(onDisk(dbPath).deletedIds).toEqual([]);
    await createWithId(mock).expect(201);
    await mock.store.close();
    const restarted = await open(dbPath, reserved);
    expect(restarted.store.keyById(ID)).toBeDefined();
    expect(restarted.store.isReservedId(ID)).toBe(false);
    await restarted.store.close();
  });
});

describe('a store written before keys had creation numbers (no `seq`)', () => {
  it('loads, numbering its keys in the order the file lists them, the same on every start', async () => {
    const dbPath = join(dir, 'db.json');
    const clock = new MockClock(() => 1_800_000_000_000);
    const first = await open(dbPath, { clock });
    await createKeys(first, 3);
    await first.store.close();
    const listOf = async (mock: Awaited<ReturnType<typeof open>>) =>
      (await request(mock.app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.admin)).body.keys.map((k: { apiKeyId: string }) => k.apiKeyId);
    // The same file as an older mock wrote it: no seq, the keys in an order of their own, and a
    // journal line (also without seq) on top.
    const stored = JSON.parse(readFileSync(dbPath, 'utf8')) as StoreDocument;
    const keys = Object.values(stored.keys).map(({ seq: _, ...key }) => key);
    const order = [keys[5]!, keys[0]!, keys[6]!, keys[1]!, keys[2]!, keys[3]!, keys[4]!];
    writeFileSync(dbPath, JSON.stringify({ version: 1, users: stored.users, keys: Object.fromEntries(order.map((k) => [k.apiKeyId, k])) }));
    const added = { ...keys[0]!, apiKeyId: '0f6b8a4e-52c4-4c1e-9d7a-3a7f5e2c1b00', keyHash: 'a'.repeat(64) };
    writeFileSync(`${dbPath}.journal`, `${JSON.stringify({ op: 'insert', key: added })}\n`);
    const expected = [...order.map((k) => k.apiKeyId), added.apiKeyId];
    for (let start = 0; start < 2; start++) {
      const mock = await open(dbPath, { clock });
      expect(await listOf(mock), `start ${start + 1}`).toEqual(expected);
      expect(mock.store.allKeys().map((k) => k.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      await mock.store.close();
    }
  });
});

describe('the journal beside the snapshot', () => {
  it('ignores a torn last line, reports it in the log, and appends after it without gluing onto it', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    const [kept] = await createKeys(first, 1);
    // A crash mid-append: part of a line, no newline (the first store is abandoned, as a killed process would be).
    appendFileSync(`${dbPath}.journal`, '{"op":"insert","key":{"apiKeyId":"cut-sh');
    const logLines: string[] = [];
    const second = await open(dbPath, { logger: createLogger('info', (line) => logLines.push(line)) });
    expect(second.store.keyById(kept!)).toBeDefined();
    expect(logLines.join('\n')).toMatch(new RegExp(`ignored line 2 of ${dbPath}\\.journal.*cut short by a crash`));
    const [next] = await createKeys(second, 1);
    const loaded = loadStore(dbPath);
    expect(loaded.torn).toEqual([]);
    expect(Object.keys(loaded.document!.keys)).toEqual(expect.arrayContaining([kept, next]));
    expect(readFileSync(`${dbPath}.journal`, 'utf8')).not.toContain('cut-sh');
    await second.store.close();
  });

  it('refuses to start on a corrupt line before the last, naming the file and the line, and changes no file', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    await createKeys(first, 3);
    const journal = `${dbPath}.journal`;
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines[1] = '{"op":"insert","key":{"apiKeyId":"not a key"}}';
    writeFileSync(journal, lines.join('\n'));
    const before = [readFileSync(dbPath, 'utf8'), readFileSync(journal, 'utf8')];
    await expect(open(dbPath)).rejects.toThrow(`${journal} line 2 is corrupt`);
    expect([readFileSync(dbPath, 'utf8'), readFileSync(journal, 'utf8')]).toEqual(before);
  });

  it('refuses to start on a journal whose snapshot is missing', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    await createKeys(first, 1);
    rmSync(dbPath);
    await expect(open(dbPath)).rejects.toThrow(`${dbPath} is missing but its journal`);
  });

  it('folds the journal into the snapshot at shutdown: one file left, a lowdb document holding everything', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const ids = await createKeys(mock, 5);
    await request(mock.app).delete(`/v1/apikeys/${ids[0]}`).set('x-api-key', DEV_KEYS.alice).expect(204);
    await mock.store.flush();
    const expected = onDisk(dbPath);
    expect(existsSync(`${dbPath}.journal`)).toBe(true);
    await mock.store.close();
    expect(existsSync(`${dbPath}.journal`)).toBe(false);
    // Stock lowdb reads it as it is.
    const lowdb = await new JSONFile<StoreDocument>(dbPath).read();
    expect(lowdb).toEqual({ ...expected, integrity: expect.any(Object) });
    expect(Object.keys(lowdb!.keys)).toEqual(expect.arrayContaining(ids.slice(1)));
    expect(lowdb!.keys[ids[0]!]).toBeUndefined();
  });

  it('is a lowdb database: the service reads db.data, and a change written through lowdb with the mock’s own adapter is what the next start serves', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const [id] = await createKeys(mock, 1);
    expect(mock.store.db).toBeInstanceOf(Low);
    expect(mock.store.db.adapter).toBeInstanceOf(SnapshotAdapter);
    expect(mock.store.keyById(id!), 'the index serves the very record in db.data').toBe(mock.store.db.data.keys[id!]);
    await mock.store.close();

    // lowdb, over the adapter the mock writes its snapshot with: read, change, write.
    const db = new Low(new SnapshotAdapter(nodeStoreFiles, storePaths(dbPath)), {
      version: 1,
      users: {},
      keys: {},
      deletedIds: [],
    } as StoreDocument);
    await db.read();
    expect(db.data.keys[id!]).toMatchObject({ apiKeyId: id, labels: { n: '0' } });
    db.data.keys[id!]!.labels = { edited: 'through lowdb' };
    await db.write();
    expect(modeOf(dbPath)).toBe(0o600);
    expect(existsSync(join(dir, '.db.json.tmp')), 'the temp file was renamed over the snapshot').toBe(false);

    const restarted = await open(dbPath);
    const listed = (await request(restarted.app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.alice).expect(200)).body.keys;
    expect(listed.find((k: { apiKeyId: string }) => k.apiKeyId === id)).toMatchObject({ labels: { edited: 'through lowdb' } });
    await restarted.store.close();

    const memory = await open(dbPath, { inMemory: true });
    expect(memory.store.db.adapter, 'in memory: lowdb’s Memory adapter').toBeInstanceOf(Memory);
  });

  it('compacts at start-up when the journal is large, in the background, without losing a line', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    await createKeys(first, 20);
    await first.store.flush();
    const expected = onDisk(dbPath);
    const journalBytes = statSync(`${dbPath}.journal`).size;
    const second = await open(dbPath, { compactAfterBytes: journalBytes - 1 });
    expect(second.store.compaction, 'a compaction started with the store').not.toBeNull();
    await second.store.compaction;
    expect(existsSync(`${dbPath}.journal`)).toBe(false);
    expect(snapshotJson(dbPath)).toEqual(expected);
    expect(onDisk(dbPath)).toEqual(expected);
    await second.store.close();
  });

  it('finishes a compaction a crash interrupted: a set-aside journal is replayed and folded, a stale temp file removed', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    await createKeys(first, 3);
    await first.store.flush();
    // The state a crash leaves after step 1 (journal set aside) and during step 2 (temp file half-written).
    renameSync(`${dbPath}.journal`, `${dbPath}.journal.1`);
    writeFileSync(join(dir, '.db.json.tmp'), '{"version":1,"users":{"trunc');
    const expected = onDisk(dbPath);
    expect(Object.keys(expected.keys)).toHaveLength(4 + 3);
    const second = await open(dbPath);
    expect(second.store.keyCount).toBe(4 + 3);
    await second.store.compaction;
    expect(existsSync(`${dbPath}.journal.1`)).toBe(false);
    expect(existsSync(join(dir, '.db.json.tmp'))).toBe(false);
    expect(snapshotJson(dbPath)).toEqual(expected);
    await second.store.close();
  });

  it('replays a set-aside journal over the snapshot that already holds it to the same state (a crash after the rename)', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    const ids = await createKeys(mock, 4);
    await request(mock.app).put(`/v1/apikeys/${ids[1]}`).set('x-api-key', DEV_KEYS.alice).send({ status: 'INACTIVE' }).expect(200);
    await request(mock.app).delete(`/v1/apikeys/${ids[2]}`).set('x-api-key', DEV_KEYS.alice).expect(204);
    await request(mock.app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.alice).expect(200);
    await mock.store.flush();
    const journal = readFileSync(`${dbPath}.journal`, 'utf8');
    expect(journal).toMatch(/"op":"touch"/);
    const expected = onDisk(dbPath);
    await mock.store.compact();
    writeFileSync(`${dbPath}.journal.1`, journal);
    expect(onDisk(dbPath)).toEqual(expected);
    await mock.store.close();
  });

  it('creates the snapshot, the journal and the compacted snapshot owner-only (0600), also over an older 0644 file', async () => {
    const dbPath = join(dir, 'db.json');
    const first = await open(dbPath);
    expect(modeOf(dbPath)).toBe(0o600);
    await createKeys(first, 1);
    expect(modeOf(`${dbPath}.journal`)).toBe(0o600);
    await first.store.close();
    expect(modeOf(dbPath)).toBe(0o600);

    chmodSync(dbPath, 0o644);
    const second = await open(dbPath);
    await createKeys(second, 1);
    await second.store.close();
    expect(modeOf(dbPath)).toBe(0o600);
  });

  it('loses no acknowledged write made while a compaction runs', async () => {
    const dbPath = join(dir, 'db.json');
    const mock = await open(dbPath);
    await createKeys(mock, 50);
    const compaction = mock.store.compact();
    const during = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request(mock.app)
          .post('/v1/apikeys')
          .set('x-api-key', DEV_KEYS.alice)
          .send({ labels: { during: String(i) } }),
      ),
    );
    await compaction;
    expect(during.map((r) => r.status)).toEqual(Array(50).fill(201));
    const stored = onDisk(dbPath);
    for (const res of during) expect(stored.keys[res.body.apiKeyMetadata.apiKeyId]).toBeDefined();
    expect(Object.keys(stored.keys)).toHaveLength(4 + 100);
    await mock.store.close();
  });
});
