import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { loadStore } from '../../mock/store/load-store.ts';
import { mockProcessClient } from './support/mock-process-client.ts';
import { spawnMock, type MockProcess } from '../support/running-mock.ts';
import { tempDir } from './support/temp-dir.ts';

const SEED = Number(process.env.HARDENING_SEED ?? 20_260_101);
// At least 20 crashes (issue 7); each cycle is one start (~0.6 s on an idle 2-core machine) plus a short burst.
const CYCLES = 20;
const WRITERS = 6;

interface Acknowledged {
  id: string;
  rawApiKey: string;
}

/**
 * Several clients create keys as fast as they can; right after the `acks`-th
 * acknowledgement of this cycle the process is SIGKILLed, with the other
 * clients' creates still in flight (some mid-write).
 */
async function burstThenKill(mock: MockProcess, cycle: number, acks: number, acknowledged: Acknowledged[]) {
  const { send } = mockProcessClient(mock);
  let acked = 0;
  let inFlight = 0;
  let inFlightAtKill = -1;
  let killed: Promise<unknown> | undefined;
  const writer = async (w: number) => {
    for (let n = 0; !killed; n++) {
      inFlight += 1;
      try {
        const res = await send({
          method: 'POST',
          path: '/v1/apikeys',
          headers: { 'x-api-key': DEV_KEYS.alice },
          body: { labels: { cycle: String(cycle), writer: String(w), n: String(n) } },
        });
        expect(res.status, res.text).toBe(201);
        const body = res.json as { rawApiKey: string; apiKeyMetadata: { apiKeyId: string } };
        acknowledged.push({ id: body.apiKeyMetadata.apiKeyId, rawApiKey: body.rawApiKey });
        acked += 1;
        if (acked === acks && !killed) {
          inFlightAtKill = inFlight - 1;
          killed = mock.kill('SIGKILL');
        }
      } catch (error) {
        // Only a request cut off by the kill may fail.
        if (!killed) throw error;
      } finally {
        inFlight -= 1;
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  expect(await killed).toMatchObject({ signal: 'SIGKILL' });
  return inFlightAtKill;
}

describe('crash under load', () => {
  it(`loses no acknowledged create across ${CYCLES} SIGKILLs during a stream of creates, and tolerates stale temp files and torn journal lines`, async () => {
    console.info(`crash-under-load seed ${SEED}`);
    const plan = fc.sample(fc.record({ acks: fc.integer({ min: 1, max: 12 }), plantTempFile: fc.boolean(), plantTornLine: fc.boolean() }), {
      seed: SEED,
      numRuns: CYCLES,
    });
    const dir = tempDir();
    const dbPath = join(dir, 'db.json');
    const tempFile = join(dir, '.db.json.tmp');
    const args = ['--port', '0', '--db', dbPath, '--log-level', 'info'];
    const acknowledged: Acknowledged[] = [];
    const processes: MockProcess[] = [];
    let killedWithRequestsInFlight = 0;

    for (const [cycle, { acks, plantTempFile, plantTornLine }] of plan.entries()) {
      const mock = await spawnMock(args);
      processes.push(mock);
      const client = mockProcessClient(mock);
      const listed = new Set((await client.allKeys()).map((k) => k.apiKeyId));
      const missing = acknowledged.filter((a) => !listed.has(a.id));
      expect(
        missing.map((m) => m.id),
        `cycle ${cycle}: acknowledged keys missing after the restart`,
      ).toEqual([]);
      if (acknowledged.length)
        expect(await client.statusWith(acknowledged.at(-1)!.rawApiKey), `cycle ${cycle}: newest acknowledged key`).toBe(200);

      if ((await burstThenKill(mock, cycle, acks, acknowledged)) > 0) killedWithRequestsInFlight += 1;
      // Whatever the crash left, the store's own loader reads it (at worst a torn last journal line) and finds every acknowledged key.
      const stored = loadStore(dbPath).document!;
      expect(
        acknowledged.filter((a) => !stored.keys[a.id]).map((a) => a.id),
        `cycle ${cycle}: acknowledged keys on disk right after SIGKILL`,
      ).toEqual([]);
      // A crash between writing the temp file and the rename leaves it behind; make sure some restarts meet one.
      if (plantTempFile && !existsSync(tempFile)) writeFileSync(tempFile, '{"version":1,"users":{"trunc');
      // A kill in the middle of an append leaves part of a line; make sure some restarts meet one.
      if (plantTornLine) appendFileSync(`${dbPath}.journal`, '{"op":"insert","key":{"apiKeyId":"torn');
    }

    const last = await spawnMock(args);
    processes.push(last);
    const client = mockProcessClient(last);
    const all = await client.allKeys();
    const listed = new Set(all.map((k) => k.apiKeyId));
    expect(acknowledged.filter((a) => !listed.has(a.id)).map((a) => a.id)).toEqual([]);
    for (const { rawApiKey } of acknowledged.filter((_, i) => i % 10 === 0)) expect(await client.statusWith(rawApiKey)).toBe(200);
    // Nothing half-made: every stored key is one of the seed's four or a create's, each fully formed.
    const created = all.filter((k) => k.labels?.cycle !== undefined);
    expect(created.length).toBe(all.length - 4);
    for (const key of created) expect(key).toMatchObject({ userId: '00000000-0000-4000-8000-000000000002', status: 'ACTIVE' });
    expect(killedWithRequestsInFlight, 'kills that hit the mock with creates in flight').toBeGreaterThan(0);
    for (const mock of processes) for (const { rawApiKey } of acknowledged) expect(mock.stdout() + mock.stderr()).not.toContain(rawApiKey);
  }, 90_000);
});
