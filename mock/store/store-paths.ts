import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * The files of one store, all beside the snapshot (docs/storage.md "On-disk layout"):
 *
 * - `db.json`: the snapshot, the lowdb JSON document;
 * - `db.json.journal`: the journal, one JSON line per change since the snapshot;
 * - `db.json.journal.1`, `.2`, …: journals set aside by a compaction still
 *   running or interrupted (replayed in order before `db.json.journal`);
 * - `.db.json.tmp`: a snapshot being written (renamed over `db.json` when complete).
 */
export interface StorePaths {
  snapshot: string;
  directory: string;
  journal: string;
  temp: string;
  rotated(generation: number): string;
}

export function storePaths(snapshot: string): StorePaths {
  const directory = dirname(snapshot);
  const journal = `${snapshot}.journal`;
  return {
    snapshot,
    directory,
    journal,
    temp: join(directory, `.${basename(snapshot)}.tmp`),
    rotated: (generation) => `${journal}.${generation}`,
  };
}

/** The generations of the set-aside journals that exist now, oldest first. */
export function rotatedGenerations(paths: StorePaths): number[] {
  const prefix = `${basename(paths.journal)}.`;
  let names: string[];
  try {
    names = readdirSync(paths.directory);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.startsWith(prefix) && /^[1-9]\d*$/.test(name.slice(prefix.length)))
    .map((name) => Number(name.slice(prefix.length)))
    .sort((a, b) => a - b);
}
