import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as a client put it on the wire, and the answer it got. */
export interface Exchange {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  response: { status: number; headers: IncomingHttpHeaders; body: string };
  /** The body the client got instead, when `rewrite` changed the server's answer. */
  delivered?: string;
}

/** Returns a different answer body for the client, or undefined to pass the server's on unchanged. */
export type Rewrite = (exchange: Exchange) => string | undefined;

/**
 * A pass-through HTTP proxy on 127.0.0.1:0 in front of `target` that records every exchange
 * byte for byte, in order: what an SDK really sends (headers, field names, nulls, content
 * type) and what it really got back, for the tests to hold against the spec. `rewrite` lets
 * a test hand the client an answer the server would never give (e.g. an unknown field), to
 * see what the client does with it.
 */
export async function recordingProxy(target: string, rewrite?: Rewrite) {
  const exchanges: Exchange[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.rawHeaders },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const answerBody = Buffer.concat(answerChunks);
            const exchange: Exchange = {
              method: req.method ?? '',
              url: req.url ?? '',
              headers: req.headers,
              body: body.toString('utf8'),
              response: { status: answer.statusCode ?? 0, headers: answer.headers, body: answerBody.toString('utf8') },
            };
            exchange.delivered = rewrite?.(exchange);
            exchanges.push(exchange);
            if (exchange.delivered === undefined) {
              // raw headers: names and order exactly as the server wrote them
              res.writeHead(answer.statusCode ?? 502, answer.rawHeaders).end(answerBody);
              return;
            }
            const delivered = Buffer.from(exchange.delivered, 'utf8');
            const headers = answer.rawHeaders.flatMap((value, i, all) =>
              i % 2 === 0 && value.toLowerCase() !== 'content-length' ? [value, all[i + 1]!] : [],
            );
            res.writeHead(answer.statusCode ?? 502, [...headers, 'Content-Length', String(delivered.length)]).end(delivered);
          });
        },
      );
      forward.on('error', (error) =>
        res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: String(error) })),
      );
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
