import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createMock } from '../../mock/create-mock.ts';
import { MockClock } from '../../mock/service/clock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { FlakyStoreFile, insertLine } from './support/flaky-store-file.ts';
import { fileMock, stateOf, type FileMock } from '../support/running-mock.ts';
import type { SendOptions } from './support/http-client.ts';
import { tempDir } from './support/temp-dir.ts';
import { SERVER_ERRORS } from './support/spec-facts.ts';

const NOW = Date.UTC(2026, 0, 1);
const alice = { 'x-api-key': DEV_KEYS.alice };

/** Reopens the db file in a fresh mock, as a restart would, and returns what it holds. */
async function stateAfterRestart(dbPath: string): Promise<string> {
  const reopened = await createMock({ dbPath, logLevel: 'silent' });
  try {
    return stateOf(reopened.store);
  } finally {
    await reopened.store.close();
  }
}

async function prepared(options: Parameters<typeof fileMock>[0] = {}) {
  const mock = await fileMock({ clock: new MockClock(() => NOW), ...options });
  const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { before: 'yes' } } });
  expect(res.status).toBe(201);
  for (const key of Object.values(DEV_KEYS)) await mock.send({ path: '/v1/apikeys', headers: { 'x-api-key': key } });
  await mock.store.flush();
  return mock;
}

async function expectNothingAdded(mock: FileMock, request: SendOptions, status: number | number[], what: string) {
  const keys = mock.store.keyCount;
  const state = mock.stateText();
  const file = mock.fileText();
  const reply = await mock.send(request);
  expectErrorReply(reply, status, what);
  await mock.store.flush();
  expect(mock.store.keyCount, what).toBe(keys);
  expect(mock.stateText(), what).toBe(state);
  expect(mock.fileText(), `${what}: db file`).toBe(file);
}

describe('a rejected create leaves nothing behind', () => {
  const MiB = 1024 * 1024;
  it.each<[string, SendOptions, number]>([
    [
      'a body that is not JSON',
      { method: 'POST', path: '/v1/apikeys', headers: { ...alice, 'content-type': 'application/json' }, body: '{"labels":' },
      400,
    ],
    ['an unknown field', { method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { a: 'b' }, owner: 'bob' } }, 400],
    [
      'eleven labels',
      {
        method: 'POST',
        path: '/v1/apikeys',
        headers: alice,
        body: { labels: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
      },
      400,
    ],
    ['an expiresAt of now', { method: 'POST', path: '/v1/apikeys', headers: alice, body: { expiresAt: NOW } }, 400],
    ['a body over 1 MiB', { method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { k: 'v'.repeat(MiB) } } }, 413],
    ['no credentials', { method: 'POST', path: '/v1/apikeys', body: {} }, 401],
    [
      'a caller without CREATE permission',
      { method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': DEV_KEYS.nobody }, body: {} },
      403,
    ],
  ])('%s: no record in memory, on disk or after a restart', async (what, request, status) => {
    const mock = await prepared();
    const before = mock.stateText();
    await expectNothingAdded(mock, request, status, what);
    expect(await stateAfterRestart(mock.dbPath)).toBe(before);
  });

  it('a create whose write fails answers 5xx, and a later successful write does not carry it to disk (no ghost record)', async () => {
    const dbPath = join(tempDir(), 'db.json');
    const adapter = new FlakyStoreFile(dbPath);
    const mock = await prepared({ dbPath, adapter });
    const before = JSON.parse(mock.fileText()) as { keys: Record<string, unknown> };
    adapter.failOn(insertLine('the ghost create'));
    const failed = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { ghost: 'yes' } } });
    expect(adapter.failures).toBe(1);
    expectErrorReply(failed, SERVER_ERRORS, 'create during a failed write');
    expect(failed.text).not.toContain('ENOSPC');

    const next = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { next: 'yes' } } });
    expect(next.status, next.text).toBe(201);
    const nextId = (next.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
    const after = JSON.parse(mock.fileText()) as { keys: Record<string, { labels: Record<string, string> }> };
    expect(Object.keys(after.keys).sort()).toEqual([...Object.keys(before.keys), nextId].sort());
    expect(mock.fileText()).not.toContain('ghost');
    expect(await stateAfterRestart(dbPath)).toBe(mock.stateText());
    expect(await stateAfterRestart(dbPath)).not.toContain('ghost');
  });
});
