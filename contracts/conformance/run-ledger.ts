import { CleanupLedger, type NamedCredentials } from '../cleanup/cleanup-ledger.ts';
import { canonicalUuid } from '../openapi/canonical-uuid.ts';
import type { Credential, ConformanceOptions } from './conformance-options.ts';

/**
 * The run's credentials in the order clean-up tries them after a key's owner:
 * the ordinary user, then the admin (who may delete any key), then the rest.
 */
export function cleanupCredentials(
  options: Pick<ConformanceOptions, 'apiKey' | 'adminApiKey' | 'otherApiKey' | 'restrictedApiKey'>,
): NamedCredentials<Credential> {
  return [
    ['apiKey', options.apiKey],
    ['adminApiKey', options.adminApiKey],
    ['otherApiKey', options.otherApiKey],
    ['restrictedApiKey', options.restrictedApiKey],
  ];
}

/**
 * The suite's cleanup ledger (every key this run created, deleted at the end
 * by the one routine the Pact verifier uses too), plus what only the suite's
 * safety guard needs: the ids it made up and the creates still in flight.
 * The suite never updates or deletes a key that is not in here
 * (contracts/conformance/README.md, "Safety").
 */
export class RunLedger extends CleanupLedger<Credential> {
  readonly #fabricated = new Set<string>();
  readonly #pending = new Set<Promise<unknown>>();

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

  /** A random, well-formed id that names no key (for 404 checks); made up, so the suite may use it. */
  fabricate(id: string): string {
    this.#fabricated.add(canonicalUuid(id) ?? id);
    return id;
  }

  /** True for ids this run created or made up. */
  mayChange(apiKeyId: string): boolean {
    return this.knows(apiKeyId) || this.#fabricated.has(canonicalUuid(apiKeyId) ?? apiKeyId);
  }
}
