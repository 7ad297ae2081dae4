import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { isJsonObject } from '../../contracts/openapi/is-json-object.ts';
import { assertDeletedId, assertStoreDocument, assertStoredKey, assertStoredUser, schemaFingerprint } from './document-schema.ts';
import { completeDocument } from './complete-document.ts';
import { numberKeys } from './number-keys.ts';
import type { StoreDocument, StoredKey, StoredUser } from './store-document.ts';
import { completeStoredKey } from './stored-key.ts';
import {
  INTEGRITY_PROPERTY,
  SNAPSHOT_BEFORE_INTEGRITY,
  SNAPSHOT_DELETED_IDS,
  SNAPSHOT_HEAD,
  SNAPSHOT_MIDDLE,
  SNAPSHOT_TAIL_WITHOUT_DELETED_IDS,
  SNAPSHOT_TAIL_WITHOUT_INTEGRITY,
  type SnapshotIntegrity,
} from './write-snapshot.ts';

/**
 * The snapshot's document, checked, completed and numbered. A file in the
 * writer's layout (one record per line) is parsed 1 MiB at a time, so a 50 MB
 * store never sits in memory as one 50 MB string beside its parsed records;
 * anything else (a hand-edited file, an older store written in one line) is
 * parsed as a whole. Throws a message saying what is wrong; the caller names the file.
 */
export function parseSnapshot(path: string): StoreDocument {
  const byLine = parseByLine(path);
  if (byLine) return byLine;
  const whole = completeDocument(parseWhole(readFileSync(path, 'utf8')));
  numberKeys(whole);
  return whole;
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
const [DELETED_IDS_CLOSE] = linesOfText(SNAPSHOT_BEFORE_INTEGRITY) as [string];
const [END_WITHOUT_INTEGRITY] = linesOfText(SNAPSHOT_TAIL_WITHOUT_INTEGRITY) as [string];
const [END_WITHOUT_DELETED_IDS] = linesOfText(SNAPSHOT_TAIL_WITHOUT_DELETED_IDS) as [string];
const INTEGRITY_START = `${JSON.stringify(INTEGRITY_PROPERTY)}:`;
/** The longest fixed line: a line longer than it is a record (or the integrity line). */
const FIXED_LENGTH = Math.max(
  ...[USERS_CLOSE, KEYS_OPEN, KEYS_CLOSE, DELETED_IDS_OPEN, DELETED_IDS_CLOSE, END_WITHOUT_INTEGRITY, END_WITHOUT_DELETED_IDS].map(
    (line) => line.length,
  ),
);
/** Bytes read at a time: the file is never held whole, as bytes or as text. */
const CHUNK = 2 ** 20;

type Position = 'users' | 'keys' | 'deletedIds' | 'keys-open' | 'deleted-ids-open' | 'integrity' | 'ended';

/**
 * The document when the file is exactly in the writer's layout; null
 * otherwise (then the whole-file parse decides). The file is read 1 MiB at a
 * time; the record lines of one section in one such chunk are parsed with one
 * `JSON.parse` (one line per record is the writer's layout, but the JSON
 * between the fixed lines is what counts: any mistake in it is a syntax error,
 * and the whole-file parse reports it). Records are numbered as they are read.
 * They are completed (fields the spec added since) and checked against their
 * schemas only when the file does not match its integrity line
 * (write-snapshot.ts): a hand edit, a file without one, or another schema.
 */
export function parseByLine(path: string): StoreDocument | null {
  const fd = openSync(path, 'r');
  try {
    const first = Buffer.alloc(HEAD.length);
    if (readSync(fd, first, 0, HEAD.length, null) !== HEAD.length || !first.equals(HEAD)) return null;
    const reader = new SectionReader(first);
    const chunk = Buffer.alloc(CHUNK);
    let carry = Buffer.alloc(0);
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      // At the end of the file, the last line counts even without its newline.
      const end = read === 0 ? bytes.length : bytes.lastIndexOf(0x0a) + 1;
      if (!reader.lines(bytes, end)) return null;
      if (read === 0) break;
      // What follows the last newline waits for the next chunk (copied: `chunk` is reused).
      carry = Buffer.from(bytes.subarray(end));
    }
    return reader.finish();
  } finally {
    closeSync(fd);
  }
}

