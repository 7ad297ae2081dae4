import { randomBytes } from 'node:crypto';
import { startOurMock } from './bench-servers.ts';

/**
 * How many keys a fresh mock finds in a db file: its own loader reads it,
 * whatever files and format the store uses (a journal next to the snapshot
 * would be counted too).
 */
export async function countStoredKeys(dbPath: string): Promise<number> {
  const adminToken = randomBytes(12).toString('hex');
  const mock = await startOurMock(dbPath, { adminToken });
  try {
    const health = await fetch(`${mock.url}/_mock/health`, { headers: { 'x-admin-token': adminToken } });
    return ((await health.json()) as { keys: number }).keys;
  } finally {
    await mock.stop();
  }
}
