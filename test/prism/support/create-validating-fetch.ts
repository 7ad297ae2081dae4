import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';
import { formatViolation, prismVerdict, type PrismVerdict, type Violation } from './prism-verdict.ts';

export interface ValidatingFetchTargets {
  /** `npm run proxy -- <upstream>` (with `--errors`): every request goes here first. */
  proxy: string;
  /**
   * The same proxy without `--errors`. Prism with `--errors` answers invalid
   * requests itself and the upstream never sees them; this one forwards
   * them, so the upstream's answer to a deliberately bad request is still
   * validated by Prism (its violations come back in `sl-violations`).
   */
  observer: string;
  /** The server behind both; the mock's control plane (`/_mock/`) goes straight to it. */
  upstream: string;
}

/** One request of the traffic and what Prism made of it. */
export interface Exchange {
  method: string;
  path: string;
  operationId?: OperationId;
  /** The status the client finally received (the upstream's, unless Prism answered). */
  status: number;
  /**
   * Who validated the response: `proxy` (forwarded by `npm run proxy`),
   * `observer` (Prism with `--errors` refused the request, so it was replayed
   * through the observing proxy), `none` (Prism cannot forward it at all, e.g.
   * malformed JSON, which Prism's HTTP layer answers itself), `control-plane`.
   */
  validatedBy: 'proxy' | 'observer' | 'none' | 'control-plane';
  /** Why `npm run proxy` refused the request, when it did. */
  rejection?: { type: string; message: string };
  /** Everything Prism reported about the request and the response. */
  violations: Violation[];
  /** Set when this exchange fails the test: what went wrong, with Prism's words. */
  failure?: string;
}

/**
 * A `fetch` for a client aimed at `targets.proxy` that records what Prism says
 * about every exchange and decides which findings fail a test:
 *
 * - any response violation (any severity: an undocumented status is only a
 *   Prism "Warning", but it is a contract breach) fails;
 * - a request the proxy refused (Prism's own 401/422/404/405, or its HTTP
 *   layer's 400 for unreadable JSON) is replayed to the upstream; it passes
 *   only when the upstream refuses it with the matching status (401, 400,
 *   404, 405), i.e. both validators agree the request is invalid and how;
 *   the client receives the upstream's real answer;
 * - a request violation on a request the proxy forwarded, and any other error
 *   of Prism's own, fails.
 */
export function createValidatingFetch(targets: ValidatingFetchTargets) {
  const exchanges: Exchange[] = [];
  const proxyOrigin = new URL(targets.proxy).origin;
  const spec = loadSpec();

  async function validatingFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (url.origin !== proxyOrigin) return fetch(request);
    const method = request.method;
    const path = `${url.pathname}${url.search}`;
    // Buffered once, so a refused request can be sent again unchanged.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const send = (base: string) =>
      fetch(`${base}${path}`, { method, headers: request.headers, body, redirect: 'manual', signal: request.signal }).then(read);
    const operationId = spec.operations.find((op) => op.method === method.toLowerCase() && op.match(url.pathname))?.operationId;
    const record = (exchange: Omit<Exchange, 'method' | 'path' | 'operationId'>, response: Received) => {
      exchanges.push({ method, path, operationId, ...exchange });
      return toResponse(response);
    };

    if (url.pathname.startsWith('/_mock/')) {
      const direct = await send(targets.upstream);
      return record({ status: direct.status, validatedBy: 'control-plane', violations: [] }, direct);
    }

    const first = await send(targets.proxy);
    const verdict = prismVerdict(first.status, first.headers, first.text);
    if (verdict.kind !== 'request-rejected') {
      return record({ status: first.status, validatedBy: 'proxy', ...judge(verdict, 'proxy') }, first);
    }

    const rejection = { type: verdict.type, message: verdict.message };
    const replay = await send(targets.observer);
    const replayVerdict = prismVerdict(replay.status, replay.headers, replay.text);
    if (replayVerdict.kind === 'forwarded') {
      // The observer flags the same request; only its response findings count here.
      const responseSide = replayVerdict.violations.filter((v) => v.location?.[0] === 'response');
      const findings = judge({ kind: 'forwarded', violations: responseSide }, 'observer');
      const failure = findings.failure ?? disagreement(verdict, replay.status);
      return record({ status: replay.status, validatedBy: 'observer', rejection, violations: replayVerdict.violations, failure }, replay);
    }
    if (replayVerdict.kind === 'request-rejected') {
      // Nothing Prism runs can forward this request (its HTTP layer refuses the
      // body before routing), so the upstream is asked directly, unvalidated.
      const direct = await send(targets.upstream);
      return record(
        { status: direct.status, validatedBy: 'none', rejection, violations: [], failure: disagreement(verdict, direct.status) },
        direct,
      );
    }
    return record({ status: replay.status, validatedBy: 'observer', rejection, ...judge(replayVerdict, 'observer') }, replay);
  }

  return {
    fetch: validatingFetch as typeof fetch,
    /** Every exchange so far, in order. */
    exchanges,
    /** The exchanges that fail the test. */
    failures: () => exchanges.filter((e) => e.failure !== undefined),
    /** `operationId status` pairs whose response Prism validated and found valid. */
    validatedPairs: () =>
      new Set(
        exchanges
          .filter((e) => e.operationId && !e.failure && (e.validatedBy === 'proxy' || e.validatedBy === 'observer'))
          .map((e) => `${e.operationId} ${e.status}`),
      ),
  };
}

/** One line per failing exchange, for assertion messages. */
export function describeFailures(exchanges: Exchange[]): string {
  return exchanges.map((e) => `${e.method} ${e.path} → ${e.status} (${e.validatedBy}): ${e.failure}`).join('\n');
}

function judge(verdict: Exclude<PrismVerdict, { kind: 'request-rejected' }>, by: string): { violations: Violation[]; failure?: string } {
  switch (verdict.kind) {
    case 'forwarded':
      return {
        violations: verdict.violations,
        failure:
          verdict.violations.length > 0
            ? `Prism (${by}) reports violations: ${verdict.violations.map(formatViolation).join('; ')}`
            : undefined,
      };
    case 'response-rejected':
      return {
        violations: verdict.violations,
        failure: `Prism (${by}, --errors) rejected the response: ${verdict.violations.map(formatViolation).join('; ')}`,
      };
    case 'prism-error':
      return { violations: [], failure: `Prism (${by}) answered with its own error: ${verdict.message}` };
  }
}

function disagreement(rejected: Extract<PrismVerdict, { kind: 'request-rejected' }>, upstreamStatus: number): string | undefined {
  if (upstreamStatus === rejected.upstreamShould) return undefined;
  return `Prism refuses this request (${rejected.type}: ${rejected.message}), so the server should answer ${rejected.upstreamShould}, but it answered ${upstreamStatus}`;
}

interface Received {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
}

async function read(response: Response): Promise<Received> {
  return { status: response.status, statusText: response.statusText, headers: response.headers, text: await response.text() };
}

function toResponse({ status, statusText, headers, text }: Received): Response {
  const copy = new Headers(headers);
  // The text is already decoded; the client must not decode it again.
  copy.delete('content-encoding');
  copy.delete('content-length');
  const nullBody = status === 204 || status === 205 || status === 304;
  return new Response(nullBody ? null : text, { status, statusText, headers: copy });
}
