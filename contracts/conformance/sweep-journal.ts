import { existsSync, readFileSync } from 'node:fs';
import type { Credential } from './conformance-options.ts';
import { pathOf } from './http-exchange.ts';
import type { JournalLine } from './run-ledger.ts';
import type { SerializableOptions } from './suite-settings.ts';

/**
 * After the run, deletes every key the journal says was created and not
 * deleted: the safety net for a worker that was killed mid-check. Returns the
 * ids it could not delete.
 */
export async function sweepJournal(journalPath: string, options: SerializableOptions): Promise<{ swept: number; leaked: string[] }> {
  if (!existsSync(journalPath)) return { swept: 0, leaked: [] };
  const open = new Map<string, Credential | null>();
  for (const line of readFileSync(journalPath, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    let entry: JournalLine;
    try {
      entry = JSON.parse(line) as JournalLine;
    } catch {
      continue; // a line cut short by a crash
    }
    if (entry.event === 'created') open.set(entry.apiKeyId, entry.owner);
    else open.delete(entry.apiKeyId);
  }
  const leaked: string[] = [];
  const base = options.baseUrl.replace(/\/+$/, '');
  for (const [apiKeyId, owner] of open) {
    const candidates = owner ? [owner] : (['apiKey', 'adminApiKey', 'otherApiKey'] as const);
    let gone = false;
    for (const credential of candidates) {
      const key = options[credential];
      if (!key || gone) continue;
      try {
        const res = await fetch(`${base}${pathOf('deleteApiKey', apiKeyId)}`, {
          method: 'DELETE',
          headers: { 'x-api-key': key },
          signal: AbortSignal.timeout(10_000),
        });
        await res.arrayBuffer();
        gone = res.ok || res.status === 404;
      } catch {
        // try the next credential; reported below if none works
      }
    }
    if (!gone) leaked.push(apiKeyId);
  }
  return { swept: open.size - leaked.length, leaked };
}
