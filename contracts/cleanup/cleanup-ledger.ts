import { describeFetchError } from '../common/describe-fetch-error.ts';
import { canonicalUuid } from '../openapi/canonical-uuid.ts';
import { appendJournalLine, reopenJournal } from './cleanup-journal.ts';
import { deleteThroughApi, type SendDelete } from './delete-through-api.ts';

/** One key a run created. */
export interface LedgerEntry<C extends string = string> {
  /** Canonical lower-case when it is a UUID (contracts/CONTRACT.md "Ids"), else as the server gave it. */
  readonly apiKeyId: string;
  /** The credential that created it, or null when the request carried none the ledger knows. */
  readonly owner: C | null;
  /** Its raw key when the run saw it (in memory only, never journalled). */
  readonly rawKey: string | null;
  /** What made it, for reports and per-check clean-up: a check's id, a provider state … */
  readonly madeBy: string;
  /** The key is itself one of the ledger's credentials: it is deleted after every other key. */
  readonly isCredential: boolean;
  deleted: boolean;
  /** Why the last attempt to delete it failed. */
  problem?: string;
}

/** A key the run created and could not delete, and why. */
export interface LeakedKey {
  apiKeyId: string;
  /** The credential that created it, or `unknown`. */
  owner: string;
  reason: string;
}

export interface CleanupReport {
  /** Keys the run created (including ones a server created while answering an error). */
  created: number;
  deleted: number;
  /** Keys the run created but could not delete: id, owner credential and why. */
  leaked: LeakedKey[];
}

/** The credentials, by name, in the order they are tried after a key's owner: the one fallback order. */
export type NamedCredentials<C extends string> = readonly (readonly [name: C, rawKey: string | undefined])[];

interface LedgerBasics<C extends string> {
  credentials: NamedCredentials<C>;
  /** Append-only file of created and deleted keys, so another process can sweep after a crash. */
  journalPath?: string;
}

/** DELETEs sent by the caller (the suite sends them through its own session, so their answers are judged too). */
interface SentByCaller {
  send: SendDelete;
}

/** DELETEs sent through the typed client to the server at `baseUrl`. */
interface SentToServer {
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  /** Per-request time limit, ms (default 20 000). */
  timeoutMs?: number;
}

export type CleanupLedgerOptions<C extends string> = LedgerBasics<C> & (SentByCaller | SentToServer);

/**
 * The one record of the keys a run made on a server — the conformance suite's
 * and the Pact verifier's — and the one routine that deletes them: each with
 * the credential that created it first, then with every other credential in
 * the given order. It only ever deletes keys recorded in it, and it reports
 * each key it could not delete with the reason: pointed at a real server, a
 * run leaves nothing behind (contracts/conformance/README.md, "Safety").
 *
 * With a journal, every record is on disk before the next request goes out,
 * so `CleanupLedger.fromJournal` can finish the clean-up of a run that died.
 *
 * @example
 * const ledger = new CleanupLedger({ baseUrl, credentials: [['caller', apiKey], ['other', otherApiKey]] });
 * ledger.recordCreated(created.apiKeyMetadata.apiKeyId, 'caller');
 * const { leaked } = await ledger.deleteAll();
 */
export class CleanupLedger<C extends string = string> {
  readonly #entries = new Map<string, LedgerEntry<C>>();
  readonly #credentials: [C, string | undefined][];
  readonly #send: SendDelete;
  readonly #journalPath: string | undefined;
  readonly #deleting = new Map<string, Promise<void>>();

  constructor(options: CleanupLedgerOptions<C>) {
    this.#credentials = options.credentials.map(([name, rawKey]) => [name, rawKey]);
    this.#journalPath = options.journalPath;
    this.#send =
      'send' in options
        ? options.send
        : deleteThroughApi({ baseUrl: options.baseUrl, fetch: options.fetch, timeoutMs: options.timeoutMs ?? 20_000 });
  }

  /**
   * The keys a crashed run's journal leaves open, ready to be deleted with
   * this process's credentials (the same names); further records go to the
   * same journal, so a second sweep does not repeat the first.
   */
  static fromJournal<C extends string>(journalPath: string, options: CleanupLedgerOptions<C>): CleanupLedger<C> {
    const ledger = new CleanupLedger<C>({ ...options, journalPath });
    for (const open of reopenJournal(journalPath)) {
      const entry = { apiKeyId: open.apiKeyId, owner: open.owner as C | null, rawKey: null, madeBy: 'a run that did not finish' };
      ledger.#entries.set(open.apiKeyId, { ...entry, isCredential: open.credential, deleted: false });
    }
    return ledger;
  }

  /**
   * Records a key the run created, with the credential that created it. A
   * deleted key's id created again names a new key, which must be deleted too.
   */
  recordCreated(apiKeyId: string, owner: C | null, rawKey: string | null = null, madeBy = ''): void {
    this.#record({ apiKeyId: idOf(apiKeyId), owner, rawKey, madeBy, isCredential: false, deleted: false });
  }

  /**
   * Records a key the run created to use as credential `name` (a user made
   * for the run, whose only key it is): it becomes that credential, and it is
   * deleted last, since deleting it ends that user's access.
   */
  recordCredential(apiKeyId: string, name: C, rawKey: string): void {
    const known = this.#credentials.find(([n]) => n === name);
    if (known) known[1] = rawKey;
    else this.#credentials.push([name, rawKey]);
    this.#record({ apiKeyId: idOf(apiKeyId), owner: name, rawKey, madeBy: `credential ${name}`, isCredential: true, deleted: false });
  }

