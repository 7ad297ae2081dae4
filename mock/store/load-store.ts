import { existsSync, readFileSync, statSync } from 'node:fs';
import { applyEntry, parseEntry, startReplay } from './journal-entry.ts';
import { parseSnapshot } from './parse-snapshot.ts';
import type { StoreDocument } from './store-document.ts';
import { rotatedGenerations, storePaths, type StorePaths } from './store-paths.ts';

/** Raised when a store file exists but cannot be trusted; the message names the file (and line). */
export class CorruptStoreError extends Error {
  override name = 'CorruptStoreError';
}

/** A journal's last line cut short by a crash mid-append: never acknowledged, so ignored. */
export interface TornLine {
  path: string;
  line: number;
  bytes: number;
}

/** What replaying the journals over a snapshot gave. */
export interface ReplayedJournals {
  /** Snapshot + every journal replayed; null when there is no snapshot (a new store). */
  document: StoreDocument | null;
  /** The journals replayed, oldest first: set-aside generations, then the active one. */
  journals: { path: string; generation: number | null; bytes: number; entries: number }[];
  /** Bytes of the active journal up to its last complete line (where appends continue). */
  activeJournalBytes: number;
  torn: TornLine[];
}

export interface LoadedStore extends ReplayedJournals {
  snapshotBytes: number;
}

/**
 * Reads a store the way the mock does at start-up: the snapshot, then every
 * journal line in order. The one reader of the on-disk state for tests and
 * tools (never parse the snapshot alone: the newest changes are in the
 * journal); the mock itself reads the snapshot through lowdb (snapshot-adapter.ts),
 * then replays the same way.
 *
 * Synchronous on purpose: tests compare disk and memory in one step.
 *
 * - A missing snapshot is a new store (null); a journal without its snapshot,
 *   an empty, truncated, `null` or foreign snapshot throws CorruptStoreError.
 * - A journal's last line without its newline was cut short by a crash: it was
 *   never acknowledged, so it is left out and reported in `torn`.
 * - Any other line that does not parse stops the start, naming file and line.
 *
 * @example
 * const { document } = loadStore('.data/apikeys.json');
 */
export function loadStore(snapshotPath: string): LoadedStore {
  const paths = storePaths(snapshotPath);
  const snapshot = readSnapshot(paths.snapshot);
  return { ...replayJournals(paths, snapshot?.document ?? null), snapshotBytes: snapshot?.bytes ?? 0 };
}

/** The snapshot's document and size; null when it does not exist (a new store). Throws CorruptStoreError. */
export function readSnapshot(path: string): { document: StoreDocument; bytes: number } | null {
  const bytes = sizeOf(path);
  if (bytes === null) return null;
  try {
    return { document: parseSnapshot(path), bytes };
  } catch (error) {
    throw new CorruptStoreError(`${path} ${(error as Error).message}; refusing to start so no data is lost. Fix or move the file.`);
  }
}

/**
 * Replays every journal of the store over `snapshot` (changed in place), in
 * order. With no snapshot, a journal means data would be lost: CorruptStoreError.
 */
export function replayJournals(paths: StorePaths, snapshot: StoreDocument | null): ReplayedJournals {
  const journals = [
    ...rotatedGenerations(paths).map((generation) => ({ path: paths.rotated(generation), generation })),
    { path: paths.journal, generation: null },
  ].filter((j) => existsSync(j.path));
  if (snapshot === null) {
    if (journals.length > 0) {
      throw new CorruptStoreError(
        `${paths.snapshot} is missing but its journal ${journals[0]!.path} exists; refusing to start so no data is lost. Restore the snapshot or move the journal.`,
      );
    }
    return { document: null, journals: [], activeJournalBytes: 0, torn: [] };
  }
  const replayed: ReplayedJournals = { document: null, journals: [], activeJournalBytes: 0, torn: [] };
  const replay = startReplay(snapshot);
  for (const journal of journals) {
    const bytes = readFileSync(journal.path);
    // Everything up to the last newline is whole lines; a crash can only cut the end.
    const end = bytes.lastIndexOf(0x0a) + 1;
    const lines = bytes.toString('utf8', 0, end).split('\n');
    lines.pop();
    for (const [index, line] of lines.entries()) {
      try {
        applyEntry(replay, parseEntry(line));
      } catch (error) {
        throw new CorruptStoreError(
          `${journal.path} line ${index + 1} is corrupt: ${(error as Error).message}. Refusing to start so no data is lost; fix or remove that line.`,
        );
      }
    }
    if (end < bytes.length) replayed.torn.push({ path: journal.path, line: lines.length + 1, bytes: bytes.length - end });
    replayed.journals.push({ path: journal.path, generation: journal.generation, bytes: bytes.length, entries: lines.length });
    if (journal.generation === null) replayed.activeJournalBytes = end;
  }
  replayed.document = replay.document;
  return replayed;
}

/** The snapshot's size; null when it does not exist (a new store). */
function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CorruptStoreError(`${path} cannot be read: ${(error as Error).message}`);
  }
}
