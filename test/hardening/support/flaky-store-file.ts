import { nodeStoreFiles, type StoreFileHandle, type StoreFiles } from '../../../mock/store/store-files.ts';

/**
 * The store's real file layer, except that chosen journal appends fail as a
 * full disk would: half the bytes land, then ENOSPC (or, with `failing:
 * 'datasync'`, the write lands and the fdatasync fails). Snapshot writes,
 * renames and all other appends go to the real files. Pass it as the mock's
 * `adapter` with `dbPath: flaky.path`.
 */
export class FlakyStoreFile implements StoreFiles {
  #failing = new Set<number>();
  /** Journal appends attempted and failed so far. */
  attempts = 0;
  failures = 0;
  /** Snapshot writes to fail from now on (compaction), counted down. */
  failSnapshotWrites = 0;

  constructor(
    readonly path: string,
    private readonly failing: 'write' | 'datasync' = 'write',
  ) {}

  /** Makes the next `count` appends fail. */
  failNextWrites(count: number): void {
    this.failWrites(Array.from({ length: count }, (_, i) => i + 1));
  }

  /** Makes the appends with these ordinals fail, counting from the next one as 1 (so `[2]`: one succeeds, then one fails). */
  failWrites(ordinals: number[]): void {
    this.#failing = new Set(ordinals.map((n) => this.attempts + n));
  }

  async openAppend(path: string): Promise<StoreFileHandle> {
    const real = await nodeStoreFiles.openAppend(path);
    return {
      ...bound(real),
      write: async (data) => {
        this.attempts += 1;
        if (this.#failing.delete(this.attempts)) {
          this.failures += 1;
          if (this.failing === 'datasync') {
            await real.write(data);
            return this.#arm(real);
          }
          await real.write(data.slice(0, Math.floor(data.length / 2)));
          throw enospc(path);
        }
        await real.write(data);
      },
    };
  }

  async openTruncate(path: string): Promise<StoreFileHandle> {
    const real = await nodeStoreFiles.openTruncate(path);
    return {
      ...bound(real),
      write: async (data) => {
        if (this.failSnapshotWrites > 0) {
          this.failSnapshotWrites -= 1;
          throw enospc(path);
        }
        await real.write(data);
      },
    };
  }

  rename = nodeStoreFiles.rename;
  remove = nodeStoreFiles.remove;
  syncDirectory = nodeStoreFiles.syncDirectory;

  // The next datasync of this handle fails (EIO after a write that reached the page cache).
  #arm(real: StoreFileHandle): void {
    const datasync = real.datasync.bind(real);
    real.datasync = async () => {
      real.datasync = datasync;
      throw Object.assign(new Error(`EIO: i/o error, fdatasync '${this.path}' (injected)`), { code: 'EIO' });
    };
  }
}

function bound(real: StoreFileHandle): StoreFileHandle {
  return {
    write: (data) => real.write(data),
    datasync: () => real.datasync(),
    sync: () => real.sync(),
    truncate: (length) => real.truncate(length),
    close: () => real.close(),
  };
}

function enospc(path: string): Error {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${path}' (injected)`), { code: 'ENOSPC' });
}
