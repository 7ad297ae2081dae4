import { existsSync, readFileSync, statSync } from 'node:fs';
import { applyEntry, parseEntry, type Replay } from './journal-entry.ts';
import { numberKeys } from './number-keys.ts';
import { parseSnapshot } from './parse-snapshot.ts';
import type { StoreDocument } from './store-document.ts';
import { rotatedGenerations, storePaths } from './store-paths.ts';

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

export interface LoadedStore {
  /** Snapshot + every journal replayed; null when there is no snapshot (a new store). */
  document: StoreDocument | null;
  /** The journals replayed, oldest first: set-aside generations, then the active one. */
  journals: { path: string; generation: number | null; bytes: number; entries: number }[];
  /** Bytes of the active journal up to its last complete line (where appends continue). */
  activeJournalBytes: number;
  snapshotBytes: number;
  torn: TornLine[];
}

/**
 * Reads a store the way the mock does at start-up: the snapshot, then every
 * journal line in order. The one reader of the on-disk state, for the mock,
 * its tests and tools (never parse the snapshot alone: the newest changes are
 * in the journal).
 *
 * Synchronous on purpose: at start-up there is nothing to interleave with,
 * and tests compare disk and memory in one step.
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
  const journals = [
    ...rotatedGenerations(paths).map((generation) => ({ path: paths.rotated(generation), generation })),
    { path: paths.journal, generation: null },
  ].filter((j) => existsSync(j.path));
  const snapshotBytes = sizeOf(paths.snapshot);
  if (snapshotBytes === null) {
    if (journals.length > 0) {
      throw new CorruptStoreError(
        `${paths.snapshot} is missing but its journal ${journals[0]!.path} exists; refusing to start so no data is lost. Restore the snapshot or move the journal.`,
      );
    }
    return { document: null, journals: [], activeJournalBytes: 0, snapshotBytes: 0, torn: [] };
  }
  let document: StoreDocument;
  try {
    document = parseSnapshot(paths.snapshot);
  } catch (error) {
    throw new CorruptStoreError(
      `${paths.snapshot} ${(error as Error).message}; refusing to start so no data is lost. Fix or move the file.`,
    );
  }
  const loaded: LoadedStore = { document, journals: [], activeJournalBytes: 0, snapshotBytes, torn: [] };
  const replay: Replay = { document, lastSeq: numberKeys(document) };
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
    if (end < bytes.length) loaded.torn.push({ path: journal.path, line: lines.length + 1, bytes: bytes.length - end });
    loaded.journals.push({ path: journal.path, generation: journal.generation, bytes: bytes.length, entries: lines.length });
    if (journal.generation === null) loaded.activeJournalBytes = end;
  }
  loaded.document = replay.document;
  return loaded;
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
