import http, { type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errors } from '../service/api-error.ts';
import type { Logger } from './logger.ts';
import { capConnections } from './connection-cap.ts';
import { errorReplier, type ErrorReplier, type PipelineReply, writeReply, writeWhenReady } from './reply.ts';
import { requestLog } from './request-log.ts';
import { checkIntervalMs, DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits.ts';
import type { V1Pipeline } from './v1-pipeline.ts';

export interface ServerOptions {
  /** The `/v1` pipeline: answered straight from node:http, without Express's per-request cost. */
  v1?: V1Pipeline;
  logger?: Logger;
  limits?: Partial<ServerLimits>;
  /** Secrets the request log must never show (the control-plane token). */
  secrets?: string[];
  /** The mock's error-body writer (createMock's `errorReply`); default: `{"error": message}`. */
  errorReply?: ErrorReplier;
}

/**
 * The node:http adapter: `/v1` requests go to the one pipeline and its reply is
 * written as is; everything else (control plane, 404, a missing Host) to
 * `fallback` (the Express app). Protocol-level answers Node would give itself — malformed requests,
 * headers over 16 KiB, timeouts, an unsupported `Expect` — are JSON from the
 * catalog too.
 */
export function createServer(fallback: RequestListener, options: ServerOptions = {}): Server {
  const { v1, errorReply = errorReplier() } = options;
  const limits = { ...DEFAULT_SERVER_LIMITS, ...options.limits };
  const log = options.logger ? requestLog(options.logger, options.secrets) : null;
  const server = http.createServer(
    {
      // Node's own missing-Host answer has no JSON body: the app answers it instead.
      requireHostHeader: false,
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.keepAliveTimeoutMs,
      connectionsCheckingInterval: checkIntervalMs(limits),
    },
    (req, res) => {
      log?.(req, res);
      const reply = req.headers.host === undefined ? null : v1?.(req);
      if (!reply) fallback(req, res);
      else writeWhenReady(req, res, reply)?.catch((error: unknown) => fail(res, error));
    },
  );
  capConnections(server, limits.maxConnections, (socket: Socket) => {
    // Flushed, then closed: the evicted client reads why, and its socket is gone at once.
    if (!socket.writable) return void socket.destroy();
    socket.end(rawReply(errorReply(errors.connectionEvicted(limits.maxConnections))), () => socket.destroy());
  });
  const fail = (res: ServerResponse, error: unknown) => {
    options.logger?.error(`cannot write a reply: ${(error as Error)?.stack ?? String(error)}`);
    res.destroy();
  };
  // Without this listener Node answers any Expect but 100-continue with a bare 417.
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    log?.(req, res);
    writeReply(req, res, errorReply(errors.expectationFailed(req.headers.expect ?? '')));
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const error =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? errors.requestTimeout(limits.headersTimeoutMs, limits.requestTimeoutMs)
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? errors.headersTooLarge()
          : errors.malformedRequest(err.code ?? 'parse error');
    socket.end(rawReply(errorReply(error)));
  });
  return server;
}

/** A reply as bytes for a socket Node has taken away from the HTTP layer; the connection closes after it. */
function rawReply(reply: PipelineReply): string {
  const body = reply.body ?? '';
  const head = [
    `HTTP/1.1 ${reply.status} ${http.STATUS_CODES[reply.status] ?? ''}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(reply.headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

/** Listens and resolves with the bound port (pass 0 for a free one). */
export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Stops accepting, ends idle keep-alive sockets, waits for in-flight requests. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}
