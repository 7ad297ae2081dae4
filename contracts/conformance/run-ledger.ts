import { appendFileSync } from 'node:fs';
import { canonicalUuid } from '../openapi/canonical-uuid.ts';
import type { Credential } from './conformance-options.ts';

export interface LedgerEntry {
  apiKeyId: string;
  /** The credential that created it, or null when it was created by a request without a valid one. */
  owner: Credential | null;
  rawKey: string | null;
  check: string;
  deleted: boolean;
}

/** Journal lines: enough for another process to finish the clean-up after a crash. */
export type JournalLine = { event: 'created'; apiKeyId: string; owner: Credential | null } | { event: 'deleted'; apiKeyId: string };

/**
 * Every key this run created, and every id it made up. The suite never updates
 * or deletes a key that is not in here, and deletes all of them at the end
 * (README "Conformance suite": safety).
 */
export class RunLedger {
  readonly #entries = new Map<string, LedgerEntry>();
  readonly #fabricated = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();

  constructor(private readonly journalPath?: string) {}

  /** Tracks an in-flight create, so "no key appeared" checks can wait for it. */
  trackCreate<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const forget = () => this.#pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** The creates in flight right now. */
  pendingCreates(): Promise<unknown>[] {
    return [...this.#pending];
  }

  recordCreated(apiKeyId: string, owner: Credential | null, rawKey: string | null, check: string): void {
    const id = canonicalUuid(apiKeyId) ?? apiKeyId;
    // A deleted key's id chosen again names a new key, which clean-up must delete too.
    if (this.#entries.has(id) && !this.#entries.get(id)!.deleted) return;
    this.#entries.set(id, { apiKeyId: id, owner, rawKey, check, deleted: false });
    this.#journal({ event: 'created', apiKeyId: id, owner });
  }

  recordDeleted(apiKeyId: string): void {
    const entry = this.#entries.get(idOf(apiKeyId));
    if (!entry || entry.deleted) return;
    entry.deleted = true;
    this.#journal({ event: 'deleted', apiKeyId: entry.apiKeyId });
  }

  /** A random, well-formed id that names no key (for 404 checks); made up, so the suite may use it. */
  fabricate(id: string): string {
    this.#fabricated.add(idOf(id));
    return id;
  }

  /** True for ids this run created or made up. */
  mayChange(apiKeyId: string): boolean {
    const id = idOf(apiKeyId);
    return this.#entries.has(id) || this.#fabricated.has(id);
  }

  knows(apiKeyId: string): boolean {
    return this.#entries.has(idOf(apiKeyId));
  }

  get(apiKeyId: string): LedgerEntry | undefined {
    return this.#entries.get(idOf(apiKeyId));
  }

  entries(): LedgerEntry[] {
    return [...this.#entries.values()];
  }

  undeleted(filter: (entry: LedgerEntry) => boolean = () => true): LedgerEntry[] {
    return this.entries().filter((e) => !e.deleted && filter(e));
  }

  #journal(line: JournalLine): void {
    // Synchronous on purpose: the line must be on disk before the next request goes out.
    if (this.journalPath) appendFileSync(this.journalPath, `${JSON.stringify(line)}\n`);
  }
}

/** The ledger's key for an id: canonical when it is a UUID (contracts/CONTRACT.md "Ids"), else as given. */
function idOf(id: string): string {
  return canonicalUuid(id) ?? id;
}
