import { createApiKeysClient } from '../client/create-api-keys-client.ts';
import { describeFetchError } from './describe-fetch-error.ts';

interface Entry {
  /** The raw key that owns (and so may delete) the key. */
  ownerKey: string;
  /** A user's only key is deleted last: deleting it ends that user's access. */
  last: boolean;
}

export interface CleanupOutcome {
  deleted: number;
  /** One sentence per key that could not be deleted. */
  problems: string[];
}

/**
 * Every key the verifier made on the provider, by id, with the key that may
 * delete it. Cleanup deletes them all through the public API, so pointing the
 * verifier at a real server leaves nothing behind (README "Pact").
 */
export class KeyLedger {
  readonly #entries = new Map<string, Entry>();
  #tracked = 0;

  constructor(
    private readonly providerBaseUrl: string,
    private readonly fetchImpl?: typeof globalThis.fetch,
  ) {}

  /** Remembers a key to delete later; `last` for a user's bootstrap key. */
  track(apiKeyId: string, ownerKey: string, options: { last?: boolean } = {}): void {
    if (!this.#entries.has(apiKeyId)) this.#tracked += 1;
    this.#entries.set(apiKeyId, { ownerKey, last: options.last === true });
  }

  /** How many keys were tracked in all, deleted or not. */
  get trackedCount(): number {
    return this.#tracked;
  }

  /** Deletes every tracked key; 404 counts as done (the pact itself may have deleted it). */
  async deleteAll(): Promise<CleanupOutcome> {
    const ordered = [...this.#entries].sort(([, a], [, b]) => Number(a.last) - Number(b.last));
    const outcome: CleanupOutcome = { deleted: 0, problems: [] };
    for (const [apiKeyId, { ownerKey }] of ordered) {
      const client = createApiKeysClient({ baseUrl: this.providerBaseUrl, apiKey: ownerKey, fetch: this.fetchImpl });
      try {
        const result = await client.deleteApiKey(apiKeyId);
        if (result.ok || result.status === 404) {
          outcome.deleted += 1;
          this.#entries.delete(apiKeyId);
        } else {
          outcome.problems.push(`key ${apiKeyId} could not be deleted: status ${result.status}${result.error ? ` (${result.error})` : ''}`);
        }
      } catch (error) {
        outcome.problems.push(`key ${apiKeyId} could not be deleted: ${describeFetchError(error)}`);
      }
    }
    return outcome;
  }
}
