/** A journal append failed; every change waiting on it was undone. */
export class StorageWriteError extends Error {
  override name = 'StorageWriteError';
  constructor(cause: unknown) {
    super(`store write failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/**
 * Group commit (docs/storage.md "Guarantees"): every change is applied in memory at
 * once and queued as a journal line; its caller's promise resolves only when
 * the append that carries the line has reached the disk (written and
 * flushed: fdatasync semantics). While one append is in flight, the lines that arrive join the
 * next one, so concurrent writes share one write and one sync.
 *
 * On a failed append every change not yet on disk is undone, newest first, and
 * every waiting caller is rejected: nothing the client was told failed stays in
 * memory (no "ghost" writes), and nothing it was told succeeded is undone.
 * (The later changes are undone too: they were made on top of the failed ones.)
 */
export class WriteQueue {
  #next: Batch = newBatch();
  #inFlight: Promise<void> | null = null;
  #paused = false;
  #resumed: Deferred | null = null;
  #scheduled = false;
  /** Appends that failed so far (a compaction must not keep what they undid). */
  failures = 0;

  constructor(private readonly append: (text: string) => Promise<void>) {}

  /** Queues a change already applied in memory; resolves once its line is on disk. */
  commit(line: string, undo?: () => void): Promise<void> {
    const batch = this.#next;
    batch.lines.push(line);
    if (undo) batch.undos.push(undo);
    this.#schedule();
    return batch.done.promise;
  }

  /** Resolves when everything queued so far is on disk (or failed), waiting out a pause. */
  async drain(): Promise<void> {
    while (this.#inFlight || this.#next.lines.length > 0) {
      if (this.#inFlight) await this.#inFlight.catch(() => undefined);
      else if (this.#paused) await this.#resumed!.promise;
      else this.#start();
    }
  }

  /**
   * Sends what is queued, waits until it is on disk (or failed), and holds
   * every later line back until `resume()`: a compaction's critical steps
   * (setting the journal aside, checking `failures`, renaming the snapshot)
   * must see every change made before them settled and must not race an
   * append. Lines queue meanwhile and go out as one batch on resume.
   */
  async pause(): Promise<void> {
    this.#paused = true;
    this.#resumed ??= deferred();
    while (this.#inFlight) await this.#inFlight.catch(() => undefined);
    if (this.#next.lines.length > 0) {
      this.#start();
      await this.#inFlight!.catch(() => undefined);
    }
  }

  resume(): void {
    this.#paused = false;
    this.#resumed?.resolve();
    this.#resumed = null;
    if (!this.#inFlight && this.#next.lines.length > 0) this.#start();
  }

  // The first line of a batch waits for the end of this turn of the event loop,
  // so the requests that arrived together share its append.
  #schedule(): void {
    if (this.#scheduled || this.#inFlight || this.#paused) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (!this.#inFlight && !this.#paused && this.#next.lines.length > 0) this.#start();
    });
  }

  #start(): void {
    const batch = this.#next;
    this.#next = newBatch();
    this.#inFlight = (async () => {
      try {
        await this.append(batch.lines.join(''));
        batch.done.resolve();
      } catch (error) {
        this.failures += 1;
        // Later changes sit on top of the failed ones: undo them all, newest first.
        const waiting = this.#next;
        this.#next = newBatch();
        for (const undo of [...batch.undos, ...waiting.undos].reverse()) undo();
        const failure = new StorageWriteError(error);
        batch.done.reject(failure);
        waiting.done.reject(failure);
      } finally {
        this.#inFlight = null;
        if (this.#next.lines.length > 0 && !this.#paused) this.#start();
      }
    })();
  }
}

interface Batch {
  lines: string[];
  undos: (() => void)[];
  done: Deferred;
}

function newBatch(): Batch {
  return { lines: [], undos: [], done: deferred() };
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
