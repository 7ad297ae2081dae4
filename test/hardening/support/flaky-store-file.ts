import type { Adapter } from 'lowdb';
import { StoreFile } from '../../../mock/store/document-adapters.ts';
import type { StoreDocument } from '../../../mock/store/store-document.ts';

/**
 * The mock's own file adapter, except that chosen writes fail as a full disk
 * would: the storage fault README's "A failed write changes nothing" guarantee is about. Reads
 * and all other writes go to the real file.
 */
export class FlakyStoreFile implements Adapter<StoreDocument> {
  readonly #file: StoreFile;
  #failing = new Set<number>();
  /** Writes attempted and writes failed so far. */
  attempts = 0;
  failures = 0;

  constructor(readonly path: string) {
    this.#file = new StoreFile(path);
  }

  /** Makes the next `count` writes fail. */
  failNextWrites(count: number): void {
    this.failWrites(Array.from({ length: count }, (_, i) => i + 1));
  }

  /** Makes the writes with these ordinals fail, counting from the next one as 1 (so `[2]`: one succeeds, then one fails). */
  failWrites(ordinals: number[]): void {
    this.#failing = new Set(ordinals.map((n) => this.attempts + n));
  }

  read(): Promise<StoreDocument | null> {
    return this.#file.read();
  }

  async write(data: StoreDocument): Promise<void> {
    this.attempts += 1;
    const attempt = this.attempts;
    // The document as it is now, like the real adapter (which serialises at once);
    // then yield, as a real write does, so that changes arriving meanwhile queue up behind it.
    const snapshot = structuredClone(data);
    await new Promise((resolve) => setImmediate(resolve));
    if (this.#failing.delete(attempt)) {
      this.failures += 1;
      throw Object.assign(new Error(`ENOSPC: no space left on device, write '${this.path}' (injected)`), { code: 'ENOSPC' });
    }
    await this.#file.write(snapshot);
  }
}
