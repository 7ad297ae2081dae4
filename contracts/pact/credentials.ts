import type { CleanupLedger } from '../cleanup/cleanup-ledger.ts';

/**
 * Whose key a request is sent with: the verifier's own user (`caller`), a
 * second user (`other`, for someone else's key) or a user who may not list
 * keys (`restricted`, for 403).
 */
export type CredentialRole = 'caller' | 'other' | 'restricted';

export interface CredentialOptions {
  providerBaseUrl: string;
  apiKey: string;
  otherApiKey?: string;
  restrictedApiKey?: string;
  /** The mock's control-plane token: missing users are then created through `POST /_mock/users`. */
  adminToken?: string;
  fetch?: typeof globalThis.fetch;
}

export type Credentials = Record<CredentialRole, string | undefined> & { caller: string };

/** The flag that supplies each role's key, for messages. */
export const CREDENTIAL_FLAGS: Record<CredentialRole, string> = {
  caller: '--api-key',
  other: '--other-api-key',
  restricted: '--restricted-api-key',
};

export class MissingCredentialError extends Error {
  override name = 'MissingCredentialError';
}

// The mock's control plane (docs/configuration.md "Control plane"): mock-only, never under /v1.
const ADMIN_TOKEN_HEADER = 'x-admin-token';
// The restricted user may delete its own key so that cleanup can remove it;
// it lacks LIST_APIKEY_OWN, which is all the 403 interaction needs.
const CONTROL_PLANE_USERS: Record<Exclude<CredentialRole, 'caller'>, object> = {
  other: { name: 'pact-verifier-other', role: 'USER' },
  restricted: { name: 'pact-verifier-restricted', role: 'USER', permissions: ['DELETE_APIKEY_OWN'] },
};

/**
 * The keys for every role the pacts need. A role's key comes from its option;
 * failing that, with an admin token, from a user created through the mock's
 * control plane (its key goes into the cleanup ledger as that role's
 * credential, to be deleted last). A role that
 * can be had neither way is a MissingCredentialError naming the flags.
 */
export async function resolveCredentials(
  options: CredentialOptions,
  needed: Iterable<CredentialRole>,
  ledger: CleanupLedger<CredentialRole>,
): Promise<Credentials> {
  const credentials: Credentials = { caller: options.apiKey, other: options.otherApiKey, restricted: options.restrictedApiKey };
  const missing = checkCredentials(options, needed);
  for (const role of missing) {
    if (role === 'caller') continue;
    const user = await createMockUser(options, CONTROL_PLANE_USERS[role]);
    credentials[role] = user.rawApiKey;
    ledger.recordCredential(user.apiKeyId, role, user.rawApiKey);
  }
  return credentials;
}

/**
 * The roles whose key was not given, which the control plane will have to
 * provide; without an admin token, a MissingCredentialError naming the flags.
 * Makes no request, so it can run before the provider is contacted.
 */
export function checkCredentials(options: CredentialOptions, needed: Iterable<CredentialRole>): CredentialRole[] {
  const given: Record<CredentialRole, string | undefined> = {
    caller: options.apiKey,
    other: options.otherApiKey,
    restricted: options.restrictedApiKey,
  };
  const missing = [...new Set(needed)].filter((role) => given[role] === undefined);
  if (missing.length > 0 && options.adminToken === undefined) {
    const flags = missing.map((role) => CREDENTIAL_FLAGS[role]).join(' and ');
    throw new MissingCredentialError(`the pacts need ${flags} (or --admin-token, to create such users on the mock)`);
  }
  return missing;
}

async function createMockUser(options: CredentialOptions, body: object): Promise<{ rawApiKey: string; apiKeyId: string }> {
  const url = new URL('/_mock/users', options.providerBaseUrl);
  const response = await (options.fetch ?? fetch)(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [ADMIN_TOKEN_HEADER]: options.adminToken ?? '' },
    body: JSON.stringify(body),
  });
  const created = (await response.json().catch(() => ({}))) as { rawApiKey?: unknown; apiKeyId?: unknown; error?: unknown };
  if (response.status !== 201) {
    // Only the error message: a body could hold a raw key, never printed.
    const reason = typeof created.error === 'string' ? `: ${created.error}` : '';
    throw new MissingCredentialError(`POST ${url.pathname} (control plane, to create a test user) answered ${response.status}${reason}`);
  }
  if (typeof created.rawApiKey !== 'string' || typeof created.apiKeyId !== 'string') {
    throw new MissingCredentialError(`POST ${url.pathname} answered 201 without rawApiKey and apiKeyId`);
  }
  return { rawApiKey: created.rawApiKey, apiKeyId: created.apiKeyId };
}
