import { randomUUID } from 'node:crypto';
import { SERVER_CHOICES } from '../../common/server-choices.ts';
import { canonicalUuid } from '../../openapi/canonical-uuid.ts';
import { isJsonObject } from '../../openapi/is-json-object.ts';
import { loadSpec } from '../../openapi/load-spec.ts';
import { TRANSPORT } from '../check-definition.ts';
import { expectStatus, expectThat, keysIn, type ApiKey } from '../expect.ts';
import type { Exchange } from '../http-exchange.ts';
import { locationForm } from '../location-path.ts';
import { requires } from '../requires.ts';
import { defineChoiceCheck, sighting } from './define-choice-check.ts';

// One check per legal choice of contracts/common/server-choices.ts (contracts/CONTRACT.md
// "Mock's choices"): each probe tells which value a server shows. Against the mock (--mock)
// the value must be the one it is held to; against any other server they only inform
// (--profile-out). Label length bounds are a schema choice: see label_bounds_rejected.

const DAY = 86_400_000;
const future = () => Date.now() + 30 * DAY;

/** The status of an answer as one of two values, or undefined when it is neither. */
function byStatus<V>(exchange: Exchange, answers: Record<number, V>): V | undefined {
  return answers[exchange.status];
}

export const unknownFields = defineChoiceCheck({
  name: 'unknown_fields',
  operations: ['createApiKey', 'updateApiKey'],
  observes: ['unknownFields'],
  description: 'An unknown body field (an SDK typo such as expires_at) is refused with 400, or ignored (mock: refused).',
  probe: async (ctx, operation) => {
    if (operation === 'createApiKey') {
      const exchange = await ctx.as('apiKey').create({ expires_at: future() });
      return [sighting('unknownFields', byStatus(exchange, { 400: 'rejected', 201: 'ignored' } as const), exchange)];
    }
    const target = await ctx.createKey('apiKey', { labels: { keep: 'me' } });
    const before = (await ctx.find('apiKey', target.apiKeyId)) ?? target.metadata;
    const exchange = await ctx.as('apiKey').update(target.apiKeyId, { status: 'INACTIVE', merge_labels: { a: 'b' } });
    const value = byStatus(exchange, { 400: 'rejected', 200: 'ignored' } as const);
    // Refused: nothing changed; ignored: the known field applied, the unknown one not.
    if (value === 'rejected' && ctx.options.mock) await ctx.expectUnchanged(exchange, 'apiKey', before);
    return [sighting('unknownFields', value, exchange)];
  },
});

export const listOrder = defineChoiceCheck({
  name: 'list_order',
  operations: ['listApiKeys'],
  observes: ['listOrder'],
  description: 'The list is ordered oldest first or newest first (mock: oldest first).',
  probe: async (ctx) => {
    const first = await ctx.createKey();
    const second = await ctx.createKey();
    const exchange = await ctx.as('apiKey').list();
    const ids = keysIn(exchange).map((k) => k.apiKeyId);
    const [a, b] = [ids.indexOf(first.apiKeyId), ids.indexOf(second.apiKeyId)];
    const value = a === -1 || b === -1 ? undefined : a < b ? 'oldest-first' : 'newest-first';
    return [sighting('listOrder', value, exchange)];
  },
});

export const noopUpdate = defineChoiceCheck({
  name: 'noop_update',
  operations: ['updateApiKey'],
  observes: ['noopUpdate'],
  description: 'An update that changes nothing leaves updatedAt and updatedById alone, or moves them (mock: leaves them).',
  probe: async (ctx) => {
    const created = await ctx.createKey('apiKey', { labels: { same: 'value' } });
    // Repeat what is already there. With an admin key a recorded change would show as
    // updatedById; without one, let a few ms pass so a recorded change moves updatedAt.
    const who = ctx.options.adminApiKey ? 'adminApiKey' : 'apiKey';
    if (who === 'apiKey') await ctx.sleep(5);
    const exchange = await ctx.as(who).update(created.apiKeyId, { status: 'ACTIVE', mergeLabels: { same: 'value' } });
    expectStatus(exchange, 200);
    const after = exchange.json as Partial<ApiKey>;
    const kept = after.updatedAt === created.metadata.updatedAt && after.updatedById === created.metadata.updatedById;
    return [sighting('noopUpdate', kept ? 'keeps-updated-at' : 'moves-updated-at', exchange)];
  },
});

