import { Low, Memory } from 'lowdb';
import { JournalFile } from './journal-file.ts';
import { encodeEntry, type JournalEntry } from './journal-entry.ts';
import { replayJournals } from './load-store.ts';
import { oldestFirst } from './oldest-first.ts';
import { SnapshotAdapter, snapshotOf } from './snapshot-adapter.ts';
import type { NewKey, StoreDocument, StoredKey, StoredUser } from './store-document.ts';
import { nodeStoreFiles, type StoreFiles } from './store-files.ts';
import { storePaths, rotatedGenerations } from './store-paths.ts';
import { StorageWriteError, WriteQueue } from './write-queue.ts';

/**
 * The store: a lowdb `Low<StoreDocument>` holds the state (`db.data`), with
 * indexes over it (by key hash, by owner, the reserved ids) so no request
 * scans the whole table. On disk a snapshot, written through lowdb by the
 * project's own durable adapter (snapshot-adapter.ts), plus a journal of
 * changes beside it (docs/storage.md "On-disk layout"); in memory, lowdb's Memory
 * adapter. Every mutation resolves once its journal line is written and
 * fdatasync'ed; a failed write rejects and leaves memory exactly as it was
 * before the change, order of every list included.
 */
export interface Store {
  /** The lowdb database. Read `db.data` freely; change it only through the methods below (they keep the indexes and the journal). */
  readonly db: Low<StoreDocument>;
  readonly keyCount: number;
  readonly userCount: number;
  keyById(apiKeyId: string): StoredKey | undefined;
  keyByHash(keyHash: string): StoredKey | undefined;
  /** A user's keys, oldest first (createdAt, then creation number). */
  keysOfUser(userId: string): StoredKey[];
  /** Every key, oldest first (createdAt, then creation number). */
  allKeys(): StoredKey[];
  user(userId: string): StoredUser | undefined;
  /** Whether `apiKeyId` belonged to a key deleted with `reserveId` (it stays taken). */
  isReservedId(apiKeyId: string): boolean;
  /** Stores a new key under the next creation number (`seq`). */
  insertKey(key: NewKey): Promise<void>;
  replaceKey(key: StoredKey): Promise<void>;
  /** Deletes a key; with `reserveId` its id stays taken (StoreDocument.deletedIds). */
  deleteKey(apiKeyId: string, options?: { reserveId?: boolean }): Promise<void>;
  insertUser(user: StoredUser): Promise<void>;
  /** Replaces the whole document (reset to seed: reserved ids go too). */
  replaceDocument(document: StoreDocument): Promise<void>;
  /** Records a successful authentication; journalled in batches, at most one line per interval. */
  touchKey(apiKeyId: string, lastUsedAt: number): void;
  /** Waits until every change so far (lastUsedAt bookkeeping included) is on disk. */
  flush(): Promise<void>;
  /**
   * Folds the journal into a new snapshot, serialising a slice at a time so
   * requests keep being answered. Runs by itself at start-up and past
   * `compactAfterBytes`; resolves when done, rejects when it failed (nothing
   * is lost then: the journals stay and are replayed).
   */
  compact(): Promise<void>;
  /** The compaction running now (at start-up, in the background or asked for), or null. */
  readonly compaction: Promise<void> | null;
  /** Flushes, compacts and closes the files; writes after this are refused. */
  close(): Promise<void>;
}

/** Where the store reports what it did to its files (the mock's logger). */
export interface StoreLog {
  info(message: string): void;
  error(message: string): void;
}

export interface StoreOptions {
  /** The snapshot's path (JSON); omit for an in-memory store. */
  path?: string;
  /** The file layer to write through (tests inject failing storage). */
  files?: StoreFiles;
  /** The document a new (missing) file or memory store starts with (lowdb's default data). */
  initial: () => StoreDocument;
  /** How long lastUsedAt bookkeeping may wait to be journalled (one line per interval). */
  touchFlushMs?: number;
  /**
   * Journal size that starts a background compaction. Default: the larger of
   * 8 MiB and the snapshot's size, so compaction work stays proportional to
   * the writes (each byte of snapshot is rewritten once per as many journal bytes).
   */
  compactAfterBytes?: number;
  /** Longest run of serialising between two turns of the event loop in a background compaction. */
  compactSliceMs?: number;
  log?: StoreLog;
}

