import type { StoreDocument, StoredKey } from './store-document.ts';

/**
 * Gives each key of a loaded document that has no creation number (`seq`:
 * a store written before it existed) the next one after the highest in the
 * document, in the order the document lists them, which is the order those
 * keys were listed in when they were written. The same file always gets the
 * same numbers, so the same order. Returns the highest number now in use.
 */
export function numberKeys(document: StoreDocument): number {
  let last = 0;
  const unnumbered: StoredKey[] = [];
  for (const key of Object.values(document.keys)) {
    if (key.seq === undefined) unnumbered.push(key);
    else if (key.seq > last) last = key.seq;
  }
  for (const key of unnumbered) key.seq = ++last;
  return last;
}

/**
 * The number for a key a journal line sets without one (a line written
 * before `seq` existed): the one the key already has, else the next.
 */
export function numberOf(key: StoredKey, existing: StoredKey | undefined, last: number): number {
  return key.seq ?? existing?.seq ?? last + 1;
}
