import { randomUUID } from 'node:crypto';
import type { ChoiceName, ChoiceValue } from '../common/server-choices.ts';
import { loadSpec, type OperationId, type Spec } from '../openapi/load-spec.ts';
import { CheckFailure, CheckSkipped } from './check-failure.ts';
import { CREDENTIAL_INFO, type Credential, type ResolvedOptions } from './conformance-options.ts';
import type { ConformanceSession } from './conformance-session.ts';
import { isJsonObject } from '../openapi/is-json-object.ts';
import { canonicalJson, expectStatus, expectThat, keysIn, stable, where, type ApiKey } from './expect.ts';
import { describeResponse, pathOf, type Exchange, type HttpRequest } from './http-exchange.ts';

/** Requests of one operation, sent with one key (or none). */
export interface Api {
  create(body?: unknown): Promise<Exchange>;
  list(): Promise<Exchange>;
  update(id: string, body: unknown): Promise<Exchange>;
  remove(id: string): Promise<Exchange>;
  /** Any request to an operation's path: raw bodies, extra headers. */
  call(
    operationId: OperationId,
    init?: { id?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<Exchange>;
}

export interface CreatedKey {
  apiKeyId: string;
  rawKey: string;
  metadata: ApiKey;
  exchange: Exchange;
}

/**
 * What a check works with: requests as one of the given credentials, keys it
 * creates (deleted after the check, pass or fail) and clean-up hooks.
 */
export class CheckContext {
  readonly spec: Spec = loadSpec();
  readonly #cleanups: (() => Promise<void>)[] = [];

  constructor(
    readonly session: ConformanceSession,
    /** The check's id in the results, `operation/check`. */
    readonly id: string,
    /** The choices the check declares it can observe (CheckDefinition.observes). */
    private readonly observable: readonly ChoiceName[] = [],
  ) {}

  /**
   * Records which value of a legal choice the server showed (the run's profile).
   * Only choices the check declares in `observes`, so the profile can say which
   * checks could have told when none did.
   */
  observe<N extends ChoiceName>(name: N, value: ChoiceValue<N>): void {
    if (!this.observable.includes(name)) throw new Error(`check ${this.id} observes ${name} without declaring it in observes`);
    this.session.observations.record(name, value, this.id);
  }

  get options(): ResolvedOptions {
    return this.session.options;
  }

  /** The raw key of a credential; a missing one skips the check. */
  keyOf(credential: Credential): string {
    const key = this.options[credential];
    if (!key) throw new CheckSkipped(`needs ${CREDENTIAL_INFO[credential].flag} (${CREDENTIAL_INFO[credential].role})`);
    return key;
  }

  /** Requests sent as a credential, a raw key (e.g. one the check created), or with no key (`null`). */
  as(who: Credential | { rawKey: string } | null): Api {
    const apiKey = who === null ? undefined : typeof who === 'string' ? this.keyOf(who) : who.rawKey;
    const call: Api['call'] = (operationId, init = {}) => {
      const op = this.spec.byId[operationId];
      return this.send({
        method: op.method.toUpperCase(),
        path: pathOf(operationId, init.id),
        apiKey,
        headers: init.headers,
        body: init.body,
        rawBody: init.rawBody,
      });
    };
    return {
      create: (body = {}) => call('createApiKey', { body }),
      list: () => call('listApiKeys'),
      update: (id, body) => call('updateApiKey', { id, body }),
      remove: (id) => call('deleteApiKey', { id }),
      call,
    };
  }

  send(request: HttpRequest): Promise<Exchange> {
    return this.session.send(request, this.id);
  }

  /** Creates a key that must succeed (201); it is deleted after the check. */
  async createKey(who: Credential | { rawKey: string } = 'apiKey', body: unknown = {}): Promise<CreatedKey> {
    const exchange = await this.as(who).create(body);
    expectStatus(exchange, 201, "creating a key is this check's precondition");
    const created = exchange.json as { apiKeyMetadata?: unknown; rawApiKey?: unknown } | undefined;
    const metadata = created?.apiKeyMetadata;
    expectThat(
      isJsonObject(metadata) && typeof metadata.apiKeyId === 'string' && typeof created?.rawApiKey === 'string',
      exchange,
      'a CreateApiKeyResponse body {apiKeyMetadata, rawApiKey}',
      describeResponse(exchange),
    );
    const key = metadata as unknown as ApiKey;
    return { apiKeyId: key.apiKeyId, rawKey: created!.rawApiKey as string, metadata: key, exchange };
  }

  /** The caller's keys, from the list (which must answer 200). */
  async list(who: Credential | { rawKey: string } = 'apiKey'): Promise<ApiKey[]> {
    return keysIn(await this.as(who).list());
  }

  /** One key as `who` sees it in the list, or undefined. */
  async find(who: Credential | { rawKey: string }, apiKeyId: string): Promise<ApiKey | undefined> {
    return (await this.list(who)).find((k) => k.apiKeyId === apiKeyId);
  }

  /** A well-formed id that names no key (random v4 UUID). */
  unknownId(): string {
    return this.session.ledger.fabricate(randomUUID());
  }

  userIdOf(credential: Credential): Promise<string> {
    return this.session.userIdOf(credential, this.keyOf(credential));
  }

  /** Waits `ms` on the run's timers (virtual in the suite's own tests). */
  sleep(ms: number): Promise<void> {
    return this.options.timers.sleep(ms);
  }

  /**
   * Polls `probe` until `settled` holds or the background timeout passes
   * (contracts/CONTRACT.md "Background effects": a server may show an effect a
   * moment later). Returns the last value; the caller asserts on it.
   */
  async eventually<T>(probe: () => Promise<T>, settled: (value: T) => boolean): Promise<T> {
    const { timers, backgroundTimeoutMs, pollIntervalMs } = this.options;
    const deadline = timers.now() + backgroundTimeoutMs;
    let value = await probe();
    while (!settled(value) && timers.now() < deadline) {
      await timers.sleep(pollIntervalMs);
      value = await probe();
    }
    return value;
  }

  /** Runs after the check, in reverse order, pass or fail (e.g. restoring the mock's clock). */
  onCleanup(fn: () => Promise<void>): void {
    this.#cleanups.push(fn);
  }

  /**
   * Asserts a request changed nothing: the key reads the same as before
   * (contracts/CONTRACT.md "Rejected requests"). Returns it as listed now.
   * `allowTouch`: a 200 update that changed nothing may still move updatedAt
   * and updatedById (whether it does is mock's choice).
   */
  async expectUnchanged(exchange: Exchange, who: Credential, before: ApiKey, allowTouch = false): Promise<ApiKey> {
    const after = await this.find(who, before.apiKeyId);
    const view = (key: ApiKey | undefined) => {
      const rest: Partial<ApiKey> | undefined = stable(key);
      if (rest && allowTouch) {
        delete rest.updatedAt;
        delete rest.updatedById;
      }
      return canonicalJson(rest);
    };
    if (after && view(after) === view(before)) return after;
    throw new CheckFailure({
      operation: where(exchange),
      expected: `the request (answered ${exchange.status}) to leave key ${before.apiKeyId} unchanged: ${view(before)}`,
      actual: after ? view(after) : 'the key is gone',
      hint: exchange.status >= 400 ? 'a request that is answered with an error must change nothing' : 'these fields never change',
    });
  }

  /** The ids `who` can list now, to compare with after a rejected create. */
  async listIds(who: Credential): Promise<Set<string>> {
    return new Set((await this.list(who)).map((k) => k.apiKeyId));
  }

  /**
   * Sends a create that must be rejected and asserts it made no key: every id
   * listed afterwards was in `before` or was made by another request of this
   * run (creates still in flight are awaited first). A key that did appear is
   * recorded so clean-up deletes it. Returns the ids listed now, the next "before".
   *
   * Rejected creates of one user run one at a time, so a key a server stored
   * while refusing the request is blamed on the request that made it.
   */
  async expectCreateRejected(
    who: Credential,
    init: { body?: unknown; rawBody?: string },
    expected: number | readonly number[],
    hint: string,
    before: Set<string>,
  ): Promise<Set<string>> {
    return this.session.exclusive(`rejected-create:${who}`, async () => {
      const exchange = await this.as(who).call('createApiKey', init);
      expectStatus(exchange, expected, hint);
      const inFlight = this.session.ledger.pendingCreates();
      const after = await this.list(who);
      await Promise.allSettled(inFlight);
      const appeared = after.filter((k) => !before.has(k.apiKeyId) && !this.session.ledger.knows(k.apiKeyId));
      for (const key of appeared) this.session.ledger.recordCreated(key.apiKeyId, who, null, this.id);
      if (appeared.length === 0) return new Set(after.map((k) => k.apiKeyId));
      throw new CheckFailure({
        operation: where(exchange),
        expected: `the rejected request (${exchange.status}) to create no key`,
        actual: `new key ${appeared.map((k) => k.apiKeyId).join(', ')} in the list`,
        hint: 'a request that is answered with an error must change nothing',
      });
    });
  }

  /**
   * Runs the clean-up hooks and deletes the keys this check created; never
   * throws (clean-up must go on) but returns what went wrong.
   */
  async cleanup(): Promise<string[]> {
    const problems: string[] = [];
    for (const fn of this.#cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        problems.push(`clean-up failed: ${(error as Error).message}`);
      }
    }
    // Keys that cannot be deleted are reported by the session (report.cleanup.leaked).
    await this.session.deleteKeys(this.session.ledger.undeleted((e) => e.madeBy === this.id));
    return problems;
  }
}
