import { JournalFile } from './journal-file.ts';
import { encodeEntry, type JournalEntry } from './journal-entry.ts';
import { loadStore } from './load-store.ts';
import { oldestFirst } from './oldest-first.ts';
import type { NewKey, StoreDocument, StoredKey, StoredUser } from './store-document.ts';
import { nodeStoreFiles, type StoreFiles } from './store-files.ts';
import { storePaths, rotatedGenerations, type StorePaths } from './store-paths.ts';
import { StorageWriteError, WriteQueue } from './write-queue.ts';
import { writeSnapshot } from './write-snapshot.ts';

/**
 * The store: the whole state in memory with indexes (by id, by key hash, by
 * owner), so no request scans the whole table; on disk a snapshot plus a
 * journal of changes (README "On-disk layout"). Every mutation resolves once
 * its journal line is written and fdatasync'ed; a failed write rejects and
 * leaves memory as it was before the change.
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
  /** Stores a new key under the next creation number (`seq`). */
  insertKey(key: NewKey): Promise<void>;
  replaceKey(key: StoredKey): Promise<void>;
  deleteKey(apiKeyId: string): Promise<void>;
  insertUser(user: StoredUser): Promise<void>;
  /** Replaces the whole document (reset to seed). */
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
  /** The document a new (missing) file or memory store starts with. */
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
  if (!options.path) return new IndexedStore(options.initial(), null, touchFlushMs, log);
  const files = options.files ?? nodeStoreFiles;
  const paths = storePaths(options.path);
  const started = performance.now();
  const loaded = loadStore(paths.snapshot);
  for (const torn of loaded.torn) {
    log.info(
      `store: ignored line ${torn.line} of ${torn.path}: its last ${torn.bytes} bytes were cut short by a crash mid-append (never acknowledged)`,
    );
  }
  let document = loaded.document;
  let snapshotBytes = loaded.snapshotBytes;
  if (document) {
    // A snapshot a crash left half-written: the complete one is still in place.
    await files.remove(paths.temp);
  } else {
    document = options.initial();
    snapshotBytes = await replaceSnapshot(files, paths, document);
  }
  const active = loaded.journals.find((j) => j.generation === null);
  const journal = new JournalFile(files, paths.journal, paths.directory, {
    bytes: loaded.activeJournalBytes,
    exists: active !== undefined,
    torn: active !== undefined && active.bytes > loaded.activeJournalBytes,
  });
  const disk: Disk = {
    files,
    paths,
    journal,
    generations: rotatedGenerations(paths),
    snapshotBytes,
    compactAfterBytes: options.compactAfterBytes,
    sliceMs: options.compactSliceMs ?? 2,
    retryAtBytes: 0,
  };
  const store = new IndexedStore(document, disk, touchFlushMs, log);
  const entries = loaded.journals.reduce((n, j) => n + j.entries, 0);
  if (entries > 0)
    log.info(`store: replayed ${entries} journal lines over ${paths.snapshot} in ${Math.round(performance.now() - started)} ms`);
  // A compaction that a crash interrupted, or a journal grown large: fold it now, in the background.
  if (disk.generations.length > 0 || journal.bytes >= store.compactionThreshold) store.compactInBackground('at start-up');
  return store;
}

interface Disk {
  files: StoreFiles;
  paths: StorePaths;
  journal: JournalFile;
  /** Set-aside journals not yet folded into the snapshot. */
  generations: number[];
  snapshotBytes: number;
  compactAfterBytes: number | undefined;
  sliceMs: number;
  /** After a failed background compaction: do not retry before the journal reaches this size. */
  retryAtBytes: number;
}

/** Writes a whole document as the snapshot at once: temp file, fsync, rename, fsync of the directory. */
async function replaceSnapshot(files: StoreFiles, paths: StorePaths, document: StoreDocument): Promise<number> {
  const bytes = await writeSnapshot(
    files,
    paths.temp,
    { users: Object.values(document.users), keys: Object.values(document.keys) },
    { sliceMs: 0 },
  );
  await files.rename(paths.temp, paths.snapshot);
  await files.syncDirectory(paths.directory);
  return bytes;
}

class IndexedStore implements Store {
  readonly #disk: Disk | null;
  readonly #queue: WriteQueue | null;
  readonly #touchFlushMs: number;
  readonly #log: StoreLog;
  #users = new Map<string, StoredUser>();
  #byId = new Map<string, StoredKey>();
  #byHash = new Map<string, StoredKey>();
  #byUser = new Map<string, Map<string, StoredKey>>();
  #touched = new Map<string, number>();
  #touchTimer: NodeJS.Timeout | null = null;
  /** The creation number the next inserted key gets. */
  #nextSeq = 1;
  #compacting: Promise<void> | null = null;
  #closed = false;
  #wrote = false;

  constructor(document: StoreDocument, disk: Disk | null, touchFlushMs: number, log: StoreLog) {
    this.#disk = disk;
    this.#touchFlushMs = touchFlushMs;
    this.#log = log;
    this.#queue = disk ? new WriteQueue((text) => this.#append(text)) : null;
    this.#load(document);
  }

  get keyCount(): number {
    return this.#byId.size;
  }
  get userCount(): number {
    return this.#users.size;
  }

