import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { assertDeletedIds, assertStoreDocument, assertStoredKey, assertStoredUser } from './document-schema.ts';
import { completeDocument } from './complete-document.ts';
import type { StoreDocument } from './store-document.ts';
import {
  SNAPSHOT_DELETED_IDS,
  SNAPSHOT_HEAD,
  SNAPSHOT_MIDDLE,
  SNAPSHOT_TAIL,
  SNAPSHOT_TAIL_WITHOUT_DELETED_IDS,
} from './write-snapshot.ts';

/**
 * The snapshot's document, checked and completed (complete-document.ts). A file
 * in the writer's layout (one record per line) is parsed a line at a time, so
 * a 50 MB store never sits in memory as one 50 MB string beside its parsed
 * records; anything else (a hand-edited file, an older store written in one
 * line) is parsed as a whole. Throws a message saying what is wrong; the
 * caller names the file.
 */
export function parseSnapshot(path: string): StoreDocument {
  return completeDocument(parseByLine(path) ?? parseWhole(readFileSync(path, 'utf8')));
}

function parseWhole(text: string): StoreDocument {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(text.trim() === '' ? 'is empty' : `is not valid JSON (${(error as Error).message})`);
  }
  try {
    assertStoreDocument(data);
  } catch (error) {
    throw new Error(`is not an API keys store: ${(error as Error).message}`);
  }
  return data;
}

const HEAD = Buffer.from(SNAPSHOT_HEAD);
/** A fixed layout text as its lines, e.g. `},` then `"keys":{`. */
const linesOfText = (text: string) => text.trimEnd().split('\n');
const [USERS_CLOSE, KEYS_OPEN] = linesOfText(SNAPSHOT_MIDDLE) as [string, string];
const [KEYS_CLOSE, DELETED_IDS_OPEN] = linesOfText(SNAPSHOT_DELETED_IDS) as [string, string];
const [END] = linesOfText(SNAPSHOT_TAIL) as [string];
const [END_WITHOUT_DELETED_IDS] = linesOfText(SNAPSHOT_TAIL_WITHOUT_DELETED_IDS) as [string];

/**
 * The document when the file is exactly in the writer's layout; null
 * otherwise (then the whole-file parse decides). Records are checked as they
 * are read; one that is not a valid record throws.
 */
export function parseByLine(path: string): StoreDocument | null {
  const lines = linesOf(path, HEAD);
  if (!lines) return null;
  const document: StoreDocument = { version: 1, users: {}, keys: {}, deletedIds: [] };
  // Where the reader is: in a section of records, or expecting the named fixed line.
  let at = 'users' as 'users' | 'keys' | 'deletedIds' | 'keys-open' | 'deleted-ids-open' | 'ended';
  let previousEndedWithComma = false;
  let inSection = 0;
  const closes = (line: string, close: string) => line === close && !previousEndedWithComma;
  for (const line of lines) {
    if (at === 'ended') return null;
    if (at === 'keys-open' || at === 'deleted-ids-open') {
      if (line !== (at === 'keys-open' ? KEYS_OPEN : DELETED_IDS_OPEN)) return null;
      at = at === 'keys-open' ? 'keys' : 'deletedIds';
      inSection = 0;
      continue;
    }
    if (at === 'users' && closes(line, USERS_CLOSE)) {
      at = 'keys-open';
      continue;
    }
    if (at === 'keys' && closes(line, KEYS_CLOSE)) {
      at = 'deleted-ids-open';
      continue;
    }
    if ((at === 'keys' && closes(line, END_WITHOUT_DELETED_IDS)) || (at === 'deletedIds' && closes(line, END))) {
      at = 'ended';
      continue;
    }
    if (inSection > 0 && !previousEndedWithComma) return null;
    const comma = line.endsWith(',');
    const record = comma ? line.slice(0, -1) : line;
    if (at === 'deletedIds') {
      let id: unknown;
      try {
        id = JSON.parse(record);
      } catch {
        return null;
      }
      try {
        assertDeletedIds([id], 'document property deletedIds');
      } catch (error) {
        throw new Error(`is not an API keys store: ${(error as Error).message}`);
      }
      document.deletedIds.push(id as string);
    } else {
      // `"id":{…}` with a comma unless it is the section's last.
      const colon = record.indexOf('":{');
      if (!record.startsWith('"') || colon === -1) return null;
      let id: unknown;
      let value: unknown;
      try {
        id = JSON.parse(record.slice(0, colon + 1));
        value = JSON.parse(record.slice(colon + 2));
      } catch {
        return null;
      }
      // (`__proto__` as a plain assignment would set the prototype: the whole-file parse keeps it as data.)
      if (typeof id !== 'string' || id === '__proto__') return null;
      try {
        if (at === 'users') {
          assertStoredUser(value, `document property users.${id}`);
          document.users[id] = value;
        } else {
          assertStoredKey(value, `document property keys.${id}`);
          document.keys[id] = value;
        }
      } catch (error) {
        throw new Error(`is not an API keys store: ${(error as Error).message}`);
      }
    }
    previousEndedWithComma = comma;
    inSection += 1;
  }
  return at === 'ended' ? document : null;
}

/**
 * The file's lines after `head` (null when it does not start with it), read
 * 1 MiB at a time: the file is never held whole, as bytes or as text. The
 * last line is yielded even without its newline (the caller checks the end).
 */
function linesOf(path: string, head: Buffer): Iterable<string> | null {
  const fd = openSync(path, 'r');
  const first = Buffer.alloc(head.length);
  if (readSync(fd, first, 0, head.length, null) !== head.length || !first.equals(head)) {
    closeSync(fd);
    return null;
  }
  return (function* () {
    try {
      const chunk = Buffer.alloc(2 ** 20);
      let carry = Buffer.alloc(0);
      for (;;) {
        const read = readSync(fd, chunk, 0, chunk.length, null);
        if (read === 0) break;
        const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
        let start = 0;
        for (let end = bytes.indexOf(0x0a, start); end !== -1; end = bytes.indexOf(0x0a, start)) {
          yield bytes.toString('utf8', start, end);
          start = end + 1;
        }
        // What follows the last newline waits for the next chunk (copied: `chunk` is reused).
        carry = Buffer.from(bytes.subarray(start));
      }
      if (carry.length > 0) yield carry.toString('utf8');
    } finally {
      closeSync(fd);
    }
  })();
}
