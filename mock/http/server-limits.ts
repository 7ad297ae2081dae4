/**
 * How long a client may take and how many connections it may hold (docs/mock-behaviour.md
 * "Guarantees for every request"). Node's defaults (60 s for headers, 300 s per request, checked
 * every 30 s, no connection cap) let slow or idle clients pin the process.
 */
export interface ServerLimits {
  /** The request headers must be in within this many ms of the first byte, else 408. */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must be in within this many ms, else 408. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this many ms. */
  keepAliveTimeoutMs: number;
  /**
   * At most this many open connections. A new one past it closes the oldest
   * that has sent no complete request (a 408), else the longest-idle
   * keep-alive one; only when all have a request in progress is the new one
   * closed at once (connection-cap.ts says why).
   */
  maxConnections: number;
}

export const DEFAULT_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
};

/** How often the timeouts are checked: a timed-out request is answered within its timeout plus this. */
export function checkIntervalMs(limits: ServerLimits): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}
