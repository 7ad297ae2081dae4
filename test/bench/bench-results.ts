import { cpus, loadavg, release, totalmem } from 'node:os';
import type { BenchOptions, ServerName } from './bench-options.ts';
import type { LoadResult } from './run-load.ts';

export type Operation = 'list' | 'create' | 'update' | 'unauthenticated' | 'list while compacting' | 'create while compacting';

export interface Measurement {
  server: ServerName;
  operation: Operation;
  /** Method and path template, e.g. "PUT /v1/apikeys/{id}". */
  request: string;
  /** Keys the response lists of those stored, e.g. "10 of 10,000". */
  stored: string;
  expectedStatus: number;
  /** Concurrent connections of this row (the run's --connections unless the row says otherwise). */
  connections: number;
  load: LoadResult;
  /** Rows measured while the store compacted: compactions that completed during the row. */
  compactions?: number;
  /** Every response had the expected status and no request failed. */
  ok: boolean;
  /**
   * For creates: 2xx responses (probe, warm-up, measured) against the records
   * the store gained, as found on disk the moment the load ended (ours: a fresh
   * mock started on a copy of its db folder, so whatever files the store keeps
   * are counted by its own loader). Durable when found ≥ acknowledged; found may
   * exceed it by the requests still in flight when autocannon stopped.
   */
  persisted?: { acknowledged: number; found: number };
  /** The server process's peak RSS (VmHWM) when its last measurement ended, KiB. */
  peakRssKib: number | null;
  startupMs: number;
  pid: number;
}

/** Our mock with a big store: what it costs to hold and to load. */
export interface StoreFootprint {
  keys: number;
  fileBytes: number;
  /** Spawn → "listening" line: the median of `startupRunsMs`. */
  startupMs: number;
  /** Every start measured (--startup-runs), in order. */
  startupRunsMs: number[];
  /** The CLI's own "ready in" (store load and wiring, without starting node and compiling TypeScript). */
  readyMs: number | null;
  peakRssKib: number | null;
}

export interface Machine {
  cpu: string;
  cpus: number;
  memoryGiB: number;
  node: string;
  kernel: string;
  /** Other work on the machine makes numbers noisy: this says how busy it was. */
  loadAverageAtStart: number[];
}

export interface BenchResults {
  startedAt: string;
  finishedAt: string;
  machine: Machine;
  options: Omit<BenchOptions, 'json' | 'cpuProf'>;
  measurements: Measurement[];
  footprints: StoreFootprint[];
  /** SIGKILL rounds under concurrent creates on the huge store; null when skipped. */
  crash: CrashCheck | null;
  /** Ordinary requests beside a flood of slow-header connections; null when skipped. */
  flood: FloodCheck | null;
  /** One folder of .cpuprofile files (one per thread) per process of our mock, with --cpu-prof. */
  profiles: string[];
}

export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
  };
}

/** Acknowledged creates against what the store's own loader finds right after each SIGKILL. */
export interface CrashCheck {
  keys: number;
  rounds: number;
  writers: number;
  acknowledged: number;
  /** Acknowledged creates missing from the store after the kill. */
  lost: number;
  /** Rounds after which the loader could not read the store. */
  unreadable: number;
  /** Rounds that left a torn last journal line (a kill mid-append; ignored by the loader). */
  torn: number;
}

/** Issue 19 item 4: ordinary requests while many connections trickle their headers (flood-check.ts). */
export interface FloodCheck {
  slowSockets: number;
  seconds: number;
  /** Slow connections still open when the ordinary client stopped (the mock keeps at most its cap). */
  slowOpenAtEnd: number;
  /** Slow connections the mock closed (each reopened a second later), and of those, how many read a 408 first. */
  slowClosedByServer: number;
  slowAnswered408: number;
  /** The ordinary client: one list every 250 ms on a new connection. */
  ordinary: {
    sent: number;
    answered: number;
    unanswered: number;
    statuses: Record<string, number>;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
  };
  /** 10 MiB uploads, one a second: each must be refused with 413. */
  uploads: { sent: number; statuses: Record<string, number> };
  /** The mock's peak RSS (VmHWM) at the end, KiB. */
  peakRssKib: number | null;
}
