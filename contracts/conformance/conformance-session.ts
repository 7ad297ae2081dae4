import { loadSpec } from '../openapi/load-spec.ts';
import { RunInterrupted } from './check-failure.ts';
import type { LeakedKey, LedgerEntry } from '../cleanup/cleanup-ledger.ts';
import { ChoiceObservations } from './choice-observations.ts';
import type { Credential, ResolvedOptions } from './conformance-options.ts';
import { operationOf, pathOf, sendRequest, type Exchange, type HttpRequest } from './http-exchange.ts';
import { cleanupCredentials, RunLedger } from './run-ledger.ts';

/** Who sends the suite's own clean-up requests (never a check). */
export const CLEANUP = 'cleanup';

/**
 * The state one run shares between its checks: the options, every exchange
 * (for the response checks and the coverage matrix), the ledger of created
 * keys, and the clean-up that deletes them.
 */
export class ConformanceSession {
  readonly ledger: RunLedger;
  readonly exchanges: Exchange[] = [];
  /** The legal choices the server was seen to make (the run's profile). */
  readonly observations = new ChoiceObservations();
  #sequence = 0;
  readonly #identities = new Map<Credential, Promise<string>>();

  constructor(readonly options: ResolvedOptions) {
    this.ledger = new RunLedger({
      credentials: cleanupCredentials(options),
      journalPath: options.journalPath,
      // Clean-up goes through the session like any request, so its answers are judged and counted too.
      send: async (apiKeyId, apiKey) => {
        const exchange = await this.send({ method: 'DELETE', path: pathOf('deleteApiKey', apiKeyId), apiKey }, CLEANUP);
        return { status: exchange.status, detail: exchange.text.slice(0, 120) };
      },
    });
  }

  get interrupted(): boolean {
    return this.options.signal?.aborted === true;
  }

  /** The keys the run created and could not delete (so far), and why. */
  get leaked(): LeakedKey[] {
    return this.ledger.leaked();
  }

  /**
   * Sends one request on behalf of a check and records it. Refuses to change a
   * key this run did not create, and to start anything once the run is
   * interrupted (clean-up excepted).
   */
  async send(request: HttpRequest, sentBy: string): Promise<Exchange> {
    if (this.interrupted && sentBy !== CLEANUP) throw new RunInterrupted();
    this.#guard(request);
    const operationId = operationOf(request.method, request.path);
    const sending = sendRequest(this.options.fetch, this.options.baseUrl, request, {
      timeoutMs: this.options.requestTimeoutMs,
      sentBy,
      sequence: () => ++this.#sequence,
    });
    const exchange = await (operationId === 'createApiKey' ? this.ledger.trackCreate(sending) : sending);
    this.exchanges.push(exchange);
    this.#account(exchange, request);
    return exchange;
  }

  readonly #locks = new Map<string, Promise<void>>();

  /** Runs `fn` while no other holder of the same lock runs (a FIFO mutex per name). */
  async exclusive<T>(name: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(name) ?? Promise.resolve();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const mine = previous.then(() => held);
    this.#locks.set(name, mine);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (this.#locks.get(name) === mine) this.#locks.delete(name);
    }
  }

  /** The userId behind a credential, learnt once per run from a key it creates. */
  userIdOf(credential: Credential, apiKey: string): Promise<string> {
    let identity = this.#identities.get(credential);
    if (!identity) {
      identity = this.send({ method: 'POST', path: pathOf('createApiKey'), apiKey, body: {} }, 'identity').then((exchange) => {
        const userId = (exchange.json as { apiKeyMetadata?: { userId?: unknown } } | undefined)?.apiKeyMetadata?.userId;
        if (exchange.status !== 201 || typeof userId !== 'string') {
          throw new Error(
            `cannot learn the user behind ${credential}: creating a key answered ${exchange.status} ${exchange.text.slice(0, 200)}`,
          );
        }
        return userId;
      });
      identity.catch(() => this.#identities.delete(credential));
      this.#identities.set(credential, identity);
    }
    return identity;
  }

  /** Deletes the given keys through the ledger (owner first, then the other credentials); never throws. */
  deleteKeys(entries: LedgerEntry<Credential>[]): Promise<void> {
    return this.ledger.deleteKeys(entries);
  }

  #guard(request: HttpRequest): void {
    const method = request.method.toLowerCase();
    if (method === 'get' || method === 'head' || method === 'options') return;
    const pathname = request.path.split('?')[0] ?? request.path;
    for (const op of loadSpec().operations) {
      if (op.method !== method) continue;
      const params = op.match(pathname);
      const id = params?.[op.pathParams[0]?.name ?? ''];
      if (id === undefined || !op.pathParams[0]!.validate(id)) continue;
      if (!this.ledger.mayChange(id)) {
        throw new Error(`safety: refusing ${request.method} ${request.path}: this run did not create key ${id}`);
      }
    }
  }

  /** Keeps the ledger true to what the server did, whatever the check expected. */
  #account(exchange: Exchange, request: HttpRequest): void {
    const ok = exchange.status >= 200 && exchange.status < 300;
    if (exchange.operationId === 'createApiKey' && ok) {
      const body = exchange.json as { apiKeyMetadata?: { apiKeyId?: unknown }; rawApiKey?: unknown } | undefined;
      const id = body?.apiKeyMetadata?.apiKeyId;
      if (typeof id === 'string') {
        const rawKey = typeof body?.rawApiKey === 'string' ? body.rawApiKey : null;
        this.ledger.recordCreated(id, this.ledger.credentialOf(request.apiKey), rawKey, exchange.sentBy);
      }
    }
    if (exchange.operationId === 'deleteApiKey' && ok) {
      const id = loadSpec().byId.deleteApiKey.match(request.path)?.id;
      if (id) this.ledger.recordDeleted(id);
    }
  }
}
