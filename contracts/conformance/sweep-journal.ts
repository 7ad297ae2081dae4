import { CleanupLedger } from '../cleanup/cleanup-ledger.ts';
import { cleanupCredentials } from './run-ledger.ts';
import type { SerializableOptions } from './suite-settings.ts';

/**
 * After the run, deletes every key the journal says was created and not
 * deleted: the safety net for a worker that was killed mid-check. The same
 * ledger and credential order as the run itself; returns the ids it could
 * not delete.
 */
export async function sweepJournal(journalPath: string, options: SerializableOptions): Promise<{ swept: number; leaked: string[] }> {
  const ledger = CleanupLedger.fromJournal(journalPath, {
    baseUrl: options.baseUrl,
    credentials: cleanupCredentials(options),
    timeoutMs: options.requestTimeoutMs,
  });
  const { deleted, leaked } = await ledger.deleteAll();
  return { swept: deleted, leaked: leaked.map((key) => key.apiKeyId) };
}