  keyById(apiKeyId: string): StoredKey | undefined {
    return this.#byId.get(apiKeyId);
  }
  keyByHash(keyHash: string): StoredKey | undefined {
    return this.#byHash.get(keyHash);
  }
  keysOfUser(userId: string): StoredKey[] {
    return [...(this.#byUser.get(userId)?.values() ?? [])].sort(oldestFirst);
  }
  allKeys(): StoredKey[] {
    return [...this.#byId.values()].sort(oldestFirst);
  }
  user(userId: string): StoredUser | undefined {
    return this.#users.get(userId);
  }

  insertKey(fields: NewKey): Promise<void> {
    const key: StoredKey = { ...fields, seq: this.#nextSeq++ };
    this.#put(key);
    return this.#commit({ op: 'insert', key }, () => {
      this.#remove(key);
      // Undone newest first, so the counter ends where the first undone insert found it.
      this.#nextSeq = key.seq;
    });
  }
  replaceKey(key: StoredKey): Promise<void> {
    const previous = this.#byId.get(key.apiKeyId);
    if (!previous) return Promise.reject(new Error(`replaceKey: no key ${key.apiKeyId}`));
    this.#put(key);
    return this.#commit({ op: 'replace', key }, () => this.#put(previous));
  }
  deleteKey(apiKeyId: string): Promise<void> {
    const previous = this.#byId.get(apiKeyId);
    if (!previous) return Promise.reject(new Error(`deleteKey: no key ${apiKeyId}`));
    this.#remove(previous);
    return this.#commit({ op: 'delete', apiKeyId }, () => this.#put(previous));
  }
  insertUser(user: StoredUser): Promise<void> {
    const previous = this.#users.get(user.userId);
    this.#users.set(user.userId, user);
    return this.#commit({ op: 'user', user }, () => {
      if (previous) this.#users.set(user.userId, previous);
      else this.#users.delete(user.userId);
    });
  }
  replaceDocument(document: StoreDocument): Promise<void> {
    const previous = { users: this.#users, byId: this.#byId, byHash: this.#byHash, byUser: this.#byUser, nextSeq: this.#nextSeq };
    this.#load(document);
    return this.#commit({ op: 'reset', document }, () => {
      this.#users = previous.users;
      this.#byId = previous.byId;
      this.#byHash = previous.byHash;
      this.#byUser = previous.byUser;
      this.#nextSeq = previous.nextSeq;
    });
  }

  touchKey(apiKeyId: string, lastUsedAt: number): void {
    const key = this.#byId.get(apiKeyId);
    if (!key) return;
    // Bookkeeping, not a client's change: set in place (the one field that is)
    // and journalled with the others used in the same interval. A crash loses
    // at most the last interval's (README "Guarantees").
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
    return disk.compactAfterBytes ?? Math.max(DEFAULT_COMPACT_AFTER, disk.snapshotBytes);
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
    if (this.#wrote && compacted && disk.journal.bytes === 0) await disk.files.remove(disk.paths.journal).catch(() => undefined);
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
   *    next lines; the users and a live iterator over the keys are taken.
   * 2. The snapshot is written to the temp file a slice at a time (requests
   *    answered in between; changes made meanwhile are in the new journal,
   *    whatever of them the iterator also sees is replayed over it) and fsynced.
   * 3. Appends held back again: if one failed since step 1, a change the
   *    snapshot may hold was undone, so the snapshot is dropped. Otherwise
   *    rename over the snapshot and fsync the directory.
   * 4. Remove the set-aside journals (a crash before that only replays them again).
   */
  async #compact(sliceMs: number): Promise<void> {
    const disk = this.#disk!;
    const queue = this.#queue!;
    const { files, paths } = disk;
    const started = performance.now();
    await queue.pause();
    const holdStarted = performance.now();
    let generation: number;
    let failures: number;
    let users: StoredUser[];
    let keys: Iterable<StoredKey>;
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
      users = [...this.#users.values()];
      keys = this.#byId.values();
      await old.close();
    } finally {
      queue.resume();
    }
    const held = performance.now() - holdStarted;
    let bytes: number;
    try {
      bytes = await writeSnapshot(files, paths.temp, { users, keys }, { sliceMs });
      await queue.pause();
      try {
        if (queue.failures !== failures) throw new Error('a journal append failed while the snapshot was written');
        await files.rename(paths.temp, paths.snapshot);
        await files.syncDirectory(paths.directory);
      } finally {
        queue.resume();
      }
    } catch (error) {
      await files.remove(paths.temp).catch(() => undefined);
      throw error;
    }
    const folded = disk.generations.filter((g) => g <= generation);
    disk.generations = disk.generations.filter((g) => g > generation);
    for (const g of folded) await files.remove(paths.rotated(g));
    disk.snapshotBytes = bytes;
    disk.retryAtBytes = 0;
    this.#log.info(
      `store: compacted ${this.#byId.size} keys into ${paths.snapshot} (${(bytes / 2 ** 20).toFixed(1)} MiB) in ${Math.round(performance.now() - started)} ms; appends held ${held.toFixed(1)} ms`,
    );
  }

  #load(document: StoreDocument): void {
    this.#users = new Map(Object.entries(document.users));
    this.#byId = new Map();
    this.#byHash = new Map();
    this.#byUser = new Map();
    let lastSeq = 0;
    for (const key of Object.values(document.keys)) {
      this.#put(key);
      if (key.seq > lastSeq) lastSeq = key.seq;
    }
    this.#nextSeq = lastSeq + 1;
  }

  #put(key: StoredKey): void {
    const previous = this.#byId.get(key.apiKeyId);
    if (previous && previous.keyHash !== key.keyHash) this.#byHash.delete(previous.keyHash);
    this.#byId.set(key.apiKeyId, key);
    this.#byHash.set(key.keyHash, key);
    let own = this.#byUser.get(key.userId);
    if (!own) this.#byUser.set(key.userId, (own = new Map()));
    own.set(key.apiKeyId, key);
  }

  #remove(key: StoredKey): void {
    this.#byId.delete(key.apiKeyId);
    this.#byHash.delete(key.keyHash);
    const own = this.#byUser.get(key.userId);
    own?.delete(key.apiKeyId);
    if (own?.size === 0) this.#byUser.delete(key.userId);
  }
}
