/** A write of the store document failed; every change waiting on it was undone. */
export class StorageWriteError extends Error {
  override name = 'StorageWriteError';
  constructor(cause: unknown) {
    super(`store write failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * Coalesces writes of one document with durability kept (DESIGN.md "Store"):
 * every change is applied in memory at once and its caller's promise resolves
 * only when a write that *started after* the change has reached the disk. While
 * one write is in flight, all changes that arrive join the next write, so the
 * document is serialised once per write, not once per change.
 *
 * On a failed write every change not yet on disk is undone, newest first, and
 * every waiting caller is rejected: nothing the client was told failed stays in
 * memory (no "ghost" writes), and nothing it was told succeeded is undone.
 */
export class WriteQueue {
  #undos: (() => void)[] = [];
  #inFlight: Promise<void> | null = null;
  #next: Deferred | null = null;

  constructor(private readonly writeDocument: () => Promise<void>) {}

  /** Records a change already applied in memory and waits for it to be on disk. */
  commit(undo: () => void): Promise<void> {
    this.#undos.push(undo);
    return this.request();
  }

  /** Asks for a write without an undoable change (e.g. lastUsedAt bookkeeping). */
  request(): Promise<void> {
    if (!this.#next) this.#next = deferred();
    const promise = this.#next.promise;
    if (!this.#inFlight) this.#start();
    return promise;
  }

  /** Resolves when everything requested so far is on disk (or failed). */
  async drain(): Promise<void> {
    while (this.#inFlight) await this.#inFlight.catch(() => undefined);
  }

  #start(): void {
    const batch = this.#next;
    if (!batch) return;
    this.#next = null;
    // Changes made up to now are in this write's snapshot.
    const covered = this.#undos.length;
    this.#inFlight = (async () => {
      try {
        await this.writeDocument();
        this.#undos.splice(0, covered);
        batch.resolve();
      } catch (error) {
        // Later changes sit on top of the failed ones: undo them all, newest first.
        for (const undo of this.#undos.reverse()) undo();
        this.#undos = [];
        const waiting = this.#next;
        this.#next = null;
        const failure = new StorageWriteError(error);
        batch.reject(failure);
        waiting?.reject(failure);
      } finally {
        this.#inFlight = null;
        if (this.#next) this.#start();
      }
    })();
  }
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: unknown): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A caller may not await (fire-and-forget bookkeeping); never crash on that.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}
