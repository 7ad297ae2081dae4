import type { Adapter } from 'lowdb';
import { TextFile } from 'lowdb/node';
import { assertStoreDocument } from './document-schema.ts';
import type { StoreDocument } from './store-document.ts';

/** Raised when the db file exists but cannot be trusted; the message names the file. */
export class CorruptStoreError extends Error {
  override name = 'CorruptStoreError';
}

/**
 * lowdb's TextFile (steno: temp file + rename, so a crash never leaves half a
 * file) with a strict reader. lowdb's own JSON adapters treat `null` as "no
 * data" and fall back to the defaults; here an empty, truncated, `null` or
 * malformed file stops the start instead, and only a missing file is new.
 * Writes are compact JSON: the whole file is rewritten on every change.
 */
export class StoreFile implements Adapter<StoreDocument> {
  readonly #file: TextFile;
  constructor(readonly path: string) {
    this.#file = new TextFile(path);
  }

  async read(): Promise<StoreDocument | null> {
    const text = await this.#file.read();
    if (text === null) return null;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      const what = text.trim() === '' ? 'is empty' : `is not valid JSON (${(error as Error).message})`;
      throw new CorruptStoreError(`${this.path} ${what}; refusing to start so no data is lost. Fix or move the file.`);
    }
    try {
      assertStoreDocument(data);
    } catch (error) {
      throw new CorruptStoreError(
        `${this.path} is not an API keys store: ${(error as Error).message}. Refusing to start so no data is lost.`,
      );
    }
    return data;
  }

  write(data: StoreDocument): Promise<void> {
    return this.#file.write(JSON.stringify(data));
  }
}

/** Keeps the document in memory only (`--in-memory`, tests). */
export class MemoryDocument implements Adapter<StoreDocument> {
  #data: StoreDocument | null = null;
  async read(): Promise<StoreDocument | null> {
    return this.#data;
  }
  async write(data: StoreDocument): Promise<void> {
    this.#data = data;
  }
}
