import type { StoreDocument, StoredKey } from './store-document.ts';

/**
 * Gives each key of a loaded document that has no creation number (`seq`:
 * a store written before it existed) the next one after the highest in the
 * document, in the order the document lists them, which is the order those
 * keys were listed in when they were written. The same file always gets the
 * same numbers, so the same order.
 */
export function numberKeys(document: StoreDocument): void {
  let last = 0;
  const unnumbered: StoredKey[] = [];
  for (const key of Object.values(document.keys)) {
    if (key.seq === undefined) unnumbered.push(key);
    else if (key.seq > last) last = key.seq;
  }
  for (const key of unnumbered) key.seq = ++last;
}

/** The highest creation number of a (numbered) document's keys; 0 when it has none. */
export function highestSeq(document: StoreDocument): number {
  let last = 0;
  for (const key of Object.values(document.keys)) if (key.seq > last) last = key.seq;
  return last;
}
