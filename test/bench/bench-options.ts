import { parseArgs } from 'node:util';

export const SERVERS = ['ours', 'prism', 'json-server', 'bare'] as const;
export type ServerName = (typeof SERVERS)[number];

export interface BenchOptions {
  /** Measured seconds per measurement. */
  durationS: number;
  /** Warm-up seconds before each measurement (thrown away). */
  warmupS: number;
  /** The same for every server. */
  connections: number;
  /** The "many keys" store listed by one user (issue: 10,000). */
  largeStore: number;
  /** The store whose RSS and start-up time are reported (issue: 100,000). */
  hugeStore: number;
  /** SIGKILL rounds of the crash check on the huge store (issue: 20). */
  crashRounds: number;
  /** Slow-header connections of the flood row (issue 19: 2,000; 0 = skip). */
  floodSockets: number;
  /** Seconds the ordinary client runs beside the flood. */
  floodSeconds: number;
  json?: string;
  /** Write a V8 CPU profile of each of our mock's processes into this folder. */
  cpuProf?: string;
  /** Only our mock's start-up rows: the large and the huge store, each started `startupRuns` times. */
  startupOnly: boolean;
  /** Starts per store in the start-up rows; the median is reported (default 1; 3 with --startup-only). */
  startupRuns: number;
  servers: ServerName[];
}

export const USAGE = `Usage: npm run bench -- [options]

Benchmarks the stateful mock against Prism, json-server and a bare node:http
server, all on 127.0.0.1, each as its own process, with autocannon.

  --duration <s>      measured seconds per measurement (default 8)
  --warmup <s>        warm-up seconds before each (default 1; 0 = none)
  --connections <n>   concurrent connections, the same for every server (default 10)
  --large-store <n>   keys in the store for "list one user's 10 of many" (default 10000)
  --huge-store <n>    keys in the store for peak RSS and start-up time (default 100000)
  --crash-rounds <n>  SIGKILLs under 200 concurrent creates on the huge store
                      (default 20; 0 = skip the crash check)
  --flood-sockets <n> connections trickling header bytes (1 byte/s) while an
                      ordinary client lists keys every 250 ms (default 2000; 0 = skip)
  --flood-seconds <s> how long the ordinary client runs beside them (default 15)
  --only <list>       comma-separated subset of: ${SERVERS.join(', ')}
  --json <file>       also write the results as JSON
  --cpu-prof <dir>    run our mock under node --cpu-prof, profiles into <dir>,
                      and print where its time goes
  --startup-only      only our mock's start-up rows (large and huge store:
                      spawn → listening, peak RSS), nothing else
  --startup-runs <n>  starts per store in those rows, the median reported
                      (default 1, or 3 with --startup-only)
  --help`;

export class BenchUsageError extends Error {
  override name = 'BenchUsageError';
}

/**
 * Parses the benchmark's flags; a bad one names itself and what it accepts.
 *
 * @example
 * parseBenchOptions(['--duration', '2', '--only', 'ours,bare']);
 */
export function parseBenchOptions(argv: string[]): BenchOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        duration: { type: 'string', default: '8' },
        warmup: { type: 'string', default: '1' },
        connections: { type: 'string', default: '10' },
        'large-store': { type: 'string', default: '10000' },
        'huge-store': { type: 'string', default: '100000' },
        'crash-rounds': { type: 'string', default: '20' },
        'flood-sockets': { type: 'string', default: '2000' },
        'flood-seconds': { type: 'string', default: '15' },
        only: { type: 'string', default: SERVERS.join(',') },
        json: { type: 'string' },
        'cpu-prof': { type: 'string' },
        'startup-only': { type: 'boolean', default: false },
        'startup-runs': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
  if (values.help) return 'help';
  const servers = values.only.split(',').map((s) => s.trim());
  const unknown = servers.filter((s) => !(SERVERS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new BenchUsageError(`--only: unknown server ${unknown.join(', ')}; choose from ${SERVERS.join(', ')}`);
  return {
    durationS: number('--duration', values.duration, { min: 0.1 }),
    warmupS: number('--warmup', values.warmup, { min: 0 }),
    connections: number('--connections', values.connections, { min: 1, integer: true }),
    largeStore: number('--large-store', values['large-store'], { min: 20, integer: true }),
    hugeStore: number('--huge-store', values['huge-store'], { min: 20, integer: true }),
    crashRounds: number('--crash-rounds', values['crash-rounds'], { min: 0, integer: true }),
    floodSockets: number('--flood-sockets', values['flood-sockets'], { min: 0, integer: true }),
    floodSeconds: number('--flood-seconds', values['flood-seconds'], { min: 1 }),
    json: values.json,
    cpuProf: values['cpu-prof'],
    startupOnly: values['startup-only'],
    startupRuns: number('--startup-runs', values['startup-runs'] ?? (values['startup-only'] ? '3' : '1'), { min: 1, integer: true }),
    servers: values['startup-only'] ? ['ours'] : (servers as ServerName[]),
  };
}

function number(flag: string, text: string, rule: { min: number; integer?: boolean }): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < rule.min || (rule.integer && !Number.isInteger(value))) {
    throw new BenchUsageError(`${flag} must be ${rule.integer ? 'an integer' : 'a number'} ≥ ${rule.min}, got "${text}"`);
  }
  return value;
}
