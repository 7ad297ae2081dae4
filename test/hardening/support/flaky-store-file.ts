import type { JournalEntry } from '../../../mock/store/journal-entry.ts';
import { nodeStoreFiles, type StoreFileHandle, type StoreFiles } from '../../../mock/store/store-files.ts';

/**
 * A journal line to fail on, named by what it says ("the update of key X"),
 * never by when it is written: which append carries a line depends on how the
 * store's group commit batched it (timing); that the append carrying it fails
 * does not.
 */
export interface LineFault {
  name: string;
  matches(entry: JournalEntry): boolean;
}

/** The line of a create; `which` narrows it (e.g. by a label), default any create. */
export function insertLine(name: string, which: (key: Extract<JournalEntry, { op: 'insert' }>['key']) => boolean = () => true): LineFault {
  return { name, matches: (entry) => entry.op === 'insert' && which(entry.key) };
}

/** The line of the update of key `apiKeyId`. */
export function replaceLine(apiKeyId: string, name = `the update of ${apiKeyId}`): LineFault {
  return { name, matches: (entry) => entry.op === 'replace' && entry.key.apiKeyId === apiKeyId };
}

/** The line of the delete of key `apiKeyId`. */
export function deleteLine(apiKeyId: string, name = `the delete of ${apiKeyId}`): LineFault {
  return { name, matches: (entry) => entry.op === 'delete' && entry.apiKeyId === apiKeyId };
}

/**
 * The store's real file layer, except that the journal append carrying an
 * armed line fails as a full disk would: half the bytes land, then ENOSPC
 * (or, with `failing: 'datasync'`, the write lands and the fdatasync fails).
 * Each armed fault fires once. Snapshot writes, renames and every other
 * append go to the real files. Pass it as the mock's `adapter` with
 * `dbPath: flaky.path`.
 */
export class FlakyStoreFile implements StoreFiles {
  #armed: LineFault[] = [];
  /** The names of the faults that fired, in order. */
  readonly fired: string[] = [];
  /** Journal appends failed so far. */
  failures = 0;
  /** Snapshot writes to fail from now on (compaction), counted down. */
  failSnapshotWrites = 0;

  constructor(
    readonly path: string,
    private readonly failing: 'write' | 'datasync' = 'write',
  ) {}

  /** Arms faults: the next append holding a line one matches fails (and uses that fault up). */
  failOn(...faults: LineFault[]): void {
    this.#armed.push(...faults);
  }

  /** Disarms what has not fired; returns its names. */
  disarm(): string[] {
    return this.#armed.splice(0).map((fault) => fault.name);
  }

  /** The armed faults this append's lines match (removed from the armed list). */
  #firing(data: string): LineFault[] {
    if (this.#armed.length === 0) return [];
    const entries = data
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as JournalEntry);
    const firing = this.#armed.filter((fault) => entries.some((entry) => fault.matches(entry)));
    this.#armed = this.#armed.filter((fault) => !firing.includes(fault));
    return firing;
  }

  async openAppend(path: string): Promise<StoreFileHandle> {
    const real = await nodeStoreFiles.openAppend(path);
    return {
      ...bound(real),
      write: async (data) => {
        const firing = this.#firing(data);
        if (firing.length === 0) return real.write(data);
        this.failures += 1;
        this.fired.push(...firing.map((fault) => fault.name));
        if (this.failing === 'datasync') {
          await real.write(data);
          return this.#arm(real);
        }
        await real.write(data.slice(0, Math.floor(data.length / 2)));
        throw enospc(path);
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
