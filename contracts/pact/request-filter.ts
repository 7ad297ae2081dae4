import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeFetchError } from '../common/describe-fetch-error.ts';

export interface RequestFilterOptions {
  providerBaseUrl: string;
  /** The raw key the request being verified goes out with. */
  keyFor(): string;
  /** Called for every key a replayed request created (its id and the raw key that made it). */
  onCreated(apiKeyId: string, ownerKey: string): void;
  /** Called when the provider could not be reached at all. */
  onUnreachable(problem: string): void;
  requestTimeoutMs: number;
  fetch?: typeof globalThis.fetch;
}

type Next = (error?: unknown) => void;
/** What pact-js's body parsers leave on the request: parsed JSON, raw bytes, or nothing. */
type ParsedRequest = IncomingMessage & { body?: unknown };

const API_KEY_HEADER = 'x-api-key';
// Set per connection, or by fetch for the body it actually sends or receives.
const HOP_HEADERS = new Set(['connection', 'keep-alive', 'host', 'content-length', 'transfer-encoding', 'content-encoding', 'upgrade']);
// The proxy's own endpoints: state changes and message pacts.
const PROXY_PATHS = ['/_pactSetup', '/_messages'];

/**
 * The verifier proxy's request filter (Express middleware in pact-js), which
 * sends each replayed request to the provider itself rather than handing it
 * to pact-js's http-proxy: that proxy has no error handler, so an unreachable
 * provider crashes the process and leaves the core waiting out its timeouts.
 *
 * 1. The pacts carry an obviously fake `x-api-key`; it is swapped for the real
 *    key of whichever user the interaction needs. A request without the header
 *    (the 401 interaction) stays without it.
 * 2. A replayed create makes a real key on the provider. Its id is read from
 *    any 2xx answer (also a wrong-status one, say 200), so clean-up can
 *    delete it; an error answer names no key of ours, so nothing is read
 *    from it (clean-up never deletes a key the run did not create).
 * 3. A provider that cannot be reached is a 502 with the reason, and reported.
 */
export function createRequestFilter(options: RequestFilterOptions) {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  return (req: ParsedRequest, res: ServerResponse, next: Next): void => {
    if (PROXY_PATHS.some((path) => req.url?.startsWith(path))) {
      next();
      return;
    }
    const ownerKey = options.keyFor();
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_HEADERS.has(name)) continue;
      for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
    }
    if (headers.has(API_KEY_HEADER)) headers.set(API_KEY_HEADER, ownerKey);
    const method = req.method ?? 'GET';
    const url = `${options.providerBaseUrl.replace(/\/+$/, '')}${req.url ?? '/'}`;

    fetchImpl(url, { method, headers, body: bodyOf(req), redirect: 'manual', signal: AbortSignal.timeout(options.requestTimeoutMs) })
      .then(async (response) => {
        const body = Buffer.from(await response.arrayBuffer());
        if (method === 'POST' && response.status >= 200 && response.status < 300) {
          const id = createdKeyId(body, response.headers.get('location'));
          if (id) options.onCreated(id, ownerKey);
        }
        response.headers.forEach((value, name) => {
          if (!HOP_HEADERS.has(name)) res.appendHeader(name, value);
        });
        res.writeHead(response.status).end(body);
      })
      .catch((error: unknown) => {
        const problem = `${method} ${req.url}: ${describeFetchError(error)}`;
        options.onUnreachable(problem);
        res
          .writeHead(502, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: `apikeys-pact-verify could not reach the provider: ${problem}` }));
      });
  };
}

/** The body as the consumer sent it: pact-js has parsed JSON already, so it is serialised again. */
function bodyOf(req: ParsedRequest): Uint8Array<ArrayBuffer> | string | undefined {
  if (req.body === undefined || req.method === 'GET' || req.method === 'HEAD') return undefined;
  // The copy owns a plain ArrayBuffer, which is what fetch's types ask for.
  return Buffer.isBuffer(req.body) ? (new Uint8Array(req.body) as Uint8Array<ArrayBuffer>) : JSON.stringify(req.body);
}

/** The new key's id from the body (`apiKeyMetadata.apiKeyId`), else from `Location`. */
function createdKeyId(body: Buffer, location: string | null): string | undefined {
  try {
    const id = (JSON.parse(body.toString('utf8')) as { apiKeyMetadata?: { apiKeyId?: unknown } } | null)?.apiKeyMetadata?.apiKeyId;
    if (typeof id === 'string' && id !== '') return id;
  } catch {
    // Not JSON: fall back to the Location header.
  }
  const match = location === null ? null : /\/v1\/apikeys\/([^/?#]+)$/.exec(location);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}
