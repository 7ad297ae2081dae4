import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request and the real provider's answer, which a breakage may change in place. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Breakage {
  /** Answers a request itself, or hangs up (`'drop'`), never passing it on: a provider that fails before it acts. */
  refuse?(request: { method: string; path: string }): { status: number; body: string } | 'drop' | undefined;
  /** Spoils the real provider's answer in place. */
  spoil?(exchange: Exchange): void;
}

// Recomputed by Node for the body as sent; a stale one would corrupt the answer.
const HOP_HEADERS = new Set(['connection', 'content-length', 'content-encoding', 'transfer-encoding', 'keep-alive', 'host']);

/**
 * A deliberately broken provider: a proxy on 127.0.0.1 (free port) that passes
 * every request to `targetUrl` and lets `breakage` spoil the answer. Keys are
 * still really made and deleted behind it, so cleanup can be checked too.
 */
export async function startBrokenProvider(targetUrl: string, breakage: Breakage) {
  const server = createServer((req, res) => {
    const refused = breakage.refuse?.({ method: req.method ?? 'GET', path: new URL(req.url ?? '/', targetUrl).pathname });
    if (refused === 'drop') {
      req.socket.destroy();
      return;
    }
    if (refused) {
      res.writeHead(refused.status, { 'content-type': 'application/json' }).end(refused.body);
      return;
    }
    void forward(req).then(
      (exchange) => {
        breakage.spoil?.(exchange);
        res.writeHead(exchange.status, exchange.headers).end(exchange.body);
      },
      (error: unknown) => res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };

  async function forward(req: IncomingMessage): Promise<Exchange> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && !HOP_HEADERS.has(entry[0])),
    );
    const method = req.method ?? 'GET';
    const response = await fetch(new URL(req.url ?? '/', targetUrl), {
      method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const answerHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!HOP_HEADERS.has(name)) answerHeaders[name] = value;
    });
    return {
      method,
      path: new URL(req.url ?? '/', targetUrl).pathname,
      status: response.status,
      headers: answerHeaders,
      body: await response.text(),
    };
  }
}
