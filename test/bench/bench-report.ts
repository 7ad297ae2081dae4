import type { ServerName } from './bench-options.ts';
import type { BenchResults, CrashCheck, FloodCheck, Measurement, Operation } from './bench-results.ts';

export interface Ratio {
  operation: Operation;
  stored: string;
  ours: number;
  /** ours req/s ÷ theirs req/s; null when not measured. */
  vsPrism: number | null;
  vsJsonServer: number | null;
  vsBare: number | null;
}

export interface Target {
  name: string;
  /** null: not measured in this run (a server left out with --only). */
  met: boolean | null;
  measured: string;
}

/** The issue's comparisons: every one of our measurements against the same operation elsewhere. */
export function ratiosOf(results: BenchResults): Ratio[] {
  const find = (server: ServerName, operation: Operation) =>
    results.measurements.find((m) => m.server === server && m.operation === operation);
  const bare = find('bare', 'list');
  const vs = (ours: Measurement, theirs: Measurement | undefined) => (theirs ? ours.load.requestsPerS / theirs.load.requestsPerS : null);
  return results.measurements
    .filter((m) => m.server === 'ours')
    .map((m) => ({
      operation: m.operation,
      stored: m.stored,
      ours: m.load.requestsPerS,
      vsPrism: vs(m, find('prism', m.operation)),
      vsJsonServer: vs(m, find('json-server', m.operation)),
      vsBare: vs(m, bare),
    }));
}

/** The issues' targets (6: the HTTP path; 13: the store), each met, missed, or not measured in this run. */
export function targetsOf(results: BenchResults): Target[] {
  const ours = results.measurements.filter((m) => m.server === 'ours');
  const lists = ours.filter((m) => m.operation === 'list').sort((a, b) => storedCount(a) - storedCount(b));
  const listSmall = lists[0];
  const listHuge = lists.length > 1 ? lists.at(-1) : undefined;
  const creates = ours.filter((m) => m.operation === 'create');
  const create = creates.find((m) => m.connections === results.options.connections);
  const prism = results.measurements.find((m) => m.server === 'prism' && m.operation === 'list');
  const prismCreate = results.measurements.find((m) => m.server === 'prism' && m.operation === 'create');
  const jsonCreate = results.measurements.find((m) => m.server === 'json-server' && m.operation === 'create');
  const bare = results.measurements.find((m) => m.server === 'bare');
  const compactingReads = ours.find((m) => m.operation === 'list while compacting');
  const compactingCreates = ours.find((m) => m.operation === 'create while compacting');
  const huge = results.footprints.length > 0 ? results.footprints.reduce((a, b) => (b.keys > a.keys ? b : a)) : undefined;
  const rps = (m: Measurement) => m.load.requestsPerS;
  const targets: Target[] = [];
  const add = (name: string, parts: (Measurement | undefined)[], test: () => [boolean, string]) => {
    if (parts.some((p) => !p)) targets.push({ name, met: null, measured: 'not measured' });
    else {
      const [met, measured] = test();
      targets.push({ name, met: met && parts.every((p) => p!.ok), measured });
    }
  };
  const conns = create ? ` at ${create.connections} connections` : '';
  add('list ≥ 3× Prism', [listSmall, prism], () => [rps(listSmall!) >= 3 * rps(prism!), `${fix(rps(listSmall!) / rps(prism!))}×`]);
  add('list ≥ 40% of bare node:http', [listSmall, bare], () => [
    rps(listSmall!) >= 0.4 * rps(bare!),
    `${pct(rps(listSmall!) / rps(bare!))}`,
  ]);
  add(`create, durable, ≥ 5,000 req/s${conns}`, [create], () => [rps(create!) >= 5000, `${int(rps(create!))} req/s`]);
  add(`create p99 ≤ 10 ms${conns}`, [create], () => [create!.load.p99Ms <= 10, `${fix(create!.load.p99Ms)} ms`]);
  add('create ≥ 5× json-server', [create, jsonCreate], () => [
    rps(create!) >= 5 * rps(jsonCreate!),
    `${fix(rps(create!) / rps(jsonCreate!))}×`,
  ]);
  add('create ≥ 2× Prism (stateless)', [create, prismCreate], () => [
    rps(create!) >= 2 * rps(prismCreate!),
    `${fix(rps(create!) / rps(prismCreate!))}×`,
  ]);
  for (const m of creates.filter((c) => c.persisted)) {
    add(`create: every 2xx on disk (${m.connections} connections)`, [m], () => [
      m.persisted!.found >= m.persisted!.acknowledged,
      persistedText(m),
    ]);
  }
  add(`list of 10: ${listHuge?.stored ?? 'many'} ≥ 90% of ${listSmall?.stored ?? 'few'}`, [listSmall, listHuge], () => {
    const r = rps(listHuge!) / rps(listSmall!);
    return [r >= 0.9, `${pct(r)} of the req/s`];
  });
  add('no p99 above 50 ms while compacting the huge store', [compactingReads, compactingCreates], () => [
    compactingReads!.load.p99Ms <= 50 && compactingCreates!.load.p99Ms <= 50 && (compactingReads!.compactions ?? 0) > 0,
    `reads ${fix(compactingReads!.load.p99Ms)} ms, creates ${fix(compactingCreates!.load.p99Ms)} ms, ${compactingReads!.compactions ?? 0} compactions`,
  ]);
  if (!huge) {
    targets.push({ name: 'start-up with the huge store ≤ 1 s', met: null, measured: 'not measured' });
    targets.push({ name: 'RSS with the huge store ≤ 250 MiB', met: null, measured: 'not measured' });
  } else {
    const ready = huge.readyMs === null ? '' : ` (the CLI's own "ready in": ${int(huge.readyMs)} ms)`;
    targets.push({
      name: `start-up with ${int(huge.keys)} keys ≤ 1 s (spawn → listening)`,
      met: huge.startupMs <= 1000,
      measured: `${int(huge.startupMs)} ms${ready}`,
    });
    targets.push({
      name: `RSS with ${int(huge.keys)} keys ≤ 250 MiB`,
      met: huge.peakRssKib === null ? null : huge.peakRssKib <= 250 * 1024,
      measured: huge.peakRssKib === null ? '?' : `${int(huge.peakRssKib / 1024)} MiB`,
    });
  }
  const flood = results.flood;
  const floodTarget = `ordinary requests under ${flood ? int(flood.slowSockets) : '2,000'} slow-header connections: 0 unanswered, p99 < 1 s`;
  targets.push(
    flood
      ? {
          name: floodTarget,
          met: flood.ordinary.unanswered === 0 && flood.ordinary.statuses['200'] === flood.ordinary.sent && flood.ordinary.p99Ms < 1000,
          measured: `${int(flood.ordinary.unanswered)} of ${int(flood.ordinary.sent)} unanswered, p99 ${fix(flood.ordinary.p99Ms)} ms, peak RSS ${flood.peakRssKib === null ? '?' : `${int(flood.peakRssKib / 1024)} MiB`}`,
        }
      : { name: floodTarget, met: null, measured: 'not measured' },
  );
  const crash = results.crash;
  targets.push(
    crash
      ? {
          name: `SIGKILL under ${crash.writers} concurrent creates, 20 rounds: 0 lost, 0 unreadable`,
          met: crash.rounds >= 20 && crash.lost === 0 && crash.unreadable === 0,
          measured: crashText(crash),
        }
      : { name: 'SIGKILL under 200 concurrent creates, 20 rounds: 0 lost, 0 unreadable', met: null, measured: 'not measured' },
  );
  return targets;
}