export const deletedIds = defineChoiceCheck({
  name: 'deleted_ids',
  operations: ['createApiKey'],
  observes: ['deletedIds'],
  description: 'The id of a deleted key may be chosen again (201), or stays taken (409) (mock: chosen again).',
  probe: async (ctx) => {
    const apiKeyId = randomUUID();
    await ctx.createKey('apiKey', { apiKeyId });
    expectStatus(await ctx.as('apiKey').remove(apiKeyId), 204);
    const again = await ctx.as('apiKey').create({ apiKeyId });
    return [sighting('deletedIds', byStatus(again, { 201: 'reusable', 409: 'reserved' } as const), again)];
  },
});

export const foreignKeyStatus = defineChoiceCheck({
  name: 'foreign_key_status',
  operations: ['updateApiKey', 'deleteApiKey'],
  observes: ['foreignKeyStatus'],
  description: "Someone else's key is answered 403, or 404 to hide that it exists (mock: 403).",
  probe: async (ctx, operation) => {
    requires(ctx, 'otherApiKey');
    const mine = await ctx.createKey();
    const other = ctx.as('otherApiKey');
    const exchange =
      operation === 'updateApiKey' ? await other.update(mine.apiKeyId, { status: 'INACTIVE' }) : await other.remove(mine.apiKeyId);
    return [sighting('foreignKeyStatus', byStatus(exchange, { 403: 403, 404: 404 } as const), exchange)];
  },
});

export const keyUseEffects = defineChoiceCheck({
  name: 'key_use_effects',
  operations: ['listApiKeys'],
  observes: ['lastUsedAt', 'updatedAtOnUse'],
  description:
    'Using a key shows in lastUsedAt at once or a moment later, and moves its updatedAt or not (mock: at once, updatedAt unchanged).',
  probe: async (ctx) => {
    const created = await ctx.createKey();
    const asKey = ctx.as({ rawKey: created.rawKey });
    const listed = async () => {
      const exchange = await ctx.as('apiKey').list();
      return { exchange, key: keysIn(exchange).find((k) => k.apiKeyId === created.apiKeyId) };
    };
    expectStatus(await asKey.list(), 200, 'a new key authenticates at once');
    const first = await listed();
    const recorded = (key: ApiKey | undefined) => typeof key?.lastUsedAt === 'number';
    const timing = recorded(first.key)
      ? 'immediate'
      : recorded((await ctx.eventually(listed, (l) => recorded(l.key))).key)
        ? 'background'
        : undefined;
    // Whether a use moves updatedAt shows only once the server's clock has passed the key's
    // updatedAt: use it until lastUsedAt is later (each round takes time on the server's clock).
    const later = await ctx.eventually(
      async () => {
        expectStatus(await asKey.list(), 200);
        return listed();
      },
      (l) => (l.key?.lastUsedAt ?? 0) > created.metadata.updatedAt,
    );
    const onUse =
      (later.key?.lastUsedAt ?? 0) > created.metadata.updatedAt
        ? later.key!.updatedAt > created.metadata.updatedAt
          ? 'moves'
          : 'unchanged'
        : undefined;
    return [sighting('lastUsedAt', timing, first.exchange), sighting('updatedAtOnUse', onUse, later.exchange)];
  },
});

