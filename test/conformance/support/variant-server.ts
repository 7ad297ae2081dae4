import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServerChoices } from '../../../contracts/common/server-choices.ts';
import type { Timers } from '../../../contracts/conformance/timers.ts';
import { startMock, type RunningMock, type StartMockOptions } from '../../../mock/start-mock.ts';

export interface ProxiedRequest {
  method: string;
  path: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

export interface ProxiedResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: string;
}

/** State a variant may keep between requests (e.g. raw keys it saw created). */
export interface VariantState {
  mock: RunningMock;
  memory: Map<string, unknown>;
  /**
   * A virtual clock shared with the suite's run: its waits advance it, and the mock's own
   * clock with it, so "late" (the variant's or the mock's `lastUsedAt: 'background'`) needs no real time.
   */
  timers: Timers;
}

/** A server made by rewriting the traffic between the suite and a correct mock. */
export interface ServerVariant {
  /** Rewrites the request before it reaches the mock; returning a response answers without the mock. */
  request?(req: ProxiedRequest, state: VariantState): ProxiedResponse | void | Promise<ProxiedResponse | void>;
  /** Rewrites the mock's response on its way back. */
  response?(res: ProxiedResponse, req: ProxiedRequest, state: VariantState): void;
  mockOptions?: StartMockOptions;
}

/** One deliberate departure from the contract. */
export interface BrokenVariant extends ServerVariant {
  /** What the server gets wrong, as a sentence. */
  breaks: string;
  /** The check (`operation/check`) that must name it. */
  caughtBy: string;
  /** Run with --mock (and the mock's clock): only for a departure from a mock's choice, or one only the clock can show. */
  mock?: boolean;
}

/** A correct server that is not the mock: it must pass without --mock. */
export interface LegalVariant extends ServerVariant {
  /** How it legally differs from the mock, as a sentence. */
  differs: string;
  /** The legal choices (contracts/common/server-choices.ts) it takes another way than the mock: what its profile must record. */
  shows: Partial<ServerChoices>;
}

/** A virtual clock: sleeping advances it at once. */
export function virtualTimers(start = Date.now()): Timers {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/**
 * A loopback proxy in front of a fresh, correct mock that applies a variant's
 * rewrites: a server that is wrong in exactly one way.
 */
export async function startVariantServer(
  variant: ServerVariant,
): Promise<{ url: string; mock: RunningMock; timers: Timers; close(): Promise<void> }> {
  const mock = await startMock({ ...variant.mockOptions });
  const virtual = virtualTimers();
  const timers: Timers = {
    now: virtual.now,
    sleep: async (ms) => {
      await virtual.sleep(ms);
      mock.clock.advance(ms);
    },
  };
  const state: VariantState = { mock, memory: new Map(), timers };
  const server: Server = createServer((incoming, outgoing) => {
    void (async () => {
      const req: ProxiedRequest = {
        method: incoming.method ?? 'GET',
        path: incoming.url ?? '/',
        headers: headersOf(incoming),
        body: await bodyOf(incoming),
      };
      let res = (await variant.request?.(req, state)) ?? undefined;
      if (!res) {
        const upstream = await fetch(`${mock.url}${req.path}`, {
          method: req.method,
          headers: Object.fromEntries(Object.entries(req.headers).filter(([name]) => !HOP_BY_HOP.has(name) && name !== 'host')),
          body: req.body === '' || req.method === 'GET' ? undefined : req.body,
          redirect: 'manual',
        });
        res = { status: upstream.status, headers: Object.fromEntries(upstream.headers), body: await upstream.text() };
        variant.response?.(res, req, state);
      }
      const headers = Object.fromEntries(Object.entries(res.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      outgoing.writeHead(res.status, headers);
      outgoing.end(res.body);
    })().catch((error: unknown) => {
      outgoing.writeHead(502, { 'content-type': 'application/json' });
      outgoing.end(JSON.stringify({ error: `broken-server proxy failed: ${(error as Error).message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    mock,
    timers: state.timers,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await mock.close();
    },
  };
}

function headersOf(incoming: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(incoming.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : (value ?? '')]),
  );
}

async function bodyOf(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Reads and rewrites a JSON body in place (no-op when it is not JSON). */
export function editJson(target: { body: string }, edit: (json: any) => unknown): void {
  let json: unknown;
  try {
    json = JSON.parse(target.body);
  } catch {
    return;
  }
  const replaced = edit(json);
  target.body = JSON.stringify(replaced === undefined ? json : replaced);
}

/** A JSON error response, as a variant answers without the mock. */
export function jsonResponse(status: number, body: unknown): ProxiedResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) };
}
