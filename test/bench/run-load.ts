import autocannon, { type Request, type Result } from 'autocannon';

export interface LoadRequest {
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  headers?: Record<string, string>;
  /** A fixed body, or one per request (n counts from 0 on each connection's iterator). */
  body?: string | ((n: number) => string);
}

export interface LoadOptions {
  url: string;
  request: LoadRequest;
  connections: number;
  durationS: number;
  /** A run before the measured one whose results are thrown away (JIT, caches, sockets). */
  warmupS: number;
}

export interface LoadResult {
  requests: number;
  requestsPerS: number;
  /** Exact percentiles of every response's latency in ms (autocannon's histogram rounds to whole ms). */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** status → count, e.g. { "200": 51234 } */
  statuses: Record<string, number>;
  /** The same for the warm-up (creates count these too: each is a stored key). */
  warmupStatuses: Record<string, number>;
  errors: number;
  timeouts: number;
  durationS: number;
}

/**
 * Runs autocannon against one server: a warm-up, then the measured run with
 * `connections` keep-alive connections, one request in flight on each.
 *
 * @example
 * const r = await runLoad({ url, request: { method: 'GET', path: '/v1/apikeys' }, connections: 10, durationS: 8, warmupS: 1 });
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const warmup = options.warmupS > 0 ? await cannon(options, options.warmupS, null) : null;
  const latencies: number[] = [];
  const result = await cannon(options, options.durationS, latencies);
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerS: latencies.length / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    statuses: countsOf(result),
    warmupStatuses: warmup ? countsOf(warmup) : {},
    errors: result.errors,
    timeouts: result.timeouts,
    durationS: result.duration,
  };
}

function cannon(options: LoadOptions, durationS: number, latencies: number[] | null): Promise<Result> {
  const { method, path, headers = {}, body } = options.request;
  const request: Request = { method, path, headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers } };
  if (typeof body === 'string') request.body = body;
  if (typeof body === 'function') {
    let n = 0;
    request.setupRequest = (req) => ({ ...req, body: body(n++) });
  }
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      // autocannon stops at the first sample tick after `duration`: tick often, so a run lasts what it says.
      {
        url: options.url,
        connections: options.connections,
        duration: durationS,
        sampleInt: 100,
        pipelining: 1,
        timeout: 10,
        requests: [request],
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (latencies) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  });
}

function countsOf(result: Result): Record<string, number> {
  return Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, count]));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
