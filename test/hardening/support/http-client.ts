import http from 'node:http';
import { onTestFinished } from 'vitest';

export interface SendOptions {
  method?: string;
  /** Sent verbatim (no URL normalisation), so `..` and odd encodings reach the server as written. */
  path: string;
  headers?: http.OutgoingHttpHeaders;
  /** A string or Buffer is sent as is; anything else as JSON with `Content-Type: application/json`. */
  body?: unknown;
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Header names and values as received, in order. */
  rawHeaders: string[];
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

/**
 * A tiny HTTP client over node:http for a server on loopback. Unlike fetch it
 * neither normalises paths nor folds repeated headers, and it never throws for
 * a status: the tests look at exactly what the server answered.
 */
export function httpClient(baseUrl: string) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  onTestFinished(() => agent.destroy());

  function send({ method = 'GET', path, headers = {}, body }: SendOptions): Promise<Reply> {
    let payload: string | Buffer | undefined;
    const allHeaders: http.OutgoingHttpHeaders = { ...headers };
    if (typeof body === 'string' || Buffer.isBuffer(body)) payload = body;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      allHeaders['content-type'] ??= 'application/json';
    }
    // A caller that sets Transfer-Encoding gets a chunked body (Node adds no Content-Length then).
    if (payload !== undefined && allHeaders['transfer-encoding'] === undefined) allHeaders['content-length'] = Buffer.byteLength(payload);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method, path, headers: allHeaders, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, rawHeaders: res.rawHeaders, text, json: parseJson(text) });
        });
      });
      req.on('error', reject);
      req.end(payload);
    });
  }

  return { send, agent };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
