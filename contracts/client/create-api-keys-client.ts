import createClient from 'openapi-fetch';
import type { components, operations, paths } from '../generated/openapi.js';
import { loadSpec } from '../openapi/load-spec.ts';

type Schemas = components['schemas'];
export type ApiKeyResponse = Schemas['ApiKeyResponse'];
export type CreateApiKeyRequest = Schemas['CreateApiKeyRequest'];
export type CreateApiKeyResponse = Schemas['CreateApiKeyResponse'];
export type ListApiKeysResponse = Schemas['ListApiKeysResponse'];
export type UpdateApiKeyRequest = Schemas['UpdateApiKeyRequest'];
export type ErrorBody = Schemas['Error'];
export type ApiKeysOperationId = keyof operations;

/** The documented statuses of an operation below 300, from the generated types. */
type SuccessStatus<Op extends ApiKeysOperationId> = Extract<keyof operations[Op]['responses'], 200 | 201 | 202 | 204>;

/**
 * What every call returns instead of throwing for an HTTP status: the status
 * and headers always; the typed body when the status is one of the operation's
 * documented successes; otherwise the body as sent and its `error` message.
 * Transport failures (connection refused, bad JSON on a 2xx) still throw.
 */
export type ApiResult<Op extends ApiKeysOperationId, Data> =
  | { ok: true; status: SuccessStatus<Op>; headers: Headers; data: Data }
  | {
      ok: false;
      /** Any status a server sends, also an undocumented 2xx of a non-conforming server. */
      status: number;
      headers: Headers;
      /** The message of an `{"error": "..."}` or `{"errors": [{"message": "..."}]}` body, else undefined. */
      error: string | undefined;
      /** The body as sent: parsed JSON when it is JSON, else text; undefined when empty. */
      body: unknown;
    };

export interface ApiKeysClientOptions {
  /** The server root, e.g. `http://localhost:8080` (paths already start with `/v1`). */
  baseUrl: string;
  /** Sent as `x-api-key`; omit it to send unauthenticated requests. */
  apiKey?: string;
  /** A fetch to use instead of the global one (tests, proxies, instrumentation). */
  fetch?: typeof globalThis.fetch;
}

/**
 * A thin typed client for the API Keys API: types generated from `openapi.yaml`,
 * requests made by `openapi-fetch`. The Pact consumer and the conformance
 * suite's happy paths both use it.
 *
 * @example
 * const client = createApiKeysClient({ baseUrl: 'http://localhost:8080', apiKey: 'gm_...' });
 * const created = await client.createApiKey({ labels: { env: 'ci' } });
 * if (created.ok) console.log(created.headers.get('location'), created.data.rawApiKey);
 */
export function createApiKeysClient(options: ApiKeysClientOptions) {
  // openapi-fetch reads `globalThis.fetch` when the request is made, not here,
  // so a fetch swapped in by a test after this call is still honoured.
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    headers: options.apiKey === undefined ? undefined : { 'x-api-key': options.apiKey },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  return {
    async createApiKey(body: CreateApiKeyRequest = {}) {
      return toResult<'createApiKey', CreateApiKeyResponse>('createApiKey', await client.POST('/v1/apikeys', { body }));
    },
    async listApiKeys() {
      return toResult<'listApiKeys', ListApiKeysResponse>('listApiKeys', await client.GET('/v1/apikeys'));
    },
    async updateApiKey(id: string, body: UpdateApiKeyRequest) {
      return toResult<'updateApiKey', ApiKeyResponse>(
        'updateApiKey',
        await client.PUT('/v1/apikeys/{id}', { params: { path: { id } }, body }),
      );
    },
    async deleteApiKey(id: string) {
      return toResult<'deleteApiKey', undefined>('deleteApiKey', await client.DELETE('/v1/apikeys/{id}', { params: { path: { id } } }));
    },
  };
}

export type ApiKeysClient = ReturnType<typeof createApiKeysClient>;

function toResult<Op extends ApiKeysOperationId, Data>(
  operationId: Op,
  outcome: { data?: unknown; error?: unknown; response: Response },
): ApiResult<Op, Data> {
  const { response } = outcome;
  const { status, headers } = response;
  if (successStatuses(operationId).includes(status)) {
    return { ok: true, status: status as SuccessStatus<Op>, headers, data: outcome.data as Data };
  }
  const body = response.ok ? outcome.data : outcome.error;
  return { ok: false, status, headers, error: errorMessage(body), body };
}

/** The message of an error body: its `error`, or its `errors`' messages joined (contracts/CONTRACT.md "Transport"). */
function errorMessage(body: unknown): string | undefined {
  const { error, errors } = (body ?? {}) as { error?: unknown; errors?: unknown };
  if (typeof error === 'string') return error;
  if (!Array.isArray(errors)) return undefined;
  const messages = errors.map((e) => (e as { message?: unknown } | null)?.message).filter((m): m is string => typeof m === 'string');
  return messages.length > 0 ? messages.join('; ') : undefined;
}

/** The documented statuses below 300, read from `openapi.yaml` (cached by loadSpec). */
function successStatuses(operationId: ApiKeysOperationId): number[] {
  return loadSpec().byId[operationId].statuses.filter((status) => status < 300);
}
