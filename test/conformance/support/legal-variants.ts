import { randomBytes } from 'node:crypto';
import { is, presentedKey, rawKeys, rememberRawKey, slot } from './traffic.ts';
import { editJson, type LegalVariant, type VariantState } from './variant-server.ts';

/** How late the "background lastUsedAt" server shows a use, in ms of the run's (virtual) clock. */
const LAST_USED_DELAY_MS = 500;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** Every key object in a response body: a create's apiKeyMetadata, a list's keys, an update's key. */
function keysOf(json: any): any[] {
  if (!json || typeof json !== 'object') return [];
  if (Array.isArray(json.keys)) return json.keys;
  if (json.apiKeyMetadata) return [json.apiKeyMetadata];
  return typeof json.apiKeyId === 'string' ? [json] : [];
}

const apiKeyIdOf = (state: VariantState, rawKey: string | undefined) =>
  rawKey === undefined ? undefined : [...rawKeys(state)].find(([, raw]) => raw === rawKey)?.[0];

/** Long raw keys handed out by the "52 characters" server → the mock's own key behind each. */
const longKeys = (state: VariantState) => slot(state, 'long', () => new Map<string, string>());

/**
 * Correct servers that are not the mock: each differs from it where the contract
 * leaves the choice to the server (contracts/CONTRACT.md "Mock's choices",
 * "Background effects"), and the suite must pass each one without --mock.
 */
export const legalVariants: Record<string, LegalVariant> = {
  'late lastUsedAt': {
    differs: `records lastUsedAt in the background, ${LAST_USED_DELAY_MS} ms after the request`,
    request: (req, state) => {
      const id = apiKeyIdOf(state, presentedKey(req));
      if (id) slot(state, 'usedAt', () => new Map<string, number>()).set(id, state.timers.now());
    },
    response: (res, req, state) => {
      rememberRawKey(res, req, state);
      const usedAt = slot(state, 'usedAt', () => new Map<string, number>());
      const shown = slot(state, 'shown', () => new Map<string, number | null>());
      editJson(res, (json) => {
        for (const key of keysOf(json)) {
          const at = usedAt.get(key.apiKeyId);
          if (at !== undefined && state.timers.now() < at + LAST_USED_DELAY_MS) key.lastUsedAt = shown.get(key.apiKeyId) ?? null;
          else shown.set(key.apiKeyId, key.lastUsedAt);
        }
      });
    },
  },
  'longer raw keys': {
    differs: 'hands out raw keys of gm_ and 52 base32 characters (a larger configured key size)',
    request: (req, state) => {
      for (const header of ['x-api-key', 'authorization'] as const) {
        const value = req.headers[header];
        if (value === undefined) continue;
        for (const [long, short] of longKeys(state)) if (value.includes(long)) req.headers[header] = value.replace(long, short);
      }
    },
    response: (res, req, state) => {
      if (!is('createApiKey', req) || res.status !== 201) return;
      editJson(res, (json) => {
        const long = json.rawApiKey + Array.from(randomBytes(26), (b) => BASE32[b & 31]).join('');
        longKeys(state).set(long, json.rawApiKey);
        json.rawApiKey = long;
      });
    },
  },
  'twelve-character prefix': {
    differs: 'shows the first 12 characters of the raw key as keyPrefix',
    response: (res, req, state) => {
      rememberRawKey(res, req, state);
      editJson(res, (json) => {
        for (const key of keysOf(json)) {
          const raw = rawKeys(state).get(key.apiKeyId);
          if (raw) key.keyPrefix = raw.slice(0, 12);
        }
      });
    },
  },
  'unknown update fields ignored': {
    differs: 'ignores unknown and immutable fields in a body (200, nothing changed) instead of 400',
    mockOptions: { choices: { unknownFields: 'ignored' } },
  },
  '404 for a foreign key': {
    differs: "answers 404 instead of 403 for someone else's key, hiding that it exists",
    mockOptions: { choices: { foreignKeyStatus: 404 } },
  },
  'newest first': {
    differs: 'lists keys newest first',
    mockOptions: { choices: { listOrder: 'newest-first' } },
  },
  'no-op update touches': {
    differs: 'moves updatedAt and updatedById on an update that changes nothing',
    mockOptions: { choices: { noopUpdate: 'moves-updated-at' } },
  },
  'deleted ids reserved': {
    differs: "keeps a deleted key's id taken: choosing it again is 409",
    mockOptions: { choices: { deletedIds: 'reserved' } },
  },
  'error codes': {
    differs: 'adds a machine-readable code beside the message in every error body',
    response: (res) => {
      if (res.status >= 400) editJson(res, (json) => void (json.code = `E${res.status}`));
    },
  },
  'every choice the other way': {
    differs: "takes every mock's choice the other way at once",
    mockOptions: {
      choices: {
        unknownFields: 'ignored',
        listOrder: 'newest-first',
        foreignKeyStatus: 404,
        noopUpdate: 'moves-updated-at',
        deletedIds: 'reserved',
      },
    },
  },
};
