import { createHash } from 'node:crypto';
import { isValidRecord, schemaFingerprint } from './document-schema.ts';
import type { StoredKey, StoredUser } from './store-document.ts';
import type { StoreFiles } from './store-files.ts';

/**
 * The layout the writer uses (parse-snapshot.ts reads it a line at a time):
 * one user, key or deleted id per line between these fixed lines, then the
 * integrity line. Any other valid JSON document (a hand-edited file) is read
 * too, as a whole.
 */
export const SNAPSHOT_HEAD = '{"version":1,\n"users":{\n';
export const SNAPSHOT_MIDDLE = '},\n"keys":{\n';
export const SNAPSHOT_DELETED_IDS = '},\n"deletedIds":[\n';
export const SNAPSHOT_BEFORE_INTEGRITY = '],\n';
/** How the document ended before the integrity line, and before `deletedIds` (both still read). */
export const SNAPSHOT_TAIL_WITHOUT_INTEGRITY = ']}\n';
export const SNAPSHOT_TAIL_WITHOUT_DELETED_IDS = '}}\n';

/**
 * The snapshot's last property, on the last line: the SHA-256 of every byte
 * before that line, and the fingerprint of the schemas its records were
 * checked against when written. A file that still matches both holds exactly
 * records that were valid when written, so start-up need not check them one by
 * one again (the costliest part of loading 100,000 keys); any edit, or a new
 * schema, and every record is checked. Written only when every record passed.
 */
export interface SnapshotIntegrity {
  sha256: string;
  schema: string;
}
export const INTEGRITY_PROPERTY = 'integrity';

/** Characters held before a write even in one go (bounds the memory a big store needs to be written). */
const MAX_CHUNK = 4 * 2 ** 20;
/** Bytes written between two fdatasyncs of the snapshot being written. */
const SYNC_EVERY = 2 * 2 ** 20;

/** What a snapshot holds, each part taken at one moment (records are replaced, never edited, except lastUsedAt). */
export interface SnapshotSource {
  users: Iterable<StoredUser>;
  keys: Iterable<StoredKey>;
  deletedIds: Iterable<string>;
}

export interface SnapshotOptions {
  /**
   * Milliseconds of serialising before the writer hands a chunk to the disk
   * and lets the event loop answer requests; 0 = one go (start-up, shutdown).
   */
  sliceMs: number;
}

/**
 * Writes the lowdb document `{"version":1,"users":{…},"keys":{…},"deletedIds":[…],"integrity":{…}}`
 * to `path` (created or truncated, mode 0600) and fsyncs it; returns its size.
 * One record per line, so the file stays readable, diffable and editable by
 * hand, and loads a line at a time. The caller renames it over the snapshot.
 *
 * Serialised a slice at a time: each record is checked against its schema
 * and stringified when its turn comes, and between slices the file write runs
 * on the thread pool while the event loop serves requests.
 */
export async function writeSnapshot(files: StoreFiles, path: string, source: SnapshotSource, options: SnapshotOptions): Promise<number> {
  const handle = await files.openTruncate(path);
  let bytes = 0;
  let unsynced = 0;
  let chunk = '';
  let sliceStart = performance.now();
  let count = 0;
  const hash = createHash('sha256');
  let allValid = true;
  // Every byte but the integrity line is hashed.
  let hashing = true;
  const flush = async () => {
    if (hashing) hash.update(chunk);
    await handle.write(chunk);
    const written = Buffer.byteLength(chunk);
    bytes += written;
    unsynced += written;
    chunk = '';
    // Never much unsynced data: on ext4 (data=ordered) the journal's fdatasync
    // waits for every dirty block in the same transaction, so a snapshot
    // flushed in one go at the end would stall the appends for as long.
    if (unsynced >= SYNC_EVERY) {
      await handle.datasync();
      unsynced = 0;
    }
    // The write's completion arrives as I/O; give timers and requests a turn too.
    if (options.sliceMs > 0) await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  // One record at a time, a slice at a time: no run of serialising longer than sliceMs.
  const add = (text: string): boolean => {
    chunk += text;
    // Checking the clock costs too: every 64 records.
    const sliceOver = options.sliceMs > 0 && ++count % 64 === 0 && performance.now() - sliceStart >= options.sliceMs;
    return sliceOver || chunk.length >= MAX_CHUNK;
  };
  /** One section: each item checked and on its line, commas between, then the line that closes it. */
  const section = async <T>(items: Iterable<T>, kind: 'user' | 'key' | 'deletedId', line: (item: T) => string, close: string) => {
    let first = true;
    for (const item of items) {
      if (allValid && !isValidRecord(kind, item)) allValid = false;
      if (add(`${first ? '' : ',\n'}${line(item)}`)) await flush();
      first = false;
    }
    if (add(`${first ? '' : '\n'}${close}`)) await flush();
  };
  try {
    chunk = SNAPSHOT_HEAD;
    await section(source.users, 'user', (user) => `${JSON.stringify(user.userId)}:${JSON.stringify(user)}`, SNAPSHOT_MIDDLE);
    await section(source.keys, 'key', (key) => `${JSON.stringify(key.apiKeyId)}:${JSON.stringify(key)}`, SNAPSHOT_DELETED_IDS);
    await section(source.deletedIds, 'deletedId', (id) => JSON.stringify(id), '');
    if (allValid) {
      chunk += SNAPSHOT_BEFORE_INTEGRITY;
      await flush();
      hashing = false;
      const integrity: SnapshotIntegrity = { sha256: hash.digest('hex'), schema: schemaFingerprint() };
      chunk = `${JSON.stringify(INTEGRITY_PROPERTY)}:${JSON.stringify(integrity)}}\n`;
    } else {
      // A record that does not pass (a bug): no integrity line, so the next start checks every record and names it.
      chunk += SNAPSHOT_TAIL_WITHOUT_INTEGRITY;
    }
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  return bytes;
}
