import { randomBytes, randomUUID } from 'node:crypto';
import type { components } from '../../contracts/generated/openapi.js';
import type { Labels, NewKey, StoredKey, StoredUser } from '../store/store-document.ts';
import type { Store } from '../store/create-store.ts';
import { canonicalUuid } from '../../contracts/openapi/canonical-uuid.ts';
import { echo, errors } from './api-error.ts';
import type { Clock } from './clock.ts';
import { generateKeyMaterial, hashOfRawKey, type KeyMaterial } from './key-material.ts';
import { keyUses, type UseFields } from './key-uses.ts';
import { newKeyRecord } from './new-key-record.ts';
import type { MockChoices } from './mock-choices.ts';
import { permissionsOf, scopeOf, type Action, type Permission, type Role } from './permissions.ts';

type Schemas = components['schemas'];
export type ApiKeyResponse = Schemas['ApiKeyResponse'];
export type CreateApiKeyRequest = Schemas['CreateApiKeyRequest'];
export type CreateApiKeyResponse = Schemas['CreateApiKeyResponse'];
export type UpdateApiKeyRequest = Schemas['UpdateApiKeyRequest'];

/** Who is calling: the authenticated key, its owner and the owner's permissions. */
export interface Principal {
  key: StoredKey;
  user: StoredUser;
  permissions: ReadonlySet<Permission>;
}

export interface ServiceOptions {
  store: Store;
  clock: Clock;
  choices: MockChoices;
  random?: (size: number) => Uint8Array;
}

// contracts/CONTRACT.md "Schemas": at most 10 labels, also after a merge.
const MAX_LABELS = 10;
// A short configured rawKeyLength has few keys; past this many draws in a row that are all taken, give up.
const MAX_KEY_DRAWS = 1000;

/**
 * The API-key rules of contracts/CONTRACT.md as plain functions: no Express here.
 * Every failure is an ApiError from the one list in api-error.ts. Checks run in
 * the contract's order ("Check order"): authentication → (id, body: HTTP layer)
 * → operation permission → existence → ownership; on create, a taken apiKeyId.
 */