export const keyLengths = defineChoiceCheck({
  name: 'key_lengths',
  operations: ['createApiKey'],
  observes: ['rawKeyLength', 'keyPrefixLength'],
  description: 'The raw key and keyPrefix have the lengths the server is configured with (mock: 29 and 8 characters).',
  probe: async (ctx) => {
    const { rawKey, metadata, exchange } = await ctx.createKey();
    const { min, max } = SERVER_CHOICES.rawKeyLength;
    const prefix = metadata.keyPrefix;
    return [
      sighting('rawKeyLength', rawKey.length >= min && rawKey.length <= max ? rawKey.length : undefined, exchange),
      sighting('keyPrefixLength', typeof prefix === 'string' && prefix.length > 0 ? prefix.length : undefined, exchange),
    ];
  },
});

export const bearerKey = defineChoiceCheck({
  name: 'bearer_key',
  operations: ['listApiKeys'],
  observes: ['bearer'],
  // One read-only list: every run's summary says whether the server accepts Bearer (never a failure without --mock).
  always: true,
  description: 'The key sent as Authorization: Bearer <key> authenticates, or only x-api-key does (mock: Bearer accepted).',
  probe: async (ctx) => {
    const exchange = await ctx.as(null).call('listApiKeys', { headers: { authorization: `Bearer ${ctx.keyOf('apiKey')}` } });
    return [sighting('bearer', byStatus(exchange, { 200: 'accepted', 401: 'refused' } as const), exchange)];
  },
});

export const errorBodyShape = defineChoiceCheck({
  name: 'error_body_shape',
  operations: ['createApiKey'],
  observes: ['validationErrors', 'errorExtras'],
  description:
    'A field that fails validation is answered {"error"} or {"errors": [...]}, and an {"error"} body may carry status and timestamp (mock: {"error"} alone).',
  probe: async (ctx) => {
    const tooMany = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`l${i}`, `v${i}`]));
    const invalid = await ctx.as('apiKey').create({ labels: tooMany });
    expectStatus(invalid, 400, 'at most 10 labels');
    const body = invalid.json as { error?: unknown; errors?: unknown } | undefined;
    const shape = Array.isArray(body?.errors) ? 'errors' : typeof body?.error === 'string' ? 'error' : undefined;
    // An {"error"} body of another kind: the conflict of a chosen id already in use.
    const { apiKeyId } = await ctx.createKey('apiKey', { apiKeyId: randomUUID() });
    const conflict = await ctx.as('apiKey').create({ apiKeyId });
    expectStatus(conflict, 409, 'an apiKeyId in use is 409');
    const error = conflict.json;
    const extras =
      isJsonObject(error) && typeof error.error === 'string'
        ? 'status' in error && 'timestamp' in error
          ? 'status-timestamp'
          : 'none'
        : undefined;
    return [sighting('validationErrors', shape, invalid), sighting('errorExtras', extras, conflict)];
  },
});

export const locationFormCheck = defineChoiceCheck({
  name: 'location_form',
  operations: ['createApiKey'],
  observes: ['location'],
  description: "The create's Location is a path, or an absolute URL (mock: a path).",
  probe: async (ctx) => {
    const { exchange } = await ctx.createKey();
    const location = exchange.headers.get('location');
    return [sighting('location', location === null ? undefined : (locationForm(location) ?? undefined), exchange)];
  },
});

export const unknownRouteAnswers = defineChoiceCheck({
  name: 'unknown_route_answers',
  operations: [TRANSPORT],
  observes: ['wrongMethod'],
  description: 'A method a path does not have is answered 405 with Allow, or 404 (mock: 405; both, and an unknown path, as {"error"}).',
  probe: async (ctx) => {
    const collection = loadSpec().paths.find((p) => !p.path.includes('{'))!;
    const exchange = await ctx.send({ method: 'PATCH', path: collection.path, apiKey: ctx.keyOf('apiKey'), body: {} });
    if (ctx.options.mock) {
      // The mock answers routes it does not have in its own error shape.
      const unknown = await ctx.send({ method: 'GET', path: '/v1/no-such-resource', apiKey: ctx.keyOf('apiKey') });
      for (const answer of [exchange, unknown]) {
        const json = answer.json;
        expectThat(isJsonObject(json) && typeof json.error === 'string', answer, 'a JSON {"error": ...} body', answer.text.slice(0, 120));
      }
      expectStatus(unknown, 404, 'an unknown path is 404');
    }
    return [sighting('wrongMethod', byStatus(exchange, { 405: 405, 404: 404 } as const), exchange)];
  },
});

