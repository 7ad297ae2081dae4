import { assertDeletedId, assertLastUsedMap, assertStoreDocument, assertStoredKey, assertStoredUser } from './document-schema.ts';
import { completeDocument } from './complete-document.ts';
import { highestSeq, numberKeys } from './number-keys.ts';
import type { StoreDocument, StoredKey, StoredUser } from './store-document.ts';
import { completeStoredKey } from './stored-key.ts';

/**
 * One line of the journal: a whole change, readable on its own. Each one
 * *sets* state (a record, a user, a key's lastUsedAt, the whole document) and
 * never adds to it, so replaying a journal over a snapshot that already holds
 * some of its changes gives the same result: that is what lets a compaction
 * be interrupted at any step (see create-store.ts).
 */
export type JournalEntry =
  | { op: 'insert'; key: StoredKey }
  | { op: 'replace'; key: StoredKey }
  /** `reserveId`: the id stays taken (StoreDocument.deletedIds). */
  | { op: 'delete'; apiKeyId: string; reserveId?: true }
  | { op: 'user'; user: StoredUser }
  | { op: 'reset'; document: StoreDocument }
  /** lastUsedAt of the keys used in one interval: bookkeeping, batched. */
  | { op: 'touch'; lastUsedAt: Record<string, number> };

/** The entry as one line, newline included. */
export function encodeEntry(entry: JournalEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** Parses and checks one line (without its newline); throws a message saying what is wrong. */
export function parseEntry(line: string): JournalEntry {
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch (error) {
    throw new Error(`not valid JSON (${(error as Error).message})`);
  }
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new Error('not a JSON object');
  const e = entry as Record<string, unknown>;
  switch (e.op) {
    case 'insert':
    case 'replace':
      assertStoredKey(e.key, 'key');
      completeStoredKey(e.key);
      break;
    case 'delete':
      if (typeof e.apiKeyId !== 'string') throw new Error('apiKeyId must be string');
      if (e.reserveId !== undefined && e.reserveId !== true) throw new Error('reserveId must be true when present');
      if (e.reserveId) assertDeletedId(e.apiKeyId, 'apiKeyId');
      break;
    case 'user':
      assertStoredUser(e.user, 'user');
      break;
    case 'reset':
      assertStoreDocument(e.document, 'document');
      completeDocument(e.document);
      break;
    case 'touch':
      assertLastUsedMap(e.lastUsedAt, 'lastUsedAt');
      break;
    default:
      throw new Error(`op must be one of insert, replace, delete, user, reset, touch (got ${JSON.stringify(e.op)})`);
  }
  return entry as JournalEntry;
}

/**
 * Where a start-up replay stands: the document so far (its keys numbered), the
 * highest creation number in it (worked out only for a line without one: an
 * older journal), the reserved ids.
 */
export interface Replay {
  document: StoreDocument;
  lastSeq: number | undefined;
  reserved: Set<string>;
}

/** A replay starting from a loaded snapshot (parse-snapshot.ts has numbered its keys). */
export function startReplay(document: StoreDocument): Replay {
  return { document, lastSeq: undefined, reserved: new Set(document.deletedIds) };
}

/** Applies an entry to a loaded document (start-up replay). */
export function applyEntry(replay: Replay, entry: JournalEntry): void {
  const { document } = replay;
  switch (entry.op) {
    case 'insert':
    case 'replace': {
      if (entry.key.seq === undefined) {
        const existing = Object.hasOwn(document.keys, entry.key.apiKeyId) ? document.keys[entry.key.apiKeyId] : undefined;
        replay.lastSeq ??= highestSeq(document);
        entry.key.seq = existing?.seq ?? ++replay.lastSeq;
      } else if (replay.lastSeq !== undefined && entry.key.seq > replay.lastSeq) {
        replay.lastSeq = entry.key.seq;
      }
      document.keys[entry.key.apiKeyId] = entry.key;
      return;
    }
    case 'delete':
      delete document.keys[entry.apiKeyId];
      if (entry.reserveId && !replay.reserved.has(entry.apiKeyId)) {
        replay.reserved.add(entry.apiKeyId);
        document.deletedIds.push(entry.apiKeyId);
      }
      return;
    case 'user':
      document.users[entry.user.userId] = entry.user;
      return;
    case 'reset':
      numberKeys(entry.document);
      Object.assign(replay, startReplay(entry.document));
      return;
    case 'touch':
      for (const [id, at] of Object.entries(entry.lastUsedAt)) {
        const key = Object.hasOwn(document.keys, id) ? document.keys[id] : undefined;
        if (key) key.lastUsedAt = at;
      }
      return;
  }
}
