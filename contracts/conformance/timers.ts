/**
 * Time as the suite sees it: when it waits for a background effect
 * (contracts/CONTRACT.md "Background effects") or for expiry. Injected so the
 * suite's own tests run on a virtual clock instead of waiting in real time.
 */
export interface Timers {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realTimers: Timers = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
