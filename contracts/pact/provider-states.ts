import { randomUUID } from 'node:crypto';
// The proxy's own type: VerifierOptions['stateHandlers'] also mixes in the message-pact handlers.
import type { StateHandlers } from '@pact-foundation/pact/src/dsl/verifier/proxy/types.js';
import type { CleanupLedger } from '../cleanup/cleanup-ledger.ts';
import { createApiKeysClient, type ApiKeysClient, type UpdateApiKeyRequest } from '../client/create-api-keys-client.ts';
import type { CredentialRole, Credentials } from './credentials.ts';
import { describeFetchError } from '../common/describe-fetch-error.ts';
import { PROVIDER_STATES, type ProviderStateName } from './pact-names.ts';

/** Which credential each state needs beyond the caller's own key. */
export const STATE_REQUIREMENTS: Record<ProviderStateName, CredentialRole> = {
  [PROVIDER_STATES.keyExists]: 'caller',
  [PROVIDER_STATES.keyDeleted]: 'caller',
  [PROVIDER_STATES.otherUsersKey]: 'other',
  [PROVIDER_STATES.unusedId]: 'caller',
  [PROVIDER_STATES.callerCannotList]: 'restricted',
};

export function isProviderStateName(name: string): name is ProviderStateName {
  return Object.hasOwn(STATE_REQUIREMENTS, name);
}

export interface ProviderStatesOptions {
  providerBaseUrl: string;
  credentials: Credentials;
  ledger: CleanupLedger<CredentialRole>;
  fetch?: typeof globalThis.fetch;
}

type StateValues = Record<string, string> | undefined;
interface StateHandler {
  setup(params: Record<string, unknown>): Promise<StateValues>;
  teardown?(): Promise<void>;
}

interface KeyExistsParams {
  labels?: Record<string, string>;
  status?: NonNullable<UpdateApiKeyRequest['status']>;
}

/**
 * The state handlers, set up through the public API only, so the same pact
 * verifies the mock and a real server. States that make a key hand its id to
 * the pact as `${id}` (provider-state injected values) and record it in the
 * cleanup ledger, which deletes it after verification.
 *
 * pact-js only logs a failing state handler and carries on; failures are kept
 * in `errors` so that the verification as a whole fails with their message.
 *
 * @example
 * const states = createProviderStates({ providerBaseUrl, credentials, ledger });
 * // stateHandlers: states.handlers; the request filter sends with credentials[states.role()]
 */
export function createProviderStates(options: ProviderStatesOptions) {
  const { credentials, ledger } = options;
  const errors: string[] = [];
  let role: CredentialRole = 'caller';

  const clientFor = (who: CredentialRole): ApiKeysClient => {
    const apiKey = credentials[who];
    if (apiKey === undefined) throw new Error(`no key for the ${who} user`);
    return createApiKeysClient({ baseUrl: options.providerBaseUrl, apiKey, fetch: options.fetch });
  };

  /** Creates a key owned by `who` for `state` and records it for clean-up; returns its id. */
  const createKey = async (state: ProviderStateName, who: CredentialRole, labels?: Record<string, string>): Promise<string> => {
    const created = await clientFor(who).createApiKey(labels ? { labels } : {});
    // Lenient on purpose: a key made with the wrong status (say 200) is still a
    // key to use and to delete; the create interactions report the status.
    const body = (created.ok ? created.data : created.body) as { apiKeyMetadata?: { apiKeyId?: unknown } } | undefined;
    const id = body?.apiKeyMetadata?.apiKeyId;
    if (typeof id !== 'string')
      throw new Error(
        `POST /v1/apikeys answered ${created.status}${created.ok ? ' without an apiKeyId' : created.error ? `: ${created.error}` : ''}`,
      );
    ledger.recordCreated(id, who, null, `provider state "${state}"`);
    return id;
  };

  const handlers: Record<ProviderStateName, StateHandler> = {
    [PROVIDER_STATES.keyExists]: {
      async setup(params) {
        const { labels, status } = params as KeyExistsParams;
        const id = await createKey(PROVIDER_STATES.keyExists, 'caller', labels);
        if (status !== undefined && status !== 'ACTIVE') {
          const updated = await clientFor('caller').updateApiKey(id, { status });
          if (!updated.ok) throw new Error(`PUT /v1/apikeys/${id} answered ${updated.status}`);
        }
        return { id };
      },
    },
    [PROVIDER_STATES.keyDeleted]: {
      async setup() {
        const id = await createKey(PROVIDER_STATES.keyDeleted, 'caller');
        const deleted = await clientFor('caller').deleteApiKey(id);
        if (!deleted.ok) throw new Error(`DELETE /v1/apikeys/${id} answered ${deleted.status}`);
        ledger.recordDeleted(id);
        return { id };
      },
    },
    [PROVIDER_STATES.otherUsersKey]: {
      async setup() {
        return { id: await createKey(PROVIDER_STATES.otherUsersKey, 'other') };
      },
    },
    // A random v4 UUID: fresh on every verification, so a server that keeps deleted ids taken still passes.
    [PROVIDER_STATES.unusedId]: {
      async setup() {
        return { id: randomUUID() };
      },
    },
    // This interaction's requests go out with the restricted key (request-filter.ts).
    [PROVIDER_STATES.callerCannotList]: {
      async setup() {
        role = 'restricted';
        return undefined;
      },
      async teardown() {
        role = 'caller';
      },
    },
  };

  const guarded: StateHandlers = {
    // The verifier also calls the state-change hook with an empty name for an
    // interaction without states; answering it keeps pact-js from warning.
    '': async () => undefined,
  };
  for (const [name, handler] of Object.entries(handlers)) {
    const record = (action: string, error: unknown) =>
      errors.push(`provider state "${name}" (${action}) failed: ${describeFetchError(error)}`);
    guarded[name] = {
      setup: (params) => handler.setup((params ?? {}) as Record<string, unknown>).catch((error: unknown) => void record('setup', error)),
      teardown: async () => {
        await handler.teardown?.().catch((error: unknown) => record('teardown', error));
        return undefined;
      },
    };
  }

  return {
    handlers: guarded,
    /** Whose key the request being verified goes out with. */
    role: () => role,
    /** One sentence per state that could not be set up. */
    errors,
  };
}
