import type { Server } from 'node:http';
import { createMock, type MockOptions } from './create-mock.ts';
import { closeServer, createServer, listen } from './http/create-server.ts';
import type { ServerLimits } from './http/server-limits.ts';
import { DEV_KEYS } from './seed/default-seed.ts';

export interface StartMockOptions extends MockOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Timeouts and the connection cap (default: the CLI's defaults). */
  limits?: Partial<ServerLimits>;
}

/**
 * The node:http server of a mock, not yet listening: /v1 through the one pipeline, the rest
 * through its Express app (built on first use), every protocol-level error in the mock's
 * chosen shape, its control-plane token kept out of the log. The CLI and startMock both use it.
 */
export function createMockServer(mock: Awaited<ReturnType<typeof createMock>>, limits?: Partial<ServerLimits>): Server {
  return createServer((req, res) => mock.app(req, res), {
    v1: mock.v1,
    logger: mock.logger,
    limits,
    secrets: mock.adminToken ? [mock.adminToken] : [],
    errorReply: mock.errorReply,
  });
}

/**
 * Builds the mock and listens on loopback: for tests and tools that need a URL.
 * In-memory and silent unless told otherwise.
 *
 * @example
 * const mock = await startMock();
 * await fetch(`${mock.url}/v1/apikeys`, { headers: { 'x-api-key': mock.devKeys.alice } });
 * await mock.close();
 */
export async function startMock(options: StartMockOptions = {}) {
  const mock = await createMock({ inMemory: options.dbPath === undefined, logLevel: 'silent', ...options });
  const server = createMockServer(mock, options.limits);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, options.port ?? 0, host);
  return {
    ...mock,
    server,
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    adminToken: mock.adminToken ?? '',
    devKeys: DEV_KEYS,
    async close() {
      await closeServer(server);
      await mock.store.close();
    },
  };
}

export type RunningMock = Awaited<ReturnType<typeof startMock>>;
