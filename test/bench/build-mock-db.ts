import { writeFile } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { createMock } from '../../mock/create-mock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { toResponse, type ApiKeyResponse } from '../../mock/service/api-key-service.ts';
import type { StoreDocument } from '../../mock/store/store-document.ts';

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
 * reads today and every key is a real one (hashed key material, audit fields).
 * The store is built in memory and written once: writing the growing file
 * after every one of 10,000 users would be quadratic. The mock checks the
 * file's shape when it starts, so a format drift fails loudly.
 *
 * @example
 * const db = await buildMockDb('/tmp/bench/10k.json', 10_000);
 */
export async function buildMockDb(path: string, totalKeys: number): Promise<MockDb> {
  let document: StoreDocument | null = null;
  const adapter: Adapter<StoreDocument> = {
    read: async () => null,
    write: async (data) => {
      document = data;
    },
  };
  const mock = await createMock({ adapter, logLevel: 'silent', controlPlane: false });
  const { service, store } = mock;
  const alice = service.authenticate(DEV_KEYS.alice);
  const pending: Promise<unknown>[] = [];
  for (let i = 1; i < CALLER_KEYS; i++) pending.push(service.createKey(alice, { labels: { team: 'bench', n: String(i) } }));
  // Not awaited one by one: the store coalesces the writes of a burst.
  // (store.userCount counts the users object's keys: too slow to ask 10,000 times.)
  for (let n = 1; store.keyCount < totalKeys; n++) {
    const { rawApiKey } = await service.createUser({ name: `user-${n}` });
    const owner = service.authenticate(rawApiKey);
    const more = Math.min(KEYS_PER_USER - 1, totalKeys - store.keyCount);
    for (let i = 0; i < more; i++) pending.push(service.createKey(owner, { labels: { team: 'other' } }));
  }
  await Promise.all(pending);
  const callerKeys = store.keysOfUser(alice.user.userId).map(toResponse);
  await store.close();
  await writeFile(path, JSON.stringify(document));
  return { path, totalKeys: store.keyCount, callerKeys };
}
