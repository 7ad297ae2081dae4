import { randomBytes } from 'node:crypto';
import { loadSpec } from '../../../contracts/openapi/load-spec.ts';
import { OTHER_WAY } from './other-way.ts';
import { idOf, is, isUuid, presentedKey, rawKeys, rememberRawKey, slot } from './traffic.ts';
import { editJson, jsonResponse, type LegalVariant, type ProxiedRequest, type VariantState } from './variant-server.ts';

const spec = loadSpec();

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
    shows: { lastUsedAt: 'background' },
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
    shows: { rawKeyLength: 55 },
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
    shows: { keyPrefixLength: 12 },
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
    shows: { unknownFields: 'ignored' },
    mockOptions: { choices: { unknownFields: 'ignored' } },
  },
  '404 for a foreign key': {
    differs: "answers 404 instead of 403 for someone else's key, hiding that it exists",
    shows: { foreignKeyStatus: 404 },
    mockOptions: { choices: { foreignKeyStatus: 404 } },
  },
  'newest first': {
    differs: 'lists keys newest first',
    shows: { listOrder: 'newest-first' },
    mockOptions: { choices: { listOrder: 'newest-first' } },
  },
  'no-op update touches': {
    differs: 'moves updatedAt and updatedById on an update that changes nothing',
    shows: { noopUpdate: 'moves-updated-at' },
    mockOptions: { choices: { noopUpdate: 'moves-updated-at' } },
  },
  'deleted ids reserved': {
    differs: "keeps a deleted key's id taken: choosing it again is 409",
    shows: { deletedIds: 'reserved' },
    mockOptions: { choices: { deletedIds: 'reserved' } },
  },
  'error codes': {
    differs: 'adds a machine-readable code beside the message in every error body',
    shows: {},
    response: (res) => {
      if (res.status >= 400) editJson(res, (json) => void (json.code = `E${res.status}`));
    },
  },
  'reads only x-api-key': {
    differs: 'reads only x-api-key and refuses Authorization: Bearer (401), as current GoodMem servers do',
    shows: { bearer: 'refused' },
    request: (req) => bearerRefused(req),
  },
  'field errors as a list': {
    differs: 'answers field validation with {"errors": [{"field", "message"}]}, as a live GoodMem server does',
    shows: { validationErrors: 'errors' },
    response: (res) => fieldErrorsAsList(res),
  },
  'status and timestamp in errors': {
    differs: 'adds "status" and "timestamp" to every {"error"} body, as a live GoodMem server does for 404 and 409',
    shows: { errorExtras: 'status-timestamp' },
    response: (res) => statusAndTimestamp(res),
  },
  'partial hyphens read': {
    differs: 'strips every hyphen from a path id and decodes the 32 digits left, so ids with only some hyphens name the key',
    shows: { partialHyphenIds: 'accepted' },
    request: (req) => partialHyphensRead(req),
  },
  'absolute Location': {
    differs: 'sends the Location of a new key as an absolute URL (http://host/v1/apikeys/{id})',
    shows: { location: 'absolute' },
    response: (res, req) => absoluteLocation(res, req),
  },
  "Javalin's own 404s": {
    differs: "answers a wrong method and an unknown path with 404 and the framework's own JSON body (Javalin's defaults)",
    shows: { wrongMethod: 404 },
    request: (req) => javalinNotFound(req),
  },
  'compact path ids refused': {
    differs: 'refuses a path id of 32 hex digits without hyphens (400), as a strict UUID parser would',
    shows: {},
    request: (req) => compactPathIdRefused(req),
  },
  'compact client id refused': {
    differs: 'refuses a chosen apiKeyId of 32 hex digits without hyphens (400), as a strict UUID parser would',
    shows: { compactApiKeyId: 'refused' },
    request: (req) => compactIdRefused(req),
  },
  'updatedAt moves on use': {
    differs: 'moves updatedAt whenever a key authenticates (SET last_used_at = ?, updated_at = now())',
    shows: { updatedAtOnUse: 'moves' },
    response: (res) => updatedAtOnUse(res),
  },
  'numbers sent as strings refused': {
    differs: 'refuses "expiresAt" sent as a numeric string (400) instead of reading the number',
    shows: { numericStrings: 'refused' },
    request: (req) => numericStringRefused(req),
  },
  'every choice the other way': {
    differs: 'takes every legal choice of the table the other way at once (a mock started so)',
    shows: OTHER_WAY,
    mockOptions: { choices: OTHER_WAY },
  },
};

