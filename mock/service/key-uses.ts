import type { NewKey } from '../store/store-document.ts';
import type { Clock } from './clock.ts';
import type { MockChoices } from './mock-choices.ts';

/**
 * How long a use stays out of sight with `lastUsedAt: 'background'`, in ms of
 * the mock's clock: the store journals lastUsedAt in batches of at most one
 * second, and a server that records uses in the background shows them about
 * that much later.
 */
export const BACKGROUND_USE_DELAY_MS = 1000;

/** The two fields a use can move, as a response shows them. */
export interface UseFields {
  lastUsedAt: number | null;
  updatedAt: number;
}

/**
 * What the metadata of a key shows of its uses, per two legal choices
 * (contracts/CONTRACT.md "Schemas"):
 *
 * - `lastUsedAt: 'background'`: a use shows only once the mock's clock has
 *   passed it by BACKGROUND_USE_DELAY_MS. The store records every use at once
 *   (nothing is lost, the journal is unchanged); only what responses show lags.
 *   Time is the injected clock's, so a test advances the clock
 *   (`mock.clock.advance(1000)`, or `POST /_mock/clock`) instead of sleeping,
 *   and a client polling in real time sees the use about a second later.
 * - `updatedAtOnUse: 'moves'`: a successful authentication also moves
 *   updatedAt, as the 2025 server's `SET last_used_at = ?, updated_at = now()`
 *   does. Then updatedAt is the later of the last change and the last use
 *   shown, so it is derived at answer time from what the store already keeps
 *   and needs no write of its own.
 */
export function keyUses(clock: Clock, choices: Pick<MockChoices, 'lastUsedAt' | 'updatedAtOnUse'>) {
  /** Keys with uses not shown yet, in the order of their latest use (a Map keeps insertion order). */
  const pending = new Map<string, { shown: number | null; uses: number[]; head: number }>();

  /** The value shown for a key with pending uses: the latest use at least the delay old. */
  function settle(entry: { shown: number | null; uses: number[]; head: number }, now: number): boolean {
    while (entry.head < entry.uses.length && entry.uses[entry.head]! + BACKGROUND_USE_DELAY_MS <= now)
      entry.shown = entry.uses[entry.head++]!;
    if (entry.head > 64 && entry.head * 2 > entry.uses.length) {
      entry.uses = entry.uses.slice(entry.head);
      entry.head = 0;
    }
    return entry.head === entry.uses.length;
  }

  /** Drops keys whose every use is shown by now: the oldest latest use first. */
  function sweep(now: number): void {
    for (const [id, entry] of pending) {
      if (entry.uses.at(-1)! + BACKGROUND_USE_DELAY_MS > now) return;
      pending.delete(id);
    }
  }

  return {
    /** Notes a successful authentication at `at`, before the store records it on `key`. */
    used(key: NewKey, at: number): void {
      if (choices.lastUsedAt === 'immediate') return;
      sweep(at);
      let entry = pending.get(key.apiKeyId);
      if (entry) pending.delete(key.apiKeyId);
      else entry = { shown: key.lastUsedAt, uses: [], head: 0 };
      if (entry.uses.at(-1) !== at) entry.uses.push(at);
      // Uses shown by now need no memory: at most one entry per millisecond of the delay stays.
      settle(entry, at);
      pending.set(key.apiKeyId, entry);
    },

    /** lastUsedAt and updatedAt as a response shows them now. */
    shown(key: NewKey): UseFields {
      let lastUsedAt = key.lastUsedAt;
      const entry = choices.lastUsedAt === 'background' ? pending.get(key.apiKeyId) : undefined;
      if (entry) {
        if (settle(entry, clock.now())) pending.delete(key.apiKeyId);
        else lastUsedAt = entry.shown;
      }
      const updatedAt = choices.updatedAtOnUse === 'moves' && lastUsedAt !== null ? Math.max(key.updatedAt, lastUsedAt) : key.updatedAt;
      return { lastUsedAt, updatedAt };
    },

    /** A deleted key, or every key (reset to the seed). */
    forget(apiKeyId?: string): void {
      if (apiKeyId === undefined) pending.clear();
      else pending.delete(apiKeyId);
    },
  };
}