const DEFAULT_COMPACT_AFTER = 8 * 2 ** 20;
const silent: StoreLog = { info: () => undefined, error: () => undefined };

/**
 * Opens the store. A missing snapshot starts from `initial()` (written at
 * once, so a restart finds the same seed ids); an empty, truncated, `null` or
 * foreign snapshot, or a corrupt journal line before the last, throws
 * CorruptStoreError naming file (and line) and changes nothing on disk.
 *
 * @example
 * const store = await createStore({ path: '.data/apikeys.json', initial: () => seedDocument(DEFAULT_SEED, clock.now()) });
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  const log = options.log ?? silent;
  const touchFlushMs = options.touchFlushMs ?? 1000;
  if (!options.path) return new IndexedStore(new Low(new Memory<StoreDocument>(), options.initial()), null, touchFlushMs, log);
  const files = options.files ?? nodeStoreFiles;
  const paths = storePaths(options.path);
  const started = performance.now();
  const snapshot = new SnapshotAdapter(files, paths);
  // lowdb's default data, used only when there is no snapshot yet (then it is the seed: made only then).
  const db = new Low<StoreDocument>(snapshot, { version: 1, users: {}, keys: {}, deletedIds: [] });
  await db.read();
  const replayed = replayJournals(paths, snapshot.found ? db.data : null);
  for (const torn of replayed.torn) {
    log.info(
      `store: ignored line ${torn.line} of ${torn.path}: its last ${torn.bytes} bytes were cut short by a crash mid-append (never acknowledged)`,
    );
  }
  if (replayed.document) {
    db.data = replayed.document;
    // A snapshot a crash left half-written: the complete one is still in place.
    await snapshot.discardTemp();
  } else {
    db.data = options.initial();
    await db.write();
  }
  const active = replayed.journals.find((j) => j.generation === null);
  const journal = new JournalFile(files, paths.journal, paths.directory, {
    bytes: replayed.activeJournalBytes,
    exists: active !== undefined,
    torn: active !== undefined && active.bytes > replayed.activeJournalBytes,
  });
  const disk: Disk = {
    files,
    snapshot,
    journal,
    generations: rotatedGenerations(paths),
    compactAfterBytes: options.compactAfterBytes,
    sliceMs: options.compactSliceMs ?? 2,
    retryAtBytes: 0,
  };
  const store = new IndexedStore(db, disk, touchFlushMs, log);
  const entries = replayed.journals.reduce((n, j) => n + j.entries, 0);
  if (entries > 0)
    log.info(`store: replayed ${entries} journal lines over ${paths.snapshot} in ${Math.round(performance.now() - started)} ms`);
  // A compaction that a crash interrupted, or a journal grown large: fold it now, in the background.
  if (disk.generations.length > 0 || journal.bytes >= store.compactionThreshold) store.compactInBackground('at start-up');
  return store;
}

interface Disk {
  files: StoreFiles;
  /** lowdb's adapter of the snapshot (its size, its temp file). */
  snapshot: SnapshotAdapter;
  journal: JournalFile;
  /** Set-aside journals not yet folded into the snapshot. */
  generations: number[];
  compactAfterBytes: number | undefined;
  sliceMs: number;
  /** After a failed background compaction: do not retry before the journal reaches this size. */
  retryAtBytes: number;
}

/** The indexes over a document: derived from `db.data`, rebuilt when it is replaced. */
interface Indexes {
  /** `db.data.keys` as a Map: iterating a Map of 100,000 keys is free, listing an object's values is not. */
  byId: Map<string, StoredKey>;
  byHash: Map<string, StoredKey>;
  byUser: Map<string, Map<string, StoredKey>>;
  reserved: Set<string>;
  /** The creation number the next inserted key gets. */
  nextSeq: number;
}

