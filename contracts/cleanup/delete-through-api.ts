import { createApiKeysClient } from '../client/create-api-keys-client.ts';

/** What one DELETE of a key answered: its status and, for an error, a short reason. */
export interface DeleteAnswer {
  status: number;
  /** The error message or the start of the body; empty on success. */
  detail: string;
}

/** Sends one DELETE of a key with one raw key; rejects only when no answer came. */
export type SendDelete = (apiKeyId: string, rawKey: string) => Promise<DeleteAnswer>;

export interface DeleteThroughApiOptions {
  /** The server root, e.g. `http://localhost:8080`. */
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  /** Per-request time limit, ms. */
  timeoutMs: number;
}

/**
 * DELETE /v1/apikeys/{id} through the typed client: the public API only, so
 * clean-up works the same against the mock and any real server.
 */
export function deleteThroughApi(options: DeleteThroughApiOptions): SendDelete {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  // A server that never answers must not hold the clean-up (and the process) forever.
  const timed: typeof globalThis.fetch = (input, init) => fetchImpl(input, { ...init, signal: AbortSignal.timeout(options.timeoutMs) });
  return async (apiKeyId, rawKey) => {
    const result = await createApiKeysClient({ baseUrl: options.baseUrl, apiKey: rawKey, fetch: timed }).deleteApiKey(apiKeyId);
    if (result.ok) return { status: result.status, detail: '' };
    const detail = result.error ?? (result.body === undefined ? '' : JSON.stringify(result.body));
    return { status: result.status, detail: detail.slice(0, 120) };
  };
}