export const compactApiKeyId = defineChoiceCheck({
  name: 'compact_api_key_id',
  operations: ['createApiKey'],
  observes: ['compactApiKeyId'],
  description: 'A chosen apiKeyId of 32 hex digits without hyphens is accepted (in canonical form), or refused with 400 (mock: accepted).',
  probe: async (ctx) => {
    const apiKeyId = randomUUID();
    const exchange = await ctx.as('apiKey').create({ apiKeyId: apiKeyId.replace(/-/g, '') });
    const made = (exchange.json as { apiKeyMetadata?: { apiKeyId?: unknown } } | undefined)?.apiKeyMetadata?.apiKeyId;
    const value = exchange.status === 201 ? (made === apiKeyId ? 'accepted' : undefined) : byStatus(exchange, { 400: 'refused' } as const);
    return [sighting('compactApiKeyId', value, exchange)];
  },
});

export const partialHyphenIds = defineChoiceCheck({
  name: 'partial_hyphen_ids',
  operations: ['updateApiKey'],
  observes: ['partialHyphenIds'],
  description: 'A path id with only some of its four hyphens is refused with 400, or read as the UUID its digits spell (mock: refused).',
  probe: async (ctx) => {
    const target = await ctx.createKey();
    const partial = target.apiKeyId.replace(/-(?=[^-]*$)/, '');
    const exchange = await ctx.as('apiKey').update(partial, { mergeLabels: { form: 'partial' } });
    const named = (exchange.json as { apiKeyId?: unknown } | undefined)?.apiKeyId;
    const value =
      exchange.status === 200
        ? named === canonicalUuid(target.apiKeyId)
          ? 'accepted'
          : undefined
        : byStatus(exchange, { 400: 'refused' } as const);
    return [sighting('partialHyphenIds', value, exchange)];
  },
});

export const numericStrings = defineChoiceCheck({
  name: 'numeric_strings',
  operations: ['createApiKey'],
  observes: ['numericStrings'],
  // The only request of the suite that sends a string where a number belongs (contracts/CONTRACT.md
  // "Transport"), so only a run that probes sends it (--mock, --profile-out). A schema validator in
  // front of the server (Prism's proxy) refuses it by the spec's types: leave it out there by name
  // (options.excludeChecks).
  description: 'expiresAt sent as a numeric string is read as that number, or refused with 400 (mock: read as the number).',
  probe: async (ctx) => {
    const expiresAt = future();
    const exchange = await ctx.as('apiKey').create({ expiresAt: String(expiresAt) });
    const echoed = (exchange.json as { apiKeyMetadata?: { expiresAt?: unknown } } | undefined)?.apiKeyMetadata?.expiresAt;
    const value =
      exchange.status === 201 ? (echoed === expiresAt ? 'accepted' : undefined) : byStatus(exchange, { 400: 'refused' } as const);
    return [sighting('numericStrings', value, exchange)];
  },
});

/** Every choice check, in the order of the choice table. */
export const mockChoiceChecks = [
  listOrder,
  foreignKeyStatus,
  unknownFields,
  deletedIds,
  noopUpdate,
  keyUseEffects,
  keyLengths,
  bearerKey,
  errorBodyShape,
  locationFormCheck,
  unknownRouteAnswers,
  compactApiKeyId,
  partialHyphenIds,
  numericStrings,
];