function storedCount(m: Measurement): number {
  return Number(/of ([\d,]+)/.exec(m.stored)?.[1]?.replaceAll(',', '') ?? 0);
}

function crashText(c: CrashCheck): string {
  return `${c.rounds} rounds at ${int(c.keys)} keys: ${int(c.acknowledged)} acknowledged, ${int(c.lost)} lost, ${c.unreadable} unreadable, ${c.torn} torn last lines ignored`;
}

/** The tables printed at the end of a run (fixed-width text, also fine in a README code block). */
export function formatReport(results: BenchResults): string {
  const { machine, options } = results;
  const out: string[] = [];
  out.push(
    `apikeys mock benchmark, ${results.startedAt} → ${results.finishedAt}`,
    `machine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}, node ${machine.node}; load average at start ${machine.loadAverageAtStart.join(' ')}`,
    `autocannon: ${options.connections} connections, pipelining 1, ${options.warmupS} s warm-up + ${options.durationS} s per row, loopback, one server process at a time`,
    '',
  );
  out.push(
    table(
      ['server', 'operation', 'request', 'keys listed of stored', 'conns', 'req/s', 'p50 ms', 'p99 ms', 'statuses', 'peak RSS'],
      results.measurements.map((m) => [
        m.server,
        m.operation,
        m.request,
        m.compactions === undefined ? m.stored : `${m.stored} (${m.compactions} compactions)`,
        String(m.connections),
        int(m.load.requestsPerS),
        fix(m.load.p50Ms),
        fix(m.load.p99Ms),
        statusText(m),
        m.peakRssKib === null ? '?' : `${int(m.peakRssKib / 1024)} MiB`,
      ]),
    ),
    '',
  );
  const ratios = ratiosOf(results);
  if (ratios.length > 0) {
    const x = (r: number | null) => (r === null ? '–' : `${fix(r)}×`);
    out.push(
      'ours ÷ theirs (req/s, same operation; bare = the fixed-JSON ceiling)',
      table(
        ['operation', 'keys listed of stored', 'ours req/s', 'ours/Prism', 'ours/json-server', 'ours/bare'],
        ratios.map((r) => [r.operation, r.stored, int(r.ours), x(r.vsPrism), x(r.vsJsonServer), x(r.vsBare)]),
      ),
      '',
    );
  }
  if (results.footprints.length > 0) {
    out.push(
      'our mock with many keys in its JSON file',
      table(
        ['keys stored', 'file', 'start-up (spawn → listening)', 'of which the CLI’s "ready in"', 'peak RSS (VmHWM, after the list load)'],
        results.footprints.map((f) => [
          int(f.keys),
          `${fix(f.fileBytes / 2 ** 20)} MiB`,
          `${int(f.startupMs)} ms${f.startupRunsMs.length > 1 ? ` (median of ${f.startupRunsMs.map(int).join(', ')})` : ''}`,
          f.readyMs === null ? '?' : `${int(f.readyMs)} ms`,
          f.peakRssKib === null ? '?' : `${int(f.peakRssKib / 1024)} MiB`,
        ]),
      ),
      '',
    );
  }
  const persisted = results.measurements.filter((m) => m.persisted);
  for (const m of persisted) out.push(`${m.server} create: ${persistedText(m)}`);
  if (persisted.length > 0) out.push('');
  if (results.crash) out.push(`crash check (SIGKILL under ${results.crash.writers} concurrent creates): ${crashText(results.crash)}`, '');
  if (results.flood) out.push(`flood (issue 19): ${floodText(results.flood)}`, '');
  out.push(
    'targets (issues 6, 13 and 19)',
    table(
      ['target', 'measured', 'result'],
      targetsOf(results).map((t) => [t.name, t.measured, t.met === null ? 'not measured' : t.met ? 'met' : 'MISSED']),
    ),
  );
  return out.join('\n');
}

