/** The mock's notion of "now": injected everywhere so tests advance time instead of sleeping. */
export interface Clock {
  now(): number;
}

/**
 * A clock that runs with real time plus an adjustable offset. The control plane
 * sets or advances it to test expiry without waiting; time keeps moving, so
 * `updatedAt` still moves forward between requests.
 */
export class MockClock implements Clock {
  #offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.#offsetMs;
  }
  get offsetMs(): number {
    return this.#offsetMs;
  }
  set(now: number): void {
    this.#offsetMs = now - this.base();
  }
  advance(ms: number): void {
    this.#offsetMs += ms;
  }
  reset(): void {
    this.#offsetMs = 0;
  }
}
