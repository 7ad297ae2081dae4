import { createMock } from '../../mock/create-mock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { toResponse, type ApiKeyResponse } from '../../mock/service/api-key-service.ts';
import { nodeStoreFiles, type StoreFiles } from '../../mock/store/store-files.ts';

/** How many keys the caller (alice) owns in every benchmark store: her dev key plus nine. */
export const CALLER_KEYS = 10;
/** Keys per generated user, so other users look like the caller. */
const KEYS_PER_USER = 10;

export interface MockDb {
  path: string;
  /** Keys in the file, all users together. */
  totalKeys: number;
  /** The caller's keys as GET /v1/apikeys returns them (for the json-server and bare-Node bodies). */
  callerKeys: ApiKeyResponse[];
}

/**
 * Writes a store file for the mock with `totalKeys` keys, of which the caller
 * (alice, the default seed's dev key) owns exactly 10. Built through the
 * mock's own service and store, so the file is in whatever format the mock
 * reads today and every key is a real one (hashed key material, audit fields):
 * the store journals every change and folds the journal into the snapshot
 * when it closes. A fixture needs no durability, so the journal skips
 * fdatasync (10,000 users are created one after the other). The mock checks
 * the file's shape when it starts, so a format drift fails loudly.
 *
 * @example
 * const db = await buildMockDb('/tmp/bench/10k.json', 10_000);
 */
export async function buildMockDb(path: string, totalKeys: number): Promise<MockDb> {
  const mock = await createMock({
    dbPath: path,
    adapter: withoutSync,
    compactAfterBytes: Number.POSITIVE_INFINITY,
    logLevel: 'silent',
    controlPlane: false,
  });
  const { service, store } = mock;
  const alice = service.authenticate(DEV_KEYS.alice);
  const pending: Promise<unknown>[] = [];
  for (let i = 1; i < CALLER_KEYS; i++) pending.push(service.createKey(alice, { labels: { team: 'bench', n: String(i) } }));
  // Not awaited one by one: the store coalesces the writes of a burst.
  for (let n = 1; store.keyCount < totalKeys; n++) {
    const { rawApiKey } = await service.createUser({ name: `user-${n}` });
    const owner = service.authenticate(rawApiKey);
    const more = Math.min(KEYS_PER_USER - 1, totalKeys - store.keyCount);
    for (let i = 0; i < more; i++) pending.push(service.createKey(owner, { labels: { team: 'other' } }));
  }
  await Promise.all(pending);
  const callerKeys = store.keysOfUser(alice.user.userId).map(toResponse);
  await store.close();
  return { path, totalKeys: store.keyCount, callerKeys };
}

const withoutSync: StoreFiles = {
  ...nodeStoreFiles,
  async openAppend(path) {
    const handle = await nodeStoreFiles.openAppend(path);
    return { ...bind(handle), datasync: async () => undefined };
  },
};

function bind(handle: Awaited<ReturnType<StoreFiles['openAppend']>>) {
  return {
    write: (data: string) => handle.write(data),
    datasync: () => handle.datasync(),
    sync: () => handle.sync(),
    truncate: (length: number) => handle.truncate(length),
    close: () => handle.close(),
  };
}
