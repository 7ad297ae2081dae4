import { Agent } from 'node:http';
import { statSync } from 'node:fs';
import { postCreate } from './post-create.ts';
import type { LoadResult } from './run-load.ts';

/**
 * Creates one key after another on one connection while something else is
 * measured, recording each one's latency; and counts how often the file at
 * `snapshotPath` was replaced meanwhile (each completed compaction renames a
 * new snapshot over it). `stop()` ends both and returns the creates as a
 * LoadResult row.
 */
export function sideCreates(url: string, snapshotPath: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let running = true;
  const started = performance.now();
  let inode = statSync(snapshotPath).ino;
  let compactions = 0;
  const watcher = setInterval(() => {
    try {
      const now = statSync(snapshotPath).ino;
      if (now !== inode) compactions += 1;
      inode = now;
    } catch {
      // Between unlink and rename there is no such moment (rename is atomic); any error is transient.
    }
  }, 10);
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      try {
        const { status } = await postCreate(url, agent, { bench: 'while-compacting' });
        latencies.push(performance.now() - t);
        statuses[status] = (statuses[status] ?? 0) + 1;
      } catch {
        errors += 1;
      }
    }
  })();
  return {
    async stop(): Promise<{ load: LoadResult; compactions: number }> {
      running = false;
      await loop;
      clearInterval(watcher);
      agent.destroy();
      const durationS = (performance.now() - started) / 1000;
      latencies.sort((a, b) => a - b);
      const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? Number.NaN;
      return {
        compactions,
        load: {
          requests: latencies.length,
          requestsPerS: latencies.length / durationS,
          p50Ms: at(0.5),
          p99Ms: at(0.99),
          maxMs: latencies.at(-1) ?? Number.NaN,
          statuses,
          warmupStatuses: {},
          errors,
          timeouts: 0,
          durationS,
        },
      };
    },
  };
}
