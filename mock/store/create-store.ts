import { Low, type Adapter } from 'lowdb';
import { MemoryDocument, StoreFile } from './document-adapters.ts';
import { emptyDocument, type StoreDocument, type StoredKey, type StoredUser } from './store-document.ts';
import { WriteQueue } from './write-queue.ts';

/**
 * The lowdb-backed store with in-memory indexes (by id, by key hash, by owner),
 * so no request scans the whole table. Every mutation resolves once it is on
 * disk; a failed write rejects and leaves memory as it was before the change.
 */
export interface Store {
  readonly keyCount: number;
  readonly userCount: number;
  keyById(apiKeyId: string): StoredKey | undefined;
  keyByHash(keyHash: string): StoredKey | undefined;
  /** A user's keys, oldest first. */
  keysOfUser(userId: string): StoredKey[];
  /** Every key, oldest first. */
  allKeys(): StoredKey[];
  user(userId: string): StoredUser | undefined;
  insertKey(key: StoredKey): Promise<void>;
  replaceKey(key: StoredKey): Promise<void>;
  deleteKey(apiKeyId: string): Promise<void>;
  insertUser(user: StoredUser): Promise<void>;
  /** Replaces the whole document (reset to seed). */
  replaceDocument(document: StoreDocument): Promise<void>;
  /** Records a successful authentication; persisted lazily, with the next write. */
  touchKey(apiKeyId: string, lastUsedAt: number): void;
  /** Waits until every change so far is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** JSON file path; omit for an in-memory store. */
  path?: string;
  /** A custom lowdb adapter (tests inject failing storage). */
  adapter?: Adapter<StoreDocument>;
  /** The document a new (missing) file or memory store starts with. */
  initial: () => StoreDocument;
  /** How long lastUsedAt bookkeeping may wait for a write of its own. */
  touchFlushMs?: number;
}

/**
 * Opens the store. A missing file starts from `initial()`; a file that exists
 * but is empty, truncated or not a store document throws CorruptStoreError.
 *
 * @example
 * const store = await createStore({ path: '.data/apikeys.json', initial: () => seedDocument(DEFAULT_SEED, clock) });
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  const adapter = options.adapter ?? (options.path ? new StoreFile(options.path) : new MemoryDocument());
  const db = new Low<StoreDocument>(adapter, emptyDocument());
  const loaded = await adapter.read();
  const isNew = loaded === null;
  db.data = loaded ?? options.initial();
  const store = new IndexedStore(db, options.touchFlushMs ?? 1000);
  // A new store is written at once, so a restart finds the same seed ids.
  if (isNew) await store.flush(true);
  return store;
}

class IndexedStore implements Store {
  readonly #db: Low<StoreDocument>;
  readonly #queue: WriteQueue;
  readonly #touchFlushMs: number;
  #byId = new Map<string, StoredKey>();
  #byHash = new Map<string, StoredKey>();
  #byUser = new Map<string, Map<string, StoredKey>>();
  #touchTimer: NodeJS.Timeout | null = null;

  constructor(db: Low<StoreDocument>, touchFlushMs: number) {
    this.#db = db;
    this.#touchFlushMs = touchFlushMs;
    this.#queue = new WriteQueue(() => db.write());
    this.#reindex();
  }

  get keyCount(): number {
    return this.#byId.size;
  }
  get userCount(): number {
    return Object.keys(this.#doc.users).length;
  }
  get #doc(): StoreDocument {
    return this.#db.data;
  }

  keyById(apiKeyId: string): StoredKey | undefined {
    return this.#byId.get(apiKeyId);
  }
  keyByHash(keyHash: string): StoredKey | undefined {
    return this.#byHash.get(keyHash);
  }
  keysOfUser(userId: string): StoredKey[] {
    return oldestFirst([...(this.#byUser.get(userId)?.values() ?? [])]);
  }
  allKeys(): StoredKey[] {
    return oldestFirst([...this.#byId.values()]);
  }
  user(userId: string): StoredUser | undefined {
    return Object.hasOwn(this.#doc.users, userId) ? this.#doc.users[userId] : undefined;
  }

  insertKey(key: StoredKey): Promise<void> {
    this.#put(key);
    return this.#queue.commit(() => this.#remove(key));
  }
  replaceKey(key: StoredKey): Promise<void> {
    const previous = this.#byId.get(key.apiKeyId);
    if (!previous) return Promise.reject(new Error(`replaceKey: no key ${key.apiKeyId}`));
    this.#put(key);
    return this.#queue.commit(() => this.#put(previous));
  }
  deleteKey(apiKeyId: string): Promise<void> {
    const previous = this.#byId.get(apiKeyId);
    if (!previous) return Promise.reject(new Error(`deleteKey: no key ${apiKeyId}`));
    this.#remove(previous);
    return this.#queue.commit(() => this.#put(previous));
  }
  insertUser(user: StoredUser): Promise<void> {
    const previous = this.user(user.userId);
    this.#doc.users[user.userId] = user;
    return this.#queue.commit(() => {
      if (previous) this.#doc.users[user.userId] = previous;
      else delete this.#doc.users[user.userId];
    });
  }
  replaceDocument(document: StoreDocument): Promise<void> {
    const previous = this.#doc;
    this.#db.data = document;
    this.#reindex();
    return this.#queue.commit(() => {
      this.#db.data = previous;
      this.#reindex();
    });
  }

  touchKey(apiKeyId: string, lastUsedAt: number): void {
    const key = this.#byId.get(apiKeyId);
    if (!key) return;
    // Bookkeeping, not a client's change: updated in place and written with the
    // next write, or after touchFlushMs at the latest (lost at worst on a crash).
    key.lastUsedAt = lastUsedAt;
    this.#touchTimer ??= setTimeout(() => {
      this.#touchTimer = null;
      void this.#queue.request();
    }, this.#touchFlushMs).unref();
  }

  async flush(force = false): Promise<void> {
    if (this.#touchTimer || force) {
      if (this.#touchTimer) clearTimeout(this.#touchTimer);
      this.#touchTimer = null;
      await this.#queue.request();
    }
    await this.#queue.drain();
  }

  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
  }

  #put(key: StoredKey): void {
    this.#doc.keys[key.apiKeyId] = key;
    this.#index(key);
  }

  #index(key: StoredKey): void {
    const previous = this.#byId.get(key.apiKeyId);
    if (previous && previous.keyHash !== key.keyHash) this.#byHash.delete(previous.keyHash);
    this.#byId.set(key.apiKeyId, key);
    this.#byHash.set(key.keyHash, key);
    let own = this.#byUser.get(key.userId);
    if (!own) this.#byUser.set(key.userId, (own = new Map()));
    own.set(key.apiKeyId, key);
  }

  #remove(key: StoredKey): void {
    delete this.#doc.keys[key.apiKeyId];
    this.#byId.delete(key.apiKeyId);
    this.#byHash.delete(key.keyHash);
    const own = this.#byUser.get(key.userId);
    own?.delete(key.apiKeyId);
    if (own?.size === 0) this.#byUser.delete(key.userId);
  }

  #reindex(): void {
    this.#byId = new Map();
    this.#byHash = new Map();
    this.#byUser = new Map();
    for (const key of Object.values(this.#doc.keys)) this.#index(key);
  }
}

// Stable sort: keys created in the same millisecond keep their insertion order.
function oldestFirst(keys: StoredKey[]): StoredKey[] {
  return keys.sort((a, b) => a.createdAt - b.createdAt);
}