  recordDeleted(apiKeyId: string): void {
    const entry = this.#entries.get(idOf(apiKeyId));
    if (!entry || entry.deleted) return;
    entry.deleted = true;
    delete entry.problem;
    this.#journal({ event: 'deleted', apiKeyId: entry.apiKeyId });
  }

  /** The credential a raw key belongs to: one of the ledger's, or the owner of a key this run created. */
  credentialOf(rawKey: string | undefined): C | null {
    if (rawKey === undefined) return null;
    const named = this.#credentials.find(([, key]) => key === rawKey);
    if (named) return named[0];
    for (const entry of this.#entries.values()) if (entry.rawKey === rawKey) return entry.owner;
    return null;
  }

  /** True for a key this run created (deleted or not). */
  knows(apiKeyId: string): boolean {
    return this.#entries.has(idOf(apiKeyId));
  }

  get(apiKeyId: string): LedgerEntry<C> | undefined {
    return this.#entries.get(idOf(apiKeyId));
  }

  entries(): LedgerEntry<C>[] {
    return [...this.#entries.values()];
  }

  undeleted(filter: (entry: LedgerEntry<C>) => boolean = () => true): LedgerEntry<C>[] {
    return this.entries().filter((e) => !e.deleted && filter(e));
  }

  /**
   * Deletes the given keys of this ledger, credential keys last; never
   * throws. A key that cannot be deleted keeps the reason (see `leaked`).
   */
  async deleteKeys(entries: readonly LedgerEntry<C>[]): Promise<void> {
    const mine = entries.filter((e) => this.#entries.get(e.apiKeyId) === e && !e.deleted);
    await Promise.all(mine.filter((e) => !e.isCredential).map((e) => this.#deleteOnce(e)));
    await Promise.all(mine.filter((e) => e.isCredential).map((e) => this.#deleteOnce(e)));
  }

  /** Deletes every key not deleted yet and says what became of them all. */
  async deleteAll(): Promise<CleanupReport> {
    await this.deleteKeys(this.undeleted());
    return this.report();
  }

  /** The keys an attempt to delete failed for, and have not been deleted since. */
  leaked(): LeakedKey[] {
    return this.undeleted((e) => e.problem !== undefined).map((e) => ({
      apiKeyId: e.apiKeyId,
      owner: e.owner ?? 'unknown',
      reason: e.problem!,
    }));
  }

  report(): CleanupReport {
    const entries = this.entries();
    return { created: entries.length, deleted: entries.filter((e) => e.deleted).length, leaked: this.leaked() };
  }

  #record(entry: LedgerEntry<C>): void {
    const existing = this.#entries.get(entry.apiKeyId);
    if (existing && !existing.deleted) return;
    this.#entries.set(entry.apiKeyId, entry);
    this.#journal({
      event: 'created',
      apiKeyId: entry.apiKeyId,
      owner: entry.owner,
      ...(entry.isCredential ? { credential: true as const } : {}),
    });
  }

  /** One deletion per key at a time: a second caller waits for the first. */
  #deleteOnce(entry: LedgerEntry<C>): Promise<void> {
    let deleting = this.#deleting.get(entry.apiKeyId);
    if (!deleting) {
      deleting = this.#delete(entry).finally(() => this.#deleting.delete(entry.apiKeyId));
      this.#deleting.set(entry.apiKeyId, deleting);
    }
    return deleting;
  }

  async #delete(entry: LedgerEntry<C>): Promise<void> {
    // The owner first; then the others, for a server that let another user take the key over.
    const owner = this.#credentials.filter(([name, key]) => name === entry.owner && key !== undefined);
    const others = this.#credentials.filter(([name, key]) => name !== entry.owner && key !== undefined);
    const tried: string[] = [];
    for (const [name, rawKey] of [...owner, ...others]) {
      let answer;
      try {
        answer = await this.#send(entry.apiKeyId, rawKey!);
      } catch (error) {
        tried.push(`DELETE with ${name} failed: ${describeFetchError(error)}`);
        continue;
      }
      const ok = answer.status >= 200 && answer.status < 300;
      // 404 from the owner (or when no owner is known): already gone, which is what clean-up wants.
      // From anyone else it may only hide someone else's key (contracts/CONTRACT.md "Someone else's key").
      if (ok || (answer.status === 404 && (entry.owner === null || name === entry.owner))) {
        this.recordDeleted(entry.apiKeyId);
        return;
      }
      tried.push(`DELETE with ${name} answered ${answer.status}${answer.detail ? ` ${answer.detail}` : ''}`);
    }
    if (entry.deleted) return; // deleted meanwhile by a request of the run (recorded by its caller)
    entry.problem = tried.length > 0 ? tried.join('; ') : 'no credential to delete it with';
  }

  #journal(line: Parameters<typeof appendJournalLine>[1]): void {
    if (this.#journalPath) appendJournalLine(this.#journalPath, line);
  }
}

/** The ledger's key for an id: canonical when it is a UUID (contracts/CONTRACT.md "Ids"), else as given. */
function idOf(id: string): string {
  return canonicalUuid(id) ?? id;
}
