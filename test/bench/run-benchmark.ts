import { copyFileSync, cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchOptions, ServerName } from './bench-options.ts';
import { createKey, listKeys, listOneKey, mergeLabel, unauthenticated } from './bench-requests.ts';
import {
  describeMachine,
  type BenchResults,
  type CrashCheck,
  type FloodCheck,
  type Measurement,
  type StoreFootprint,
} from './bench-results.ts';
import { startBare, startJsonServer, startOurMock, startPrism } from './bench-servers.ts';
import { buildMockDb, CALLER_KEYS } from './build-mock-db.ts';
import { countStoredKeys } from './count-stored-keys.ts';
import { crashCheck } from './crash-check.ts';
import { floodCheck } from './flood-check.ts';
import { floodText } from './bench-report.ts';
import { sideCreates } from './side-creates.ts';
import { runLoad, type LoadRequest, type LoadResult } from './run-load.ts';
import type { RunningServer } from './spawn-server.ts';

/**
 * One whole benchmark run, one server process at a time (nothing else of
 * ours competes for the 2 cores while a server is measured). Our mock gets a
 * fresh process and a fresh copy of its db file per measurement, so no
 * measurement sees another's writes and each has its own CPU profile.
 */
export async function runBenchmark(options: BenchOptions, workDir: string, progress: (line: string) => void): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const machine = describeMachine();
  const measurements: Measurement[] = [];
  const footprints: StoreFootprint[] = [];
  const profiles: string[] = [];
  const wants = (server: ServerName) => options.servers.includes(server);
  let crash: CrashCheck | null = null;
  let flood: FloodCheck | null = null;
  const load = { connections: options.connections, durationS: options.durationS, warmupS: options.warmupS };

  progress('building the db files');
  const small = await buildMockDb(join(workDir, 'small.json'), CALLER_KEYS + 3);
  const callerKeys = small.callerKeys;
  const ownKeyId = callerKeys[0]!.apiKeyId;

  /** Starts a server, runs its measurements in order, records its peak RSS, always stops it. */
  async function withServer(
    start: () => Promise<RunningServer>,
    run: (server: RunningServer) => Promise<Measurement[]>,
  ): Promise<RunningServer> {
    const server = await start();
    progress(`${server.name} up in ${Math.round(server.startupMs)} ms (pid ${server.pid})`);
    try {
      const done = await run(server);
      const peak = server.peakRssKib();
      for (const m of done) m.peakRssKib = peak;
      measurements.push(...done);
      return server;
    } finally {
      await server.stop();
    }
  }

  async function measure(
    server: RunningServer,
    m: Pick<Measurement, 'server' | 'operation' | 'stored' | 'expectedStatus'> & { connections?: number },
    request: LoadRequest,
  ): Promise<Measurement> {
    const connections = m.connections ?? options.connections;
    // One request first: a wrong set-up fails here with the server's answer, not as a table of errors.
    const body = typeof request.body === 'function' ? request.body(-1) : request.body;
    const probe = await fetch(server.url + request.path, {
      method: request.method,
      headers: { ...request.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    const text = await probe.text();
    if (probe.status !== m.expectedStatus) {
      throw new Error(
        `${server.name} ${request.method} ${request.path}: expected ${m.expectedStatus}, got ${probe.status}: ${text.slice(0, 300)}`,
      );
    }
    const result = await runLoad({ url: server.url, request, ...load, connections });
    const ok = result.errors === 0 && result.timeouts === 0 && Object.keys(result.statuses).every((s) => Number(s) === m.expectedStatus);
    const line = `${m.server.padEnd(11)} ${m.operation.padEnd(15)} ${m.stored.padEnd(16)} ${String(connections).padStart(3)} conns ${Math.round(result.requestsPerS).toLocaleString('en-US').padStart(7)} req/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms`;
    progress(ok ? line : `${line}  UNEXPECTED: ${JSON.stringify(result.statuses)} errors ${result.errors} timeouts ${result.timeouts}`);
    const path = request.path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '{id}');
    return {
      ...m,
      connections,
      request: `${request.method} ${path}`,
      load: result,
      ok,
      peakRssKib: null,
      startupMs: server.startupMs,
      pid: server.pid,
    };
  }

  const ours = async (name: string, dbPath: string, run: (server: RunningServer) => Promise<Measurement[]>, args: string[] = []) => {
    const profileDir = options.cpuProf ? join(options.cpuProf, `ours-${name}`) : undefined;
    const server = await withServer(() => startOurMock(dbPath, { cpuProfileDir: profileDir, args }), run);
    if (profileDir) profiles.push(profileDir);
    return server;
  };
  const freshCopy = (name: string) => {
    const path = join(workDir, `${name}.json`);
    copyFileSync(small.path, path);
    return path;
  };
  const smallStored = `${CALLER_KEYS} of ${small.totalKeys}`;
  const update = mergeLabel(ownKeyId);

  if (wants('bare')) {
    const bodyPath = join(workDir, 'list-body.json');
    writeFileSync(bodyPath, JSON.stringify({ keys: callerKeys }));
    await withServer(
      () => startBare(bodyPath),
      async (s) => [
        await measure(
          s,
          { server: 'bare', operation: 'list', stored: `fixed ${CALLER_KEYS}`, expectedStatus: 200 },
          { method: 'GET', path: '/v1/apikeys' },
        ),
      ],
    );
  }

  /**
   * A start-up row: `startupRuns - 1` starts and stops first (each from spawn
   * to listening; the store is only read, so the file stays as it was), then
   * the measured server, whose list load gives the peak RSS. Reports the median start.
   */
  async function footprintOf(name: string, db: { path: string; totalKeys: number }): Promise<void> {
    const starts: number[] = [];
    for (let i = 1; i < options.startupRuns; i++) {
      const server = await startOurMock(db.path);
      starts.push(server.startupMs);
      progress(`${server.name} up in ${Math.round(server.startupMs)} ms (pid ${server.pid}, start ${i} of ${options.startupRuns})`);
      await server.stop();
    }
    const server = await ours(name, db.path, async (s) => [
      await measure(
        s,
        { server: 'ours', operation: 'list', stored: `${CALLER_KEYS} of ${db.totalKeys.toLocaleString('en-US')}`, expectedStatus: 200 },
        listKeys,
      ),
    ]);
    footprints.push(footprint(db.path, db.totalKeys, server, measurements.at(-1)!, [...starts, server.startupMs]));
  }

  if (options.startupOnly) {
    await footprintOf('list-large', await buildMockDb(join(workDir, 'large.json'), options.largeStore));
    await footprintOf('list-huge', await buildMockDb(join(workDir, 'huge.json'), options.hugeStore));
  } else if (wants('ours')) {
    await ours('list', freshCopy('ours-list'), async (s) => [
      await measure(s, { server: 'ours', operation: 'list', stored: smallStored, expectedStatus: 200 }, listKeys),
    ]);
    await footprintOf('list-large', await buildMockDb(join(workDir, 'large.json'), options.largeStore));
    await ours('unauthenticated', freshCopy('ours-401'), async (s) => [
      await measure(s, { server: 'ours', operation: 'unauthenticated', stored: smallStored, expectedStatus: 401 }, unauthenticated),
    ]);
    await ours('update', freshCopy('ours-update'), async (s) => [
      await measure(s, { server: 'ours', operation: 'update', stored: smallStored, expectedStatus: 200 }, update),
    ]);
    // The db in a folder of its own: whatever files the store keeps, the folder holds them all.
    const createDir = join(workDir, 'ours-create');
    const atEnd = join(workDir, 'ours-create-at-end');
    mkdirSync(createDir);
    copyFileSync(small.path, join(createDir, 'db.json'));
    let createdRow: Measurement | undefined;
    await ours('create', join(createDir, 'db.json'), async (s) => {
      createdRow = await measure(
        s,
        { server: 'ours', operation: 'create', stored: `${small.totalKeys}+ (file)`, expectedStatus: 201 },
        createKey,
      );
      // What a crash right now would leave: a 201 promises the key is already on disk.
      cpSync(createDir, atEnd, { recursive: true });
      return [createdRow];
    });
    createdRow!.persisted = {
      acknowledged: 1 + created(createdRow!.load),
      found: (await countStoredKeys(join(atEnd, 'db.json'))) - small.totalKeys,
    };
    // The same with many clients at once: group commit shares one append and one fdatasync among them.
    const manyDir = join(workDir, 'ours-create-many');
    mkdirSync(manyDir);
    copyFileSync(small.path, join(manyDir, 'db.json'));
    await ours('create-many', join(manyDir, 'db.json'), async (s) => [
      await measure(
        s,
        { server: 'ours', operation: 'create', stored: `${small.totalKeys}+ (file)`, expectedStatus: 201, connections: MANY_CONNECTIONS },
        createKey,
      ),
    ]);
    const huge = await buildMockDb(join(workDir, 'huge.json'), options.hugeStore);
    await footprintOf('list-huge', huge);

    // Reads of one key while the store compacts the huge store again and again:
    // every append past a 1-byte journal starts a compaction, and one client
    // keeps appending (its creates are a row of their own).
    const compactDir = join(workDir, 'ours-compacting');
    mkdirSync(compactDir);
    copyFileSync(huge.path, join(compactDir, 'db.json'));
    await ours(
      'compacting',
      join(compactDir, 'db.json'),
      async (s) => {
        const creates = sideCreates(s.url, join(compactDir, 'db.json'));
        const stored = `1 of ${huge.totalKeys.toLocaleString('en-US')}`;
        const reads = await measure(s, { server: 'ours', operation: 'list while compacting', stored, expectedStatus: 200 }, listOneKey);
        const side = await creates.stop();
        reads.compactions = side.compactions;
        const ok = side.load.errors === 0 && Object.keys(side.load.statuses).every((code) => code === '201');
        progress(
          `ours compactions completed during the reads: ${side.compactions}; creates meanwhile p99 ${side.load.p99Ms.toFixed(2)} ms`,
        );
        return [
          reads,
          {
            ...reads,
            operation: 'create while compacting',
            request: 'POST /v1/apikeys',
            stored: `${huge.totalKeys.toLocaleString('en-US')}+ (file)`,
            expectedStatus: 201,
            connections: 1,
            load: side.load,
            ok,
          },
        ];
      },
      ['--compact-after', '1'],
    );

    if (options.floodSockets > 0) {
      // Issue 19: the mock as a user starts it (default cap and timeouts), a fresh process of its own.
      const server = await startOurMock(freshCopy('ours-flood'));
      try {
        flood = await floodCheck(server, { sockets: options.floodSockets, seconds: options.floodSeconds, progress });
        progress(`flood: ${floodText(flood)}`);
      } finally {
        await server.stop();
      }
    }

    if (options.crashRounds > 0) {
      progress(
        `crash check: ${options.crashRounds} SIGKILLs under ${CRASH_WRITERS} concurrent creates, ${huge.totalKeys.toLocaleString('en-US')} keys stored`,
      );
      const crashDir = join(workDir, 'ours-crash');
      mkdirSync(crashDir);
      copyFileSync(huge.path, join(crashDir, 'db.json'));
      crash = await crashCheck({
        dbPath: join(crashDir, 'db.json'),
        keys: huge.totalKeys,
        rounds: options.crashRounds,
        writers: CRASH_WRITERS,
        progress,
      });
    }
  }

  if (wants('prism')) {
    await withServer(startPrism, async (s) => {
      const stored = 'examples';
      return [
        await measure(s, { server: 'prism', operation: 'list', stored, expectedStatus: 200 }, listKeys),
        await measure(s, { server: 'prism', operation: 'unauthenticated', stored, expectedStatus: 401 }, unauthenticated),
        await measure(s, { server: 'prism', operation: 'update', stored, expectedStatus: 200 }, update),
        await measure(s, { server: 'prism', operation: 'create', stored, expectedStatus: 201 }, createKey),
      ];
    });
  }

  if (wants('json-server')) {
    const dir = join(workDir, 'json-server');
    mkdirSync(dir);
    const db = join(dir, 'db.json');
    // The same records our list returns, with the `id` json-server routes by.
    writeFileSync(db, JSON.stringify({ apikeys: callerKeys.map((k) => ({ id: k.apiKeyId, ...k })) }, null, 2));
    const { apiKeyId: _, ...record } = callerKeys[0]!;
    await withServer(
      () => startJsonServer(db),
      async (s) => {
        const listed = await measure(
          s,
          { server: 'json-server', operation: 'list', stored: `${CALLER_KEYS} (file)`, expectedStatus: 200 },
          { method: 'GET', path: '/apikeys' },
        );
        const m = await measure(
          s,
          { server: 'json-server', operation: 'create', stored: `${CALLER_KEYS}+ (file)`, expectedStatus: 201 },
          { method: 'POST', path: '/apikeys', body: JSON.stringify(record) },
        );
        m.persisted = { acknowledged: 1 + created(m.load), found: readJson<{ apikeys: unknown[] }>(db).apikeys.length - CALLER_KEYS };
        return [listed, m];
      },
    );
  }

  const { json: _json, cpuProf: _cpuProf, ...shown } = options;
  return { startedAt, finishedAt: new Date().toISOString(), machine, options: shown, measurements, footprints, crash, flood, profiles };
}

/** Issue 13: create durable at 10 and at 100 connections. */
const MANY_CONNECTIONS = 100;
/** Issue 13: SIGKILL under 200 concurrent creates. */
const CRASH_WRITERS = 200;

/** 2xx responses of the measured run plus its warm-up (the probe request is counted by the caller). */
function created(load: LoadResult): number {
  const sum = (statuses: Record<string, number>) => Object.entries(statuses).reduce((n, [s, c]) => (s.startsWith('2') ? n + c : n), 0);
  return sum(load.statuses) + sum(load.warmupStatuses);
}

function footprint(path: string, keys: number, server: RunningServer, m: Measurement, starts: number[]): StoreFootprint {
  const ready = /ready in (\d+) ms/.exec(server.output());
  const sorted = [...starts].sort((a, b) => a - b);
  return {
    keys,
    fileBytes: statSync(path).size,
    startupMs: sorted[Math.floor((sorted.length - 1) / 2)]!,
    startupRunsMs: starts,
    readyMs: ready ? Number(ready[1]) : null,
    peakRssKib: m.peakRssKib,
  };
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}
