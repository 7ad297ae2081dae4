import type { StoredKey, StoredUser } from './store-document.ts';
import type { StoreFiles } from './store-files.ts';

/** Characters held before a write even in one go (bounds the memory a big store needs to be written). */
const MAX_CHUNK = 4 * 2 ** 20;

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
 * hand. The caller renames it over the snapshot.
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
  try {
    const users: string[] = [];
    for (const user of source.users) users.push(`${JSON.stringify(user.userId)}:${JSON.stringify(user)}`);
    let chunk = `{"version":1,"users":{${users.length ? '\n' : ''}${users.join(',\n')}},"keys":{`;
    const written = new Set<string>();
    let first = true;
    let sliceStart = performance.now();
    let count = 0;
    for (const key of source.keys) {
      if (written.has(key.apiKeyId)) continue;
      written.add(key.apiKeyId);
      chunk += `${first ? '\n' : ',\n'}${JSON.stringify(key.apiKeyId)}:${JSON.stringify(key)}`;
      first = false;
      // Checking the clock costs too: every 64 records.
      const sliceOver = options.sliceMs > 0 && ++count % 64 === 0 && performance.now() - sliceStart >= options.sliceMs;
      if (sliceOver || chunk.length >= MAX_CHUNK) {
        await handle.write(chunk);
        bytes += Buffer.byteLength(chunk);
        chunk = '';
        // The write's completion arrives as I/O; give timers and requests a turn too.
        if (options.sliceMs > 0) await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    chunk += '}}\n';
    await handle.write(chunk);
    bytes += Buffer.byteLength(chunk);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return bytes;
}
