import type { StoredKey, StoredUser } from './store-document.ts';
import type { StoreFiles } from './store-files.ts';

/**
 * The layout the writer uses (load-snapshot.ts reads it a line at a time):
 * one user or key per line between these fixed lines. Any other valid JSON
 * document (a hand-edited file) is read too, as a whole.
 */
export const SNAPSHOT_HEAD = '{"version":1,\n"users":{\n';
export const SNAPSHOT_MIDDLE = '},\n"keys":{\n';
export const SNAPSHOT_TAIL = '}}\n';

/** Characters held before a write even in one go (bounds the memory a big store needs to be written). */
const MAX_CHUNK = 4 * 2 ** 20;
/** Bytes written between two fdatasyncs of the snapshot being written. */
const SYNC_EVERY = 2 * 2 ** 20;

export interface SnapshotSource {
  users: Iterable<StoredUser>;
  keys: Iterable<StoredKey>;
}

export interface SnapshotOptions {
  /**
   * Milliseconds of serialising before the writer hands a chunk to the disk
   * and lets the event loop answer requests; 0 = one go (start-up, shutdown).
   */
  sliceMs: number;
}

/**
 * Writes the lowdb document `{"version":1,"users":{…},"keys":{…}}` to `path`
 * (created or truncated, mode 0600) and fsyncs it; returns its size. One
 * user or key per line, so the file stays readable, diffable and editable by
 * hand, and loads a line at a time. The caller renames it over the snapshot.
 *
 * Serialised a slice at a time: each record is stringified when its turn
 * comes (records are replaced, never edited, so what is written is a record
 * as it was at some moment), and between slices the file write runs on the
 * thread pool while the event loop serves requests. A key seen twice (deleted
 * and inserted again while the iteration ran) is written once.
 */
export async function writeSnapshot(files: StoreFiles, path: string, source: SnapshotSource, options: SnapshotOptions): Promise<number> {
  const handle = await files.openTruncate(path);
  let bytes = 0;
  let unsynced = 0;
  let chunk = '';
  let sliceStart = performance.now();
  let count = 0;
  const flush = async () => {
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
  try {
    chunk = SNAPSHOT_HEAD;
    let first = true;
    for (const user of source.users) {
      if (add(`${first ? '' : ',\n'}${JSON.stringify(user.userId)}:${JSON.stringify(user)}`)) await flush();
      first = false;
    }
    if (add(`${first ? '' : '\n'}${SNAPSHOT_MIDDLE}`)) await flush();
    const written = new Set<string>();
    first = true;
    for (const key of source.keys) {
      if (written.has(key.apiKeyId)) continue;
      written.add(key.apiKeyId);
      if (add(`${first ? '' : ',\n'}${JSON.stringify(key.apiKeyId)}:${JSON.stringify(key)}`)) await flush();
      first = false;
    }
    chunk += `${first ? '' : '\n'}${SNAPSHOT_TAIL}`;
    await flush();
    await handle.sync();
  } finally {
    await handle.close();
  }
  return bytes;
}