/** Reads the lines after the head, section by section; false (or null) as soon as the layout is not the writer's. */
class SectionReader {
  readonly document: StoreDocument = { version: 1, users: {}, keys: {}, deletedIds: [] };
  #at: Position = 'users';
  /** Whether the section's last record so far ended with a comma (another must follow). */
  #comma = false;
  #inSection = 0;
  /** Every byte before the integrity line, hashed as read; null once that line was reached. */
  #hash: Hash | null = createHash('sha256');
  #digest: string | null = null;
  #integrity: SnapshotIntegrity | null = null;
  // Creation numbers: the highest seen, and the keys of an older store that have none (numbered at the end).
  #lastSeq = 0;
  readonly #unnumbered: StoredKey[] = [];

  constructor(head: Buffer) {
    this.#hash!.update(head);
  }

  /** The lines of `bytes` before `end`: fixed lines one by one, each run of record lines at once. */
  lines(bytes: Buffer, end: number): boolean {
    let runStart = -1;
    let runEnd = -1;
    let hashEnd = end;
    for (let start = 0; start < end;) {
      let stop = bytes.indexOf(0x0a, start);
      if (stop === -1 || stop > end) stop = end;
      if (this.#at === 'integrity') {
        hashEnd = start;
        if (!this.#integrityLine(bytes.toString('utf8', start, stop))) return false;
      } else {
        const fixed = stop - start <= FIXED_LENGTH ? bytes.toString('utf8', start, stop) : null;
        if (fixed !== null && this.#isBoundary(fixed)) {
          if (runStart !== -1 && !this.#records(bytes.toString('utf8', runStart, runEnd))) return false;
          runStart = -1;
          if (!this.#fixed(fixed)) return false;
        } else {
          if (this.#at !== 'users' && this.#at !== 'keys' && this.#at !== 'deletedIds') return false;
          if (runStart === -1) runStart = start;
          runEnd = stop;
        }
      }
      start = stop + 1;
    }
    if (this.#hash) {
      this.#hash.update(bytes.subarray(0, hashEnd));
      if (this.#at === 'ended' || this.#at === 'integrity') this.#endHash();
    }
    return runStart === -1 || this.#records(bytes.toString('utf8', runStart, runEnd));
  }

  finish(): StoreDocument | null {
    if (this.#at !== 'ended') return null;
    const { document } = this;
    const trusted = this.#integrity !== null && this.#integrity.sha256 === this.#digest && this.#integrity.schema === schemaFingerprint();
    // A trusted file was written under the same schema from complete records: nothing to add or check.
    if (!trusted) {
      try {
        for (const id in document.users) assertStoredUser(document.users[id], `document property users.${id}`);
        for (const id in document.keys) {
          const key = document.keys[id]!;
          completeStoredKey(key);
          assertStoredKey(key, `document property keys.${id}`);
        }
        for (const [index, id] of document.deletedIds.entries()) assertDeletedId(id, `document property deletedIds/${index}`);
      } catch (error) {
        throw new Error(`is not an API keys store: ${(error as Error).message}`);
      }
    }
    for (const key of this.#unnumbered) key.seq = ++this.#lastSeq;
    return document;
  }

  #endHash(): void {
    this.#digest = this.#hash!.digest('hex');
    this.#hash = null;
  }

  /** Whether a short line is one of the fixed lines where the reader is. */
  #isBoundary(line: string): boolean {
    switch (this.#at) {
      case 'users':
        return line === USERS_CLOSE;
      case 'keys':
        return line === KEYS_CLOSE || line === END_WITHOUT_DELETED_IDS;
      case 'deletedIds':
        return line === DELETED_IDS_CLOSE || line === END_WITHOUT_INTEGRITY;
      default:
        return true;
    }
  }

  #fixed(line: string): boolean {
    const closing = this.#at === 'users' || this.#at === 'keys' || this.#at === 'deletedIds';
    // A section's last record has no comma; the next section starts counting again.
    if (closing && this.#comma) return false;
    this.#comma = false;
    this.#inSection = 0;
    if (this.#at === 'users') this.#at = 'keys-open';
    else if (this.#at === 'keys') this.#at = line === KEYS_CLOSE ? 'deleted-ids-open' : 'ended';
    else if (this.#at === 'deletedIds') this.#at = line === DELETED_IDS_CLOSE ? 'integrity' : 'ended';
    else if (this.#at === 'keys-open' && line === KEYS_OPEN) this.#at = 'keys';
    else if (this.#at === 'deleted-ids-open' && line === DELETED_IDS_OPEN) this.#at = 'deletedIds';
    else return false;
    return true;
  }

  /** `"integrity":{…}}`, the last line. */
  #integrityLine(line: string): boolean {
    if (!line.startsWith(INTEGRITY_START) || !line.endsWith('}')) return false;
    let parsed: unknown;
    try {
      parsed = JSON.parse(`{${line}`);
    } catch {
      return false;
    }
    const integrity = (parsed as Record<string, unknown>)[INTEGRITY_PROPERTY];
    if (isJsonObject(integrity) && typeof integrity.sha256 === 'string' && typeof integrity.schema === 'string') {
      this.#integrity = { sha256: integrity.sha256, schema: integrity.schema };
    }
    this.#at = 'ended';
    return true;
  }

  /** One run of record lines of the current section. */
  #records(text: string): boolean {
    // Records are separated by commas, also from the previous run's.
    if (this.#inSection > 0 && !this.#comma) return false;
    this.#comma = text.endsWith(',');
    const body = this.#comma ? text.slice(0, -1) : text;
    let parsed: unknown;
    try {
      parsed = JSON.parse(this.#at === 'deletedIds' ? `[${body}]` : `{${body}}`);
    } catch {
      return false;
    }
    try {
      if (this.#at === 'deletedIds') this.document.deletedIds.push(...(parsed as string[]));
      else if (this.#at === 'users') {
        if (!this.#users(parsed as Record<string, unknown>)) return false;
      } else if (!this.#keys(parsed as Record<string, unknown>)) return false;
    } catch (error) {
      throw new Error(`is not an API keys store: ${(error as Error).message}`);
    }
    this.#inSection += 1;
    return true;
  }

  // (`__proto__` as a plain assignment would set the prototype: the whole-file parse keeps it as data.)

  #users(parsed: Record<string, unknown>): boolean {
    const users = this.document.users;
    for (const id in parsed) {
      if (id === '__proto__') return false;
      const user = parsed[id];
      if (!isJsonObject(user) || user.userId !== id) {
        assertStoredUser(user, `document property users.${id}`);
        throw new Error(`document property users.${id} holds the user ${user.userId}`);
      }
      users[id] = user as unknown as StoredUser;
    }
    return true;
  }

  #keys(parsed: Record<string, unknown>): boolean {
    const keys = this.document.keys;
    for (const id in parsed) {
      if (id === '__proto__') return false;
      const key = parsed[id];
      if (!isJsonObject(key) || key.apiKeyId !== id) {
        assertStoredKey(key, `document property keys.${id}`);
        throw new Error(`document property keys.${id} holds the key ${key.apiKeyId}`);
      }
      if (key.seq === undefined) this.#unnumbered.push(key as unknown as StoredKey);
      else if ((key.seq as number) > this.#lastSeq) this.#lastSeq = key.seq as number;
      keys[id] = key as unknown as StoredKey;
    }
    return true;
  }
}
