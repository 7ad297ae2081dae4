import type { StoreFileHandle, StoreFiles } from './store-files.ts';

/**
 * The active journal file: appends, each made durable (write + fdatasync)
 * before it counts. Opened on the first append, so a store that is only read
 * creates no journal. A new journal file's name is made durable too (fsync of
 * the directory) before its first append is acknowledged: a line that
 * survives a power loss in a file whose name did not is lost all the same.
 *
 * After a failed append the file may hold part of it; the bytes past the last
 * good append are cut off before the next append, so a later line never
 * follows the remains of one that was answered 5xx (if the process dies before
 * that, the remains are a torn last line, or whole lines of changes answered
 * 5xx: docs/storage.md "Guarantees").
 */
export class JournalFile {
  #handle: StoreFileHandle | null = null;
  #opening: Promise<StoreFileHandle> | null = null;
  #nameDurable: boolean;
  #good: number;
  #dirty = false;

  constructor(
    private readonly files: StoreFiles,
    readonly path: string,
    private readonly directory: string,
    options: { bytes: number; exists: boolean; torn: boolean },
  ) {
    this.#good = options.bytes;
    this.#nameDurable = options.exists;
    // A torn last line from a crash is cut off before the first append, not at start-up: a store only read is left as it was.
    this.#dirty = options.torn;
  }

  /** Bytes acknowledged so far. */
  get bytes(): number {
    return this.#good;
  }

  async append(text: string): Promise<void> {
    const handle = await this.#open();
    if (this.#dirty) {
      await handle.truncate(this.#good);
      this.#dirty = false;
    }
    try {
      await handle.write(text);
      await handle.datasync();
      if (!this.#nameDurable) {
        await this.files.syncDirectory(this.directory);
        this.#nameDurable = true;
      }
    } catch (error) {
      this.#dirty = true;
      throw error;
    }
    this.#good += Buffer.byteLength(text);
  }

  async close(): Promise<void> {
    const handle = this.#handle ?? (await this.#opening?.catch(() => null));
    this.#handle = null;
    this.#opening = null;
    if (handle) await handle.close();
  }

  #open(): Promise<StoreFileHandle> {
    if (this.#handle) return Promise.resolve(this.#handle);
    this.#opening ??= this.files.openAppend(this.path).then(
      (handle) => (this.#handle = handle),
      (error: unknown) => {
        this.#opening = null;
        throw error;
      },
    );
    return this.#opening;
  }
}
