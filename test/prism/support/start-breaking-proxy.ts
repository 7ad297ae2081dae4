import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadSpec } from '../../../contracts/openapi/load-spec.ts';

// Framing headers belong to one connection: fetch and http.ServerResponse set their own.
const HOP_BY_HOP = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'expect', 'upgrade']);

/** An upstream answer, as the breaking proxy may rewrite it. */
export interface UpstreamAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The header that picks a break for one request; Prism forwards it unchanged. */
export const BREAK_HEADER = 'x-break-response';

/**
 * Ways to break a correct answer of the mock, each the kind of slip a real
 * server makes. Named so a test can ask for one per request.
 */
export const BREAKS = {
  /** The first `createdAt` becomes an ISO date string (the contract says integer ms). */
  'timestamp-as-string': (a) => ({ ...a, body: rewriteJson(a.body, 'createdAt', (v) => new Date(Number(v)).toISOString()) }),
  /** The first `updatedById` is dropped (a required field). */
  'missing-required-field': (a) => ({ ...a, body: rewriteJson(a.body, 'updatedById', () => undefined) }),
  /** `Location` without the `/v1` prefix. */
  'bad-location': (a) => ({ ...a, headers: { ...a.headers, location: String(a.headers.location).replace('/v1', '') } }),
  /** An error body in another shape: `{"message": …}` instead of `{"error": …}`. */
  'error-shape': (a) => ({ ...a, body: JSON.stringify({ message: (JSON.parse(a.body) as { error?: string }).error }) }),
  /** An HTML page instead of JSON. */
  html: (a) => ({ ...a, headers: { ...a.headers, 'content-type': 'text/html; charset=utf-8' }, body: '<h1>Something went wrong</h1>' }),
  /** A status the operation does not document. */
  'undocumented-status': (a) => ({ ...a, status: 409, body: JSON.stringify({ error: 'conflict' }) }),
  /** Accepts whatever it was sent: the spec's own 201 example, for any request. */
  'accept-anything': (a) => {
    const created = loadSpec().byId.createApiKey.responses.get(201)!;
    const example = created.example as { apiKeyMetadata: { apiKeyId: string } };
    return {
      status: 201,
      headers: { 'content-type': 'application/json', location: `/v1/apikeys/${example.apiKeyMetadata.apiKeyId}` },
      body: JSON.stringify(example),
    };
  },
  /**
   * Not a break: a created key that departs from every mock's choice a response can show
   * (a 60-character raw key, a 12-character prefix, an expiry after year 9999, a 200-character
   * label key with a 2,000-character value) and from no contract rule.
   */
  'mock-choices-only': (a) => {
    const created = JSON.parse(a.body) as { rawApiKey: string; apiKeyMetadata: Record<string, unknown> };
    created.rawApiKey = `gm_${'x'.repeat(60)}`;
    created.apiKeyMetadata.keyPrefix = created.rawApiKey.slice(0, 12);
    created.apiKeyMetadata.expiresAt = 253402300800000 + 1;
    created.apiKeyMetadata.labels = { ['k'.repeat(200)]: 'v'.repeat(2000) };
    return { ...a, body: JSON.stringify(created) };
  },
} satisfies Record<string, (answer: UpstreamAnswer) => UpstreamAnswer>;

export type BreakName = keyof typeof BREAKS;

/**
 * A loopback HTTP server in front of `target` (the stateful mock) that passes
 * every request through and breaks the answer when the request names a break
 * in `x-break-response`. Put Prism in front of it to see what Prism catches.
 *
 * @example
 * const broken = await startBreakingProxy(mock.url);
 * await fetch(`${prism.url}/v1/apikeys`, { headers: { 'x-api-key': key, [BREAK_HEADER]: 'timestamp-as-string' } });
 */
export async function startBreakingProxy(target: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      try {
        const headers = Object.fromEntries(
          Object.entries(req.headers).filter((e): e is [string, string] => typeof e[1] === 'string' && !HOP_BY_HOP.has(e[0])),
        );
        const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
        const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
        let answer: UpstreamAnswer = {
          status: upstream.status,
          headers: Object.fromEntries(upstream.headers),
          body: await upstream.text(),
        };
        const name = req.headers[BREAK_HEADER];
        if (typeof name === 'string') {
          if (!(name in BREAKS)) throw new Error(`unknown ${BREAK_HEADER} ${name}; known: ${Object.keys(BREAKS).join(', ')}`);
          answer = BREAKS[name as BreakName](answer);
        }
        const sent = Object.fromEntries(
          Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'content-encoding'),
        );
        res.writeHead(answer.status, sent).end(answer.body);
      } catch (error) {
        res.writeHead(502, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `breaking proxy: ${String(error)}` }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Rewrites the first property named `key`, depth first; `undefined` removes it. */
function rewriteJson(text: string, key: string, rewrite: (value: unknown) => unknown): string {
  let done = false;
  const visit = (node: unknown): void => {
    if (done || node === null || typeof node !== 'object') return;
    if (!Array.isArray(node) && key in node) {
      const record = node as Record<string, unknown>;
      const value = rewrite(record[key]);
      if (value === undefined) delete record[key];
      else record[key] = value;
      done = true;
      return;
    }
    for (const child of Object.values(node)) visit(child);
  };
  const json = JSON.parse(text) as unknown;
  visit(json);
  if (!done) throw new Error(`no property ${key} to break in ${text}`);
  return JSON.stringify(json);
}