class IndexedStore implements Store {
  readonly db: Low<StoreDocument>;
  readonly #disk: Disk | null;
  readonly #queue: WriteQueue | null;
  readonly #touchFlushMs: number;
  readonly #log: StoreLog;
  #index: Indexes;
  #touched = new Map<string, number>();
  #touchTimer: NodeJS.Timeout | null = null;
  #compacting: Promise<void> | null = null;
  #closed = false;
  #wrote = false;

  constructor(db: Low<StoreDocument>, disk: Disk | null, touchFlushMs: number, log: StoreLog) {
    this.db = db;
    this.#disk = disk;
    this.#touchFlushMs = touchFlushMs;
    this.#log = log;
    this.#queue = disk ? new WriteQueue((text) => this.#append(text)) : null;
    this.#index = this.#indexesOf(db.data);
  }

  get keyCount(): number {
    return this.#index.byId.size;
  }
  get userCount(): number {
    return Object.keys(this.db.data.users).length;
  }

  keyById(apiKeyId: string): StoredKey | undefined {
    return this.#index.byId.get(apiKeyId);
  }
  keyByHash(keyHash: string): StoredKey | undefined {
    return this.#index.byHash.get(keyHash);
  }
  keysOfUser(userId: string): StoredKey[] {
    return [...(this.#index.byUser.get(userId)?.values() ?? [])].sort(oldestFirst);
  }
  allKeys(): StoredKey[] {
    return [...this.#index.byId.values()].sort(oldestFirst);
  }
  user(userId: string): StoredUser | undefined {
    const users = this.db.data.users;
    return Object.hasOwn(users, userId) ? users[userId] : undefined;
  }
  isReservedId(apiKeyId: string): boolean {
    return this.#index.reserved.has(apiKeyId);
  }

  insertKey(fields: NewKey): Promise<void> {
    const key: StoredKey = { ...fields, seq: this.#index.nextSeq++ };
    this.#put(key);
    return this.#commit({ op: 'insert', key }, () => {
      this.#remove(key);
      // Undone newest first, so the counter ends where the first undone insert found it.
      this.#index.nextSeq = key.seq;
    });
  }
  replaceKey(key: StoredKey): Promise<void> {
    const previous = this.keyById(key.apiKeyId);
    if (!previous) return Promise.reject(new Error(`replaceKey: no key ${key.apiKeyId}`));
    this.#put(key);
    return this.#commit({ op: 'replace', key }, () => this.#put(previous));
  }
  deleteKey(apiKeyId: string, options: { reserveId?: boolean } = {}): Promise<void> {
    const previous = this.keyById(apiKeyId);
    if (!previous) return Promise.reject(new Error(`deleteKey: no key ${apiKeyId}`));
    this.#remove(previous);
    const reserve = options.reserveId === true && !this.#index.reserved.has(apiKeyId);
    if (reserve) {
      this.#index.reserved.add(apiKeyId);
      this.db.data.deletedIds.push(apiKeyId);
    }
    return this.#commit({ op: 'delete', apiKeyId, ...(reserve ? { reserveId: true } : {}) }, () => {
      if (reserve) {
        this.#index.reserved.delete(apiKeyId);
        const ids = this.db.data.deletedIds;
        // Undone newest first: the id is the last one, unless a reset replaced the list meanwhile (undone before this).
        ids.splice(ids.lastIndexOf(apiKeyId), 1);
      }
      this.#put(previous);
    });
  }
  insertUser(user: StoredUser): Promise<void> {
    const users = this.db.data.users;
    const previous = this.user(user.userId);
    users[user.userId] = user;
    return this.#commit({ op: 'user', user }, () => {
      if (previous) users[user.userId] = previous;
      else delete users[user.userId];
    });
  }
  replaceDocument(document: StoreDocument): Promise<void> {
    const previous = { data: this.db.data, index: this.#index };
    this.db.data = document;
    this.#index = this.#indexesOf(document);
    return this.#commit({ op: 'reset', document }, () => {
      this.db.data = previous.data;
      this.#index = previous.index;
    });
  }

  touchKey(apiKeyId: string, lastUsedAt: number): void {
    const key = this.keyById(apiKeyId);
    if (!key) return;
    // Bookkeeping, not a client's change: set in place (the one field that is)
    // and journalled with the others used in the same interval. A crash loses
    // at most the last interval's (docs/storage.md "Guarantees").
    key.lastUsedAt = lastUsedAt;
    if (!this.#queue || this.#closed) return;
    this.#touched.set(apiKeyId, lastUsedAt);
    this.#touchTimer ??= setTimeout(() => void this.#journalTouches(), this.#touchFlushMs).unref();
  }

  async flush(): Promise<void> {
    await this.#journalTouches();
    await this.#queue?.drain();
  }

  compact(): Promise<void> {
    if (!this.#disk) return Promise.resolve();
    this.#compacting ??= this.#compact(this.#closed ? 0 : this.#disk.sliceMs).finally(() => (this.#compacting = null));
    return this.#compacting;
  }

  get compaction(): Promise<void> | null {
    return this.#compacting;
  }

  /** The journal size that starts a background compaction. */
  get compactionThreshold(): number {
    const disk = this.#disk;
    if (!disk) return Infinity;
    return disk.compactAfterBytes ?? Math.max(DEFAULT_COMPACT_AFTER, disk.snapshot.bytes);
  }

  compactInBackground(why: string): void {
    if (this.#compacting || this.#closed) return;
    this.compact().catch((error: unknown) => {
      const disk = this.#disk!;
      disk.retryAtBytes = disk.journal.bytes + this.compactionThreshold;
      this.#log.error(`store: compaction ${why} failed, journal kept: ${(error as Error).message}`);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.flush().catch(() => undefined);
    this.#closed = true;
    const disk = this.#disk;
    if (!disk) return;
    await this.#compacting?.catch(() => undefined);
    // Only a store that wrote folds the journal at shutdown: one that only read
    // (a test or tool reopening the files beside a running mock) changes nothing.
    let compacted = !this.#wrote || (disk.journal.bytes === 0 && disk.generations.length === 0);
    if (!compacted) {
      compacted = await this.compact().then(
        () => true,
        (error: unknown) => {
          this.#log.error(`store: compaction at shutdown failed, journal kept: ${(error as Error).message}`);
          return false;
        },
      );
    }
    await disk.journal.close().catch(() => undefined);
    // Everything is in the snapshot: a stopped mock leaves one file.
    if (this.#wrote && compacted && disk.journal.bytes === 0) await disk.files.remove(disk.snapshot.paths.journal).catch(() => undefined);
  }

  #commit(entry: JournalEntry, undo: () => void): Promise<void> {
    if (!this.#queue) return Promise.resolve();
    if (this.#closed) {
      undo();
      return Promise.reject(new StorageWriteError(new Error('the store is closed')));
    }
    return this.#queue.commit(encodeEntry(entry), undo);
  }

  #journalTouches(): Promise<void> {
    if (this.#touchTimer) clearTimeout(this.#touchTimer);
    this.#touchTimer = null;
    if (this.#touched.size === 0 || !this.#queue) return Promise.resolve();
    const lastUsedAt = Object.fromEntries(this.#touched);
    this.#touched = new Map();
    // No undo: a lost touch only leaves lastUsedAt older on disk than in memory.
    return this.#queue.commit(encodeEntry({ op: 'touch', lastUsedAt }));
  }

  async #append(text: string): Promise<void> {
    const disk = this.#disk!;
    this.#wrote = true;
    await disk.journal.append(text);
    const bytes = disk.journal.bytes;
    if (bytes >= this.compactionThreshold && bytes >= disk.retryAtBytes) this.compactInBackground('in the background');
  }

  /**
   * Compaction, safe to interrupt at any step because replay is idempotent
   * (journal-entry.ts) and a set-aside journal is removed only once the
   * snapshot that holds it is durable:
   *
   * 1. With appends held back for a moment: every change made so far is on
   *    disk; the journal is renamed to `.journal.N` and a new one takes the
   *    next lines; what the snapshot will hold is taken (snapshotOf).
   * 2. lowdb's adapter writes it to the temp file a slice at a time (requests
   *    answered in between; changes made meanwhile are in the new journal) and
   *    fsyncs it.
   * 3. Appends held back again: if one failed since step 1, a change the
   *    snapshot may hold was undone, so the snapshot is dropped. Otherwise the
   *    adapter renames it over the snapshot and fsyncs the directory.
   * 4. Remove the set-aside journals (a crash before that only replays them again).
   */
  async #compact(sliceMs: number): Promise<void> {
    const disk = this.#disk!;
    const queue = this.#queue!;
    const { files, snapshot } = disk;
    const { paths } = snapshot;
    const started = performance.now();
    await queue.pause();
    const holdStarted = performance.now();
    let generation: number;
    let failures: number;
    let source: ReturnType<typeof snapshotOf>;
    try {
      generation = Math.max(0, ...disk.generations) + 1;
      await files.rename(paths.journal, paths.rotated(generation)).catch((error: NodeJS.ErrnoException) => {
        // Nothing appended since the last compaction or start: nothing to set aside.
        if (error.code !== 'ENOENT') throw error;
      });
      const old = disk.journal;
      disk.generations.push(generation);
      disk.journal = new JournalFile(files, paths.journal, paths.directory, { bytes: 0, exists: false, torn: false });
      failures = queue.failures;
      source = snapshotOf(this.db.data, this.#index.byId.values());
      await old.close();
    } finally {
      queue.resume();
    }
    const held = performance.now() - holdStarted;
    const bytes = await snapshot.writeTemp(source, { sliceMs });
    await queue.pause();
    try {
      if (queue.failures !== failures) throw new Error('a journal append failed while the snapshot was written');
      await snapshot.replace(bytes);
    } catch (error) {
      await snapshot.discardTemp();
      throw error;
    } finally {
      queue.resume();
    }
    const folded = disk.generations.filter((g) => g <= generation);
    disk.generations = disk.generations.filter((g) => g > generation);
    for (const g of folded) await files.remove(paths.rotated(g));
    disk.retryAtBytes = 0;
    this.#log.info(
      `store: compacted ${this.keyCount} keys into ${paths.snapshot} (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${Math.round(performance.now() - started)} ms; appends held ${held.toFixed(1)} ms`,
    );
  }

  /** The indexes over `document`, and the next creation number. */
  #indexesOf(document: StoreDocument): Indexes {
    const index: Indexes = { byId: new Map(), byHash: new Map(), byUser: new Map(), reserved: new Set(document.deletedIds), nextSeq: 1 };
    let lastSeq = 0;
    const keys = document.keys;
    for (const id in keys) {
      const key = keys[id]!;
      index.byId.set(id, key);
      index.byHash.set(key.keyHash, key);
      let own = index.byUser.get(key.userId);
      if (!own) index.byUser.set(key.userId, (own = new Map()));
      own.set(key.apiKeyId, key);
      if (key.seq > lastSeq) lastSeq = key.seq;
    }
    index.nextSeq = lastSeq + 1;
    return index;
  }

  #put(key: StoredKey): void {
    const previous = this.keyById(key.apiKeyId);
    if (previous && previous.keyHash !== key.keyHash) this.#index.byHash.delete(previous.keyHash);
    this.db.data.keys[key.apiKeyId] = key;
    this.#index.byId.set(key.apiKeyId, key);
    this.#index.byHash.set(key.keyHash, key);
    let own = this.#index.byUser.get(key.userId);
    if (!own) this.#index.byUser.set(key.userId, (own = new Map()));
    own.set(key.apiKeyId, key);
  }

  #remove(key: StoredKey): void {
    delete this.db.data.keys[key.apiKeyId];
    this.#index.byId.delete(key.apiKeyId);
    this.#index.byHash.delete(key.keyHash);
    const own = this.#index.byUser.get(key.userId);
    own?.delete(key.apiKeyId);
    if (own?.size === 0) this.#index.byUser.delete(key.userId);
  }
}
