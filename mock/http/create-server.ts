import http, { type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { Logger } from './logger.ts';
import { requestLog } from './request-log.ts';

/**
 * An HTTP server for the app whose protocol-level errors are JSON too: Node
 * answers malformed requests (a newline in a header, headers over its 16 KiB
 * limit) before Express sees them, with an empty body by default.
 */
export function createServer(
  app: Express,
  options: { fast?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean; logger?: Logger } = {},
): Server {
  const { fast } = options;
  const log = options.logger ? requestLog(options.logger) : null;
  // Node's own missing-Host answer has no JSON body: the app answers it instead.
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    log?.(req, res);
    // The fast path answers the common /v1 requests; it declines anything else, untouched.
    if (!fast?.(req, res)) void app(req, res);
  });
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const body = JSON.stringify({
      error: tooLarge ? 'request headers too large' : `malformed HTTP request (${err.code ?? 'parse error'})`,
    });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return server;
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
