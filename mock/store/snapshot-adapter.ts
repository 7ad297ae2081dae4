import type { Adapter } from 'lowdb';
import { readSnapshot } from './load-store.ts';
import type { StoreDocument, StoredKey } from './store-document.ts';
import type { StoreFiles } from './store-files.ts';
import type { StorePaths } from './store-paths.ts';
import { writeSnapshot, type SnapshotOptions, type SnapshotSource } from './write-snapshot.ts';

/**
 * lowdb's adapter for the snapshot, with what lowdb's own JSONFile lacks: the
 * new snapshot is written to a temp file (mode 0600) and fsynced, renamed over
 * the old one, and the directory is fsynced, so a crash or power loss at any
 * moment leaves the old snapshot or the new one, whole. A file that exists but
 * cannot be trusted (empty, truncated, `null`, another application's) makes
 * `read()` throw CorruptStoreError instead of becoming the defaults.
 *
 * Beside lowdb's whole-document `write()`, a compaction writes the temp file a
 * slice at a time and renames it only once it has checked that no change it
 * may hold was undone meanwhile (create-store.ts): `writeTemp` then `replace`.
 *
 * @example
 * const db = new Low(new SnapshotAdapter(nodeStoreFiles, storePaths('.data/apikeys.json')), emptyDocument);
 * await db.read();
 */
export class SnapshotAdapter implements Adapter<StoreDocument> {
  /** The snapshot's size on disk (0 while there is none). */
  bytes = 0;
  /** Whether the last read() found a snapshot (else the store is new). */
  found = false;

  constructor(
    private readonly files: StoreFiles,
    readonly paths: StorePaths,
  ) {}

  async read(): Promise<StoreDocument | null> {
    const snapshot = readSnapshot(this.paths.snapshot);
    this.found = snapshot !== null;
    this.bytes = snapshot?.bytes ?? 0;
    return snapshot?.document ?? null;
  }

  /** The whole document at once (a new store's first snapshot). */
  async write(document: StoreDocument): Promise<void> {
    await this.replace(await this.writeTemp(snapshotOf(document), { sliceMs: 0 }));
  }

  /** Writes and fsyncs the temp file; returns its size. Removes it again if that fails. */
  async writeTemp(source: SnapshotSource, options: SnapshotOptions): Promise<number> {
    try {
      return await writeSnapshot(this.files, this.paths.temp, source, options);
    } catch (error) {
      await this.discardTemp();
      throw error;
    }
  }

  /** Makes the temp file of `bytes` the snapshot: rename, then fsync of the directory. */
  async replace(bytes: number): Promise<void> {
    await this.files.rename(this.paths.temp, this.paths.snapshot);
    await this.files.syncDirectory(this.paths.directory);
    this.bytes = bytes;
  }

  /** Removes a temp file left by a failed write or a crash. */
  discardTemp(): Promise<void> {
    return this.files.remove(this.paths.temp).catch(() => undefined);
  }
}

/**
 * What the snapshot of `document` holds, taken now (the arrays do not follow
 * later changes); `keys` when the caller has them at hand faster than
 * `Object.values` of 100,000 keys gives them.
 */
export function snapshotOf(document: StoreDocument, keys: Iterable<StoredKey> = Object.values(document.keys)): SnapshotSource {
  return { users: Object.values(document.users), keys: [...keys], deletedIds: [...document.deletedIds] };
}
