import { Agent } from 'node:http';
import { loadStore } from '../../mock/store/load-store.ts';
import type { CrashCheck } from './bench-results.ts';
import { startOurMock } from './bench-servers.ts';
import { postCreate } from './post-create.ts';

export interface CrashCheckOptions {
  dbPath: string;
  keys: number;
  rounds: number;
  writers: number;
  progress: (line: string) => void;
}

/**
 * The crash check of issue 13: `writers` clients create keys as fast as they
 * can on a mock holding `keys` keys; after a varying number of
 * acknowledgements the process is SIGKILLed with creates in flight. Then the
 * store's own loader (snapshot + journal, as a restart reads it) must read the
 * files and hold every acknowledged key. The next round restarts on the same
 * files, so later rounds also replay what earlier crashes left.
 */
export async function crashCheck(options: CrashCheckOptions): Promise<CrashCheck> {
  const result: CrashCheck = {
    keys: options.keys,
    rounds: 0,
    writers: options.writers,
    acknowledged: 0,
    lost: 0,
    unreadable: 0,
    torn: 0,
  };
  const acknowledged: string[] = [];
  for (let round = 0; round < options.rounds; round++) {
    const mock = await startOurMock(options.dbPath);
    // A different kill point each round: from a few acknowledgements to a few batches' worth.
    const killAfter = 20 + ((round * 97) % 400);
    const agent = new Agent({ keepAlive: true, maxSockets: options.writers });
    let acked = 0;
    let killed: Promise<void> | null = null;
    let errors = 0;
    const writer = async () => {
      while (!killed) {
        const reply = await postCreate(mock.url, agent, { bench: 'crash' }).catch(() => null);
        if (!reply) {
          if (!killed && ++errors > 1000) throw new Error(`crash check: the mock stopped answering before the kill:\n${mock.output()}`);
          continue;
        }
        if (reply.status !== 201) {
          if (killed) return;
          throw new Error(`crash check: create answered ${reply.status}: ${reply.body.slice(0, 200)}`);
        }
        acknowledged.push((JSON.parse(reply.body) as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId);
        if (++acked === killAfter) killed = mock.crash();
      }
    };
    await Promise.all(Array.from({ length: options.writers }, writer));
    await killed;
    agent.destroy();
    result.rounds += 1;
    try {
      const loaded = loadStore(options.dbPath);
      if (loaded.torn.length > 0) result.torn += 1;
      const keys = loaded.document!.keys;
      const missing = acknowledged.filter((id) => !Object.hasOwn(keys, id)).length;
      result.lost += missing;
      options.progress(
        `crash round ${round + 1}/${options.rounds}: killed after ${acked} acks, ${acknowledged.length} acknowledged so far, ${missing} missing${loaded.torn.length ? ', torn last line ignored' : ''}`,
      );
    } catch (error) {
      result.unreadable += 1;
      options.progress(`crash round ${round + 1}: store unreadable: ${(error as Error).message}`);
    }
  }
  result.acknowledged = acknowledged.length;
  return result;
}