/** The flood row as one line: what ran, what the ordinary client got, what the mock held. */
export function floodText(f: FloodCheck): string {
  const counts = (statuses: Record<string, number>) =>
    Object.entries(statuses)
      .map(([status, n]) => `${int(n)}× ${status}`)
      .join(', ') || 'none';
  return [
    `${int(f.slowSockets)} connections sending header bytes at 1 byte/s (reopened 1 s after the mock closes one), ${f.seconds} s`,
    `ordinary list every 250 ms on a new connection: ${int(f.ordinary.sent)} sent, ${int(f.ordinary.answered)} answered (${counts(f.ordinary.statuses)}), ${int(f.ordinary.unanswered)} unanswered, p50 ${fix(f.ordinary.p50Ms)} ms, p99 ${fix(f.ordinary.p99Ms)} ms, max ${fix(f.ordinary.maxMs)} ms`,
    `10 MiB uploads: ${int(f.uploads.sent)} sent (${counts(f.uploads.statuses)})`,
    `slow connections closed by the mock ${int(f.slowClosedByServer)} (${int(f.slowAnswered408)} read a 408 first), open at the end ${int(f.slowOpenAtEnd)}`,
    `mock peak RSS ${f.peakRssKib === null ? '?' : `${int(f.peakRssKib / 1024)} MiB`}`,
  ].join('; ');
}

function persistedText(m: Measurement): string {
  const p = m.persisted!;
  return `${int(p.acknowledged)} acknowledged (2xx), ${int(p.found)} new records on disk when the load ended${p.found >= p.acknowledged ? '' : ' — LOST WRITES'}`;
}

function statusText(m: Measurement): string {
  const codes = Object.entries(m.load.statuses).map(([s, n]) => (Number(s) === m.expectedStatus ? s : `${s}×${n}`));
  const failures = m.load.errors + m.load.timeouts > 0 ? ` errors ${m.load.errors + m.load.timeouts}` : '';
  return `${codes.join(' ')}${failures}${m.ok ? '' : ' (UNEXPECTED)'}`;
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d,.×%–?]+( \w+)?$/.test(r[i] ?? '')));
  const line = (cells: string[]) => `| ${cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric[i] ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const fix = (n: number) => (n >= 100 ? int(n) : n.toFixed(n >= 10 ? 1 : 2));
const pct = (r: number) => `${Math.round(r * 100)}%`;