// GoodMem's own server as its artefacts show it (contracts/CONTRACT.md "GoodMem's own artefacts"): every
// behaviour the 2025 server source, the live captures and the access-control page show, at once.
legalVariants["GoodMem's server as its artefacts show it"] = combine(
  "shows every behaviour GoodMem's own artefacts show, at once (server source, live captures, access-control page)",
  [
    'reads only x-api-key',
    'field errors as a list',
    'status and timestamp in errors',
    'partial hyphens read',
    'absolute Location',
    "Javalin's own 404s",
    'late lastUsedAt',
    'updatedAt moves on use',
  ],
);

/** One legal server that shows several variants' behaviours at once: requests and responses rewritten in list order. */
function combine(differs: string, names: string[]): LegalVariant {
  const parts: LegalVariant[] = names.map((name) => {
    const variant = legalVariants[name];
    if (!variant) throw new Error(`no legal variant named ${name}`);
    return variant;
  });
  return {
    differs,
    shows: Object.assign({}, ...parts.map((p) => p.shows)),
    mockOptions: { choices: Object.assign({}, ...parts.map((p) => p.mockOptions?.choices ?? {})) },
    request: async (req, state) => {
      for (const part of parts) {
        const answer = await part.request?.(req, state);
        if (answer) return answer;
      }
    },
    response: (res, req, state) => {
      for (const part of parts) part.response?.(res, req, state);
    },
  };
}

function bearerRefused(req: ProxiedRequest): void {
  // The mock would accept the bearer token: without it, a request carries no key at all.
  delete req.headers.authorization;
}

function fieldErrorsAsList(res: { status: number; body: string }): void {
  if (res.status !== 400) return;
  editJson(res, (json) => {
    // The mock words a failed field "request body property <field> …" / "path parameter <field> …".
    const field = /^(?:request body property|path parameter) ([\w.]+)/.exec(String(json?.error))?.[1];
    return field ? { errors: [{ field, message: json.error }] } : json;
  });
}

function statusAndTimestamp(res: { status: number; body: string }): void {
  if (res.status < 400) return;
  editJson(res, (json) => {
    if (json && typeof json.error === 'string') Object.assign(json, { status: res.status, timestamp: new Date().toISOString() });
  });
}

function partialHyphensRead(req: ProxiedRequest): void {
  if (!is('updateApiKey', req) && !is('deleteApiKey', req)) return;
  const slash = req.path.lastIndexOf('/') + 1;
  const id = decodeURIComponent(req.path.slice(slash));
  const digits = id.replace(/-/g, '');
  if (/^[0-9a-fA-F]{32}$/.test(digits) && !isUuid(id)) req.path = `${req.path.slice(0, slash)}${digits}`;
}

function absoluteLocation(res: { status: number; headers: Record<string, string> }, req: ProxiedRequest): void {
  const location = res.headers.location;
  if (is('createApiKey', req) && res.status === 201 && location?.startsWith('/'))
    res.headers.location = `http://${req.headers.host}${location}`;
}

function javalinNotFound(req: ProxiedRequest) {
  const pathname = req.path.split('?')[0]!;
  if (!pathname.startsWith('/v1/')) return;
  const route = spec.paths.find((p) => spec.operations.some((op) => op.path === p.path && op.match(pathname)));
  if (route && route.methods.includes(req.method.toUpperCase())) return;
  return jsonResponse(404, {
    title: `Endpoint ${req.method} ${pathname} not found`,
    status: 404,
    type: 'https://javalin.io/documentation#endpointnotfound',
    details: {},
  });
}

function compactPathIdRefused(req: ProxiedRequest) {
  const op = is('updateApiKey', req) ? 'updateApiKey' : is('deleteApiKey', req) ? 'deleteApiKey' : undefined;
  if (op && /^[0-9a-fA-F]{32}$/.test(idOf(op, req)))
    return jsonResponse(400, { error: 'path parameter id must be a UUID in 8-4-4-4-12 form' });
}

function compactIdRefused(req: ProxiedRequest) {
  if (!is('createApiKey', req)) return;
  let compact = false;
  editJson(req, (json) => void (compact = typeof json?.apiKeyId === 'string' && /^[0-9a-fA-F]{32}$/.test(json.apiKeyId)));
  if (compact) return jsonResponse(400, { error: 'apiKeyId must be a UUID in 8-4-4-4-12 form' });
}

function updatedAtOnUse(res: { body: string }): void {
  editJson(res, (json) => {
    for (const key of keysOf(json))
      if (typeof key.lastUsedAt === 'number' && key.lastUsedAt > key.updatedAt) key.updatedAt = key.lastUsedAt;
  });
}

function numericStringRefused(req: ProxiedRequest) {
  if (!is('createApiKey', req)) return;
  let numeric = false;
  editJson(req, (json) => void (numeric = typeof json?.expiresAt === 'string' && /^\d+$/.test(json.expiresAt)));
  if (numeric) return jsonResponse(400, { error: 'request body property expiresAt must be integer' });
}
