import type { StoredKey } from './store-document.ts';

/**
 * The order of every list, oldest first (contracts/CONTRACT.md "List"): createdAt,
 * then the creation number `seq`, then the id. Only stored fields decide it,
 * so a rollback or a restart cannot change it (keys made in the same
 * millisecond would otherwise follow the order they happen to sit in memory).
 */
export function oldestFirst(a: StoredKey, b: StoredKey): number {
  return a.createdAt - b.createdAt || a.seq - b.seq || (a.apiKeyId < b.apiKeyId ? -1 : a.apiKeyId > b.apiKeyId ? 1 : 0);
}
