import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { assertStoreDocument, assertStoredKey, assertStoredUser } from './document-schema.ts';
import type { StoreDocument } from './store-document.ts';
import { SNAPSHOT_HEAD, SNAPSHOT_MIDDLE, SNAPSHOT_TAIL } from './write-snapshot.ts';

/**
 * The snapshot's document, checked. A file in the writer's layout (one record
 * per line) is parsed a line at a time, so a 50 MB store never sits in memory
 * as one 50 MB string beside its parsed records; anything else (a hand-edited
 * file, an older store written in one line) is parsed as a whole. Throws a
 * message saying what is wrong; the caller names the file.
 */
export function parseSnapshot(path: string): StoreDocument {
  return parseByLine(path) ?? parseWhole(readFileSync(path, 'utf8'));
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
// The fixed lines between the sections, e.g. `},` then `"keys":{`.
const [MIDDLE_CLOSE, MIDDLE_OPEN] = SNAPSHOT_MIDDLE.trimEnd().split('\n') as [string, string];
const TAIL = SNAPSHOT_TAIL.trimEnd();

/** The document when the file is exactly in the writer's layout; null otherwise (then the whole-file parse decides). */
export function parseByLine(path: string): StoreDocument | null {
  const lines = linesOf(path, HEAD);
  if (!lines) return null;
  const document: StoreDocument = { version: 1, users: {}, keys: {} };
  let section: 'users' | 'keys' = 'users';
  let previousEndedWithComma = false;
  let inSection = 0;
  let ended = false;
  let betweenSections = false;
  for (const line of lines) {
    if (ended) return null;
    if (betweenSections) {
      if (line !== MIDDLE_OPEN) return null;
      betweenSections = false;
      section = 'keys';
      inSection = 0;
      continue;
    }
    if (line === MIDDLE_CLOSE && section === 'users' && !previousEndedWithComma) {
      betweenSections = true;
      continue;
    }
    if (line === TAIL && section === 'keys' && !previousEndedWithComma) {
      ended = true;
      continue;
    }
    // `"id":{…}` with a comma unless it is the section's last.
    const colon = line.indexOf('":{');
    if (!line.startsWith('"') || colon === -1) return null;
    const comma = line.endsWith(',');
    let id: unknown;
    let record: unknown;
    try {
      id = JSON.parse(line.slice(0, colon + 1));
      record = JSON.parse(line.slice(colon + 2, comma ? -1 : undefined));
    } catch {
      return null;
    }
    // (`__proto__` as a plain assignment would set the prototype: the whole-file parse keeps it as data.)
    if (typeof id !== 'string' || id === '__proto__' || (inSection > 0 && !previousEndedWithComma)) return null;
    try {
      if (section === 'users') {
        assertStoredUser(record, `document property users.${id}`);
        document.users[id] = record;
      } else {
        assertStoredKey(record, `document property keys.${id}`);
        document.keys[id] = record;
      }
    } catch (error) {
      throw new Error(`is not an API keys store: ${(error as Error).message}`);
    }
    previousEndedWithComma = comma;
    inSection += 1;
  }
  return ended ? document : null;
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
