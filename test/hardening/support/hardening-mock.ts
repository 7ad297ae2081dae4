import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { createLogger } from '../../../mock/http/logger.ts';
import { startMock, type StartMockOptions } from '../../../mock/start-mock.ts';
import type { Store } from '../../../mock/store/create-store.ts';
import { loadStore } from '../../../mock/store/load-store.ts';
import { httpClient } from './http-client.ts';
import { tempDir } from './temp-dir.ts';

/** What a client could ever see of a store: the user count and every key, without lastUsedAt. */
export function stateOf(store: Store): string {
  return JSON.stringify({ users: store.userCount, keys: store.allKeys().map(({ lastUsedAt: _, ...key }) => key) });
}

export const ADMIN_TOKEN = 'hardening-admin-token';

/**
 * The mock listening on 127.0.0.1:0, backed by a JSON file in a fresh temp
 * dir (the real storage path, not the memory adapter), with every log line
 * captured. Closed and removed when the current test finishes.
 */
export async function fileMock(options: StartMockOptions = {}) {
  const dir = tempDir();
  const dbPath = options.dbPath ?? join(dir, 'db.json');
  const logLines: string[] = [];
  const mock = await startMock({
    dbPath,
    adminToken: ADMIN_TOKEN,
    logger: createLogger('debug', (line) => logLines.push(line)),
    ...options,
  });
  onTestFinished(() => mock.close());
  const client = httpClient(mock.url);
  return {
    ...mock,
    dir,
    dbPath,
    logLines,
    send: client.send,
    /** What is on disk now, read by the store's own loader (snapshot + journal), as JSON. */
    fileText: () => JSON.stringify(loadStore(dbPath).document),
    /** The in-memory document as the store holds it (users and keys, every field). */
    memoryText: () => JSON.stringify({ users: mock.store.userCount, keys: mock.store.allKeys() }),
    /** The same without lastUsedAt, which every successful authentication moves (contracts/CONTRACT.md). */
    stateText: () => stateOf(mock.store),
  };
}

export type FileMock = Awaited<ReturnType<typeof fileMock>>;
