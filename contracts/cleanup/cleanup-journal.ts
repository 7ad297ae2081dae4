import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * One line of a cleanup journal: enough for another process to finish the
 * clean-up after a crash. A credential is named, never written out: a raw key
 * does not belong on disk.
 */
export type JournalLine =
  { event: 'created'; apiKeyId: string; owner: string | null; credential?: true } | { event: 'deleted'; apiKeyId: string };

/** A key the journal says was created and not deleted since. */
export interface OpenJournalEntry {
  apiKeyId: string;
  owner: string | null;
  credential: boolean;
}

export function appendJournalLine(journalPath: string, line: JournalLine): void {
  // Synchronous on purpose: the line must be on disk before the next request goes out.
  appendFileSync(journalPath, `${JSON.stringify(line)}\n`);
}

/**
 * The keys a journal leaves open, in the order they were created, and the
 * journal made ready for more lines. A missing file is an empty journal (the
 * run created nothing); a line cut short by a crash, or one that is not a
 * journal line, is passed over.
 */
export function reopenJournal(journalPath: string): OpenJournalEntry[] {
  if (!existsSync(journalPath)) return [];
  const content = readFileSync(journalPath, 'utf8');
  // Lines appended from now on must not join a line the crash cut short.
  if (content !== '' && !content.endsWith('\n')) appendFileSync(journalPath, '\n');
  const open = new Map<string, OpenJournalEntry>();
  for (const text of content.split('\n')) {
    const line = parseLine(text);
    if (line?.event === 'created') {
      open.delete(line.apiKeyId); // a deleted key's id created again names a new key: it goes last in order
      open.set(line.apiKeyId, { apiKeyId: line.apiKeyId, owner: line.owner, credential: line.credential === true });
    } else if (line?.event === 'deleted') open.delete(line.apiKeyId);
  }
  return [...open.values()];
}

function parseLine(text: string): JournalLine | undefined {
  if (!text.trim()) return undefined;
  let line: unknown;
  try {
    line = JSON.parse(text);
  } catch {
    return undefined; // a line cut short by a crash
  }
  if (typeof line !== 'object' || line === null) return undefined;
  const { event, apiKeyId, owner } = line as Record<string, unknown>;
  if (typeof apiKeyId !== 'string') return undefined;
  if (event === 'deleted') return { event, apiKeyId };
  if (event === 'created' && (owner === null || typeof owner === 'string')) return line as JournalLine;
  return undefined;
}