export function createApiKeyService({ store, clock, choices, random = randomBytes }: ServiceOptions) {
  // What responses show of each key's uses (the lastUsedAt and updatedAtOnUse choices).
  const uses = keyUses(clock, choices);

  /** 401 unless the raw key names an ACTIVE, unexpired key of a known user; records lastUsedAt. */
  function authenticate(rawKey: string | undefined): Principal {
    const hash = rawKey === undefined ? null : hashOfRawKey(rawKey);
    const key = hash === null ? undefined : store.keyByHash(hash);
    const now = clock.now();
    if (!key || key.status !== 'ACTIVE' || (key.expiresAt !== null && key.expiresAt <= now)) throw errors.unauthorized();
    const user = store.user(key.userId);
    if (!user) throw errors.unauthorized();
    uses.used(key, now);
    store.touchKey(key.apiKeyId, now);
    return { key, user, permissions: permissionsOf(user) };
  }

  function requireScope(principal: Principal, action: Action): 'ANY' | 'OWN' {
    const scope = scopeOf(principal.permissions, action);
    if (!scope) throw errors.forbidden(`${action}_APIKEY_OWN`);
    return scope;
  }

  /** Existence, then ownership (contracts/CONTRACT.md "Someone else's key"). */
  function findAccessibleKey(principal: Principal, action: Action, apiKeyId: string): StoredKey {
    const scope = requireScope(principal, action);
    const key = store.keyById(apiKeyId);
    if (!key) throw errors.notFound(apiKeyId);
    if (scope === 'OWN' && key.userId !== principal.user.userId) {
      throw choices.foreignKeyStatus === 404 ? errors.notFound(apiKeyId) : errors.forbidden(`${action}_APIKEY_ANY`);
    }
    return key;
  }

  async function createKey(principal: Principal, request: CreateApiKeyRequest): Promise<CreateApiKeyResponse> {
    requireScope(principal, 'CREATE');
    const now = clock.now();
    const expiresAt = request.expiresAt ?? null;
    if (expiresAt !== null && expiresAt <= now)
      throw errors.invalidField('expiresAt', `must be in the future (now is ${now}, got ${expiresAt})`);
    const apiKeyId = chosenId(request.apiKeyId);
    // contracts/CONTRACT.md "Client-chosen ids": in use by any key of any user is 409, after
    // the permission check. No await between this test and insertKey: nothing can slip in.
    if (store.keyById(apiKeyId) || (choices.deletedIds === 'reserved' && store.isReservedId(apiKeyId))) throw errors.conflict(apiKeyId);
    const material = freshMaterial();
    const caller = principal.user.userId;
    // A created key always belongs to the caller, whatever permissions it holds.
    const key = newKeyRecord({
      apiKeyId,
      userId: caller,
      keyPrefix: material.keyPrefix,
      keyHash: material.keyHash,
      labels: copyLabels(request.labels),
      expiresAt,
      now,
    });
    await store.insertKey(key);
    return { apiKeyMetadata: present(key), rawApiKey: material.rawKey };
  }

  /**
   * Key material of the configured lengths whose hash no key has yet: at the
   * default length a repeat is never drawn (128 random bits); at a very short
   * configured length it is, and a key must still be different for every key.
   */
  function freshMaterial(): KeyMaterial {
    for (let draw = 0; draw < MAX_KEY_DRAWS; draw++) {
      const material = generateKeyMaterial(random, choices);
      if (!store.keyByHash(material.keyHash)) return material;
    }
    throw errors.keySpaceExhausted(choices.rawKeyLength);
  }

  /**
   * The id a new key gets: the client's, canonical lower case, or a fresh one
   * when absent or null. The schema has already refused a malformed id (400);
   * the 32 hex digits without hyphens it also allows are refused here when the
   * compactApiKeyId choice says so.
   */
  function chosenId(requested: string | null | undefined): string {
    if (requested === undefined || requested === null) return randomUUID();
    const id = canonicalUuid(requested);
    if (id === null) throw errors.invalidField('apiKeyId', `must be a UUID, got ${JSON.stringify(requested)}`);
    if (choices.compactApiKeyId === 'refused' && !requested.includes('-'))
      throw errors.invalidField('apiKeyId', `must be a UUID with its four hyphens (8-4-4-4-12), got ${echo(requested)}`);
    return id;
  }

  /** The metadata a response shows: the stored record, with its uses as the choices show them. */
  function present(key: NewKey): ApiKeyResponse {
    return { ...toResponse(key), ...uses.shown(key) };
  }

  function listedKeys(principal: Principal): StoredKey[] {
    const scope = requireScope(principal, 'LIST');
    const keys = scope === 'ANY' ? store.allKeys() : store.keysOfUser(principal.user.userId);
    if (choices.listOrder === 'newest-first') keys.reverse();
    return keys;
  }

  /** The list response as JSON text, from each key's cached JSON (records are replaced on change; only lastUsedAt moves in place). */
  function listKeysJson(principal: Principal): string {
    return `{"keys":[${listedKeys(principal)
      .map((key) => responseJson(key, uses.shown(key)))
      .join(',')}]}`;
  }

  async function updateKey(principal: Principal, apiKeyId: string, request: UpdateApiKeyRequest): Promise<ApiKeyResponse> {
    const key = findAccessibleKey(principal, 'UPDATE', apiKeyId);
    const status = request.status ?? key.status;
    let labels = key.labels;
    if (request.replaceLabels != null) labels = copyLabels(request.replaceLabels);
    else if (request.mergeLabels != null) labels = copyLabels({ ...key.labels, ...request.mergeLabels });
    const count = Object.keys(labels ?? {}).length;
    if (count > MAX_LABELS) {
      const problem = `labels would hold ${count} entries after the update; at most ${MAX_LABELS} are allowed`;
      throw errors.invalidBody(problem, [{ field: 'mergeLabels', message: problem }]);
    }
    const changed = status !== key.status || !sameLabels(labels, key.labels);
    if (!changed && choices.noopUpdate === 'keeps-updated-at') return present(key);
    const updated: StoredKey = { ...key, status, labels, updatedAt: clock.now(), updatedById: principal.user.userId };
    await store.replaceKey(updated);
    return present(updated);
  }

  async function deleteKey(principal: Principal, apiKeyId: string): Promise<void> {
    const key = findAccessibleKey(principal, 'DELETE', apiKeyId);
    // The store reserves the id with the delete, at once (no create can take it in between),
    // journals both in one line and undoes both if the write fails.
    await store.deleteKey(key.apiKeyId, { reserveId: choices.deletedIds === 'reserved' });
    uses.forget(key.apiKeyId);
  }

  /** Control plane: a new user with one fresh key (returned raw, once). */
  async function createUser(input: { name?: string; role?: Role; permissions?: Permission[] | null }) {
    const now = clock.now();
    const user: StoredUser = {
      userId: randomUUID(),
      name: input.name ?? 'user',
      role: input.role ?? 'USER',
      permissions: input.permissions ?? null,
    };
    const material = freshMaterial();
    const key = newKeyRecord({
      apiKeyId: randomUUID(),
      userId: user.userId,
      keyPrefix: material.keyPrefix,
      keyHash: material.keyHash,
      labels: {},
      expiresAt: null,
      now,
    });
    await Promise.all([store.insertUser(user), store.insertKey(key)]);
    return { user, rawApiKey: material.rawKey, apiKeyId: key.apiKeyId };
  }

  /** Forgets what responses have not shown yet: the store was put back to the seed. */
  function forgetUses(): void {
    uses.forget();
  }

  return { authenticate, createKey, listKeysJson, updateKey, deleteKey, createUser, forgetUses };
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

const jsonCache = new WeakMap<StoredKey, UseFields & { json: string }>();
/** A key's response JSON, cached per record and the use fields it shows (the only ones that move without a new record). */
function responseJson(key: StoredKey, shown: UseFields): string {
  const cached = jsonCache.get(key);
  if (cached && cached.lastUsedAt === shown.lastUsedAt && cached.updatedAt === shown.updatedAt) return cached.json;
  const json = JSON.stringify({ ...toResponse(key), ...shown });
  jsonCache.set(key, { ...shown, json });
  return json;
}

/** Metadata only: the key as stored without the stored-only fields (its hash, its creation number). */
export function toResponse(key: NewKey): ApiKeyResponse {
  const { keyHash: _hash, seq: _seq, ...response } = key as StoredKey;
  return response;
}

/**
 * Labels are user data: `Object.fromEntries` defines own properties, so a key
 * named `__proto__` stays a plain entry and never swaps a prototype.
 * A missing or null label set is stored as `{}`.
 */
function copyLabels(labels: Labels | null | undefined): Labels {
  return Object.fromEntries(Object.entries(labels ?? {}));
}

function sameLabels(a: Labels | null, b: Labels | null): boolean {
  const left = Object.entries(a ?? {});
  const right = b ?? {};
  return left.length === Object.keys(right).length && left.every(([k, v]) => Object.hasOwn(right, k) && right[k] === v);
}
