import { SERVER_CHOICES } from '../../common/server-choices.ts';
import { defineCheck } from '../check-definition.ts';
import { expectSame, expectStatus, expectThat, keyIn, keysIn, stable, where } from '../expect.ts';
import type { Exchange } from '../http-exchange.ts';
import { locationForm } from '../location-path.ts';

const DAY = 86_400_000;

export const createdKeyIsActiveAndUsable = defineCheck({
  name: 'created_key_is_active_and_usable',
  rule: 'Create',
  family: 'behaviour',
  operations: ['createApiKey'],
  observes: ['location'],
  description: 'A new key is ACTIVE, owned and audited by the caller, never used yet, and authenticates at once.',
  run: async (ctx) => {
    const { metadata: key, exchange, rawKey } = await ctx.createKey();
    const form = locationForm(exchange.headers.get('location') ?? '');
    if (form) ctx.observe('location', form);
    const hint = 'ACTIVE, userId = createdById = updatedById = caller, createdAt = updatedAt, lastUsedAt null';
    expectSame(exchange, 'status', 'ACTIVE', key.status, hint);
    expectSame(exchange, 'createdById and updatedById equal to userId', [key.userId, key.userId], [key.createdById, key.updatedById], hint);
    expectSame(exchange, 'updatedAt equal to createdAt', key.createdAt, key.updatedAt, hint);
    expectSame(exchange, 'lastUsedAt', null, key.lastUsedAt ?? null, hint);
    expectSame(exchange, 'the caller as owner', await ctx.userIdOf('apiKey'), key.userId, 'A created key always belongs to the caller');
    expectStatus(await ctx.as({ rawKey }).list(), 200, 'the raw key authenticates at once');
  },
});

export const keyPrefixMatchesRawKey = defineCheck({
  name: 'key_prefix_matches_raw_key',
  rule: 'Key material',
  family: 'behaviour',
  operations: ['createApiKey'],
  observes: ['rawKeyLength', 'keyPrefixLength'],
  description:
    "keyPrefix is a non-empty proper prefix of the raw key (its length is the server's business), and the raw key starts with gm_.",
  run: async (ctx) => {
    const { metadata, rawKey, exchange } = await ctx.createKey();
    const { min, max } = SERVER_CHOICES.rawKeyLength;
    if (rawKey.length >= min && rawKey.length <= max) ctx.observe('rawKeyLength', rawKey.length);
    expectThat(
      rawKey.startsWith('gm_'),
      exchange,
      'a raw key that starts with gm_',
      `${rawKey.slice(0, 8)}…`,
      'every raw key starts with gm_',
    );
    const prefix = metadata.keyPrefix;
    // The schema allows null; a prefix that is given must be a display prefix of this key.
    if (prefix === null || prefix === undefined) return;
    expectThat(
      prefix.length > 0 && prefix.length < rawKey.length && rawKey.startsWith(prefix),
      exchange,
      `keyPrefix a non-empty proper prefix of the raw key (${rawKey.slice(0, 3)}…, ${rawKey.length} characters)`,
      `keyPrefix ${JSON.stringify(prefix)}`,
      'keyPrefix shows the start of the raw key, never all of it',
    );
    ctx.observe('keyPrefixLength', prefix.length);
  },
});

export const createdKeyIsListed = defineCheck({
  name: 'created_key_is_listed',
  rule: 'List',
  family: 'behaviour',
  operations: ['listApiKeys'],
  description: "A created key appears in its owner's list with the metadata the create returned (and no secret).",
  run: async (ctx) => {
    const created = await ctx.createKey('apiKey', { labels: { purpose: 'listed' } });
    const exchange = await ctx.as('apiKey').list();
    const listed = keysIn(exchange).find((k) => k.apiKeyId === created.apiKeyId);
    expectThat(
      listed !== undefined,
      exchange,
      `key ${created.apiKeyId} in the list`,
      'not listed',
      'resource availability: what was created can be found',
    );
    expectSame(exchange, 'the listed metadata', stable(created.metadata), stable(listed));
  },
});

export const lastUsedAtRecorded = defineCheck({
  name: 'last_used_at_recorded',
  rule: 'Background effects',
  family: 'behaviour',
  operations: ['listApiKeys'],
  observes: ['lastUsedAt', 'updatedAtOnUse'],
  description: 'Authenticating with a key records lastUsedAt on it (within the background timeout).',
  run: async (ctx) => {
    const created = await ctx.createKey();
    expectStatus(await ctx.as({ rawKey: created.rawKey }).list(), 200);
    const listedKey = (exchange: Exchange) => keysIn(exchange).find((k) => k.apiKeyId === created.apiKeyId);
    const recorded = (exchange: Exchange) => {
      const used = listedKey(exchange)?.lastUsedAt;
      return typeof used === 'number' && used >= created.metadata.createdAt;
    };
    // The server may record it in the background: look again until the background timeout.
    const first = await ctx.as('apiKey').list();
    const exchange = recorded(first) ? first : await ctx.eventually(() => ctx.as('apiKey').list(), recorded);
    const used = listedKey(exchange)?.lastUsedAt;
    if (recorded(exchange)) ctx.observe('lastUsedAt', exchange === first ? 'immediate' : 'background');
    // Once the server's clock is past the key's updatedAt, whether the use moved updatedAt shows.
    const key = listedKey(exchange);
    if (key && typeof used === 'number' && used > created.metadata.updatedAt)
      ctx.observe('updatedAtOnUse', key.updatedAt > created.metadata.updatedAt ? 'moves' : 'unchanged');
    expectThat(
      recorded(exchange),
      exchange,
      `lastUsedAt ≥ createdAt (${created.metadata.createdAt}) within ${ctx.options.backgroundTimeoutMs} ms of the key authenticating`,
      `lastUsedAt ${JSON.stringify(used)}`,
      'lastUsedAt is the last successful authentication with this key (raise --background-timeout for a slow server)',
    );
  },
});

export const labelsAndExpiryRoundTrip = defineCheck({
  name: 'labels_and_expiry_round_trip',
  rule: 'Create',
  family: 'behaviour',
  operations: ['createApiKey'],
  description: 'Labels and expiresAt given at creation come back unchanged, in the create response and the list.',
  run: async (ctx) => {
    // Keys such as __proto__ are ordinary data (openapi.yaml Labels); JSON.parse keeps it an own property.
    const labels = JSON.parse('{"env":"ci","team":"sdk","empty":"","__proto__":"plain","with space":"ü ✓"}') as Record<string, string>;
    const expiresAt = Date.now() + 365 * DAY;
    const created = await ctx.createKey('apiKey', { labels, expiresAt });
    expectSame(created.exchange, 'labels', labels, created.metadata.labels);
    expectSame(created.exchange, 'expiresAt', expiresAt, created.metadata.expiresAt);
    const listed = await ctx.find('apiKey', created.apiKeyId);
    expectSame(created.exchange, 'listed labels and expiresAt', [labels, expiresAt], [listed?.labels, listed?.expiresAt]);
  },
});

export const tenLabelsAccepted = defineCheck({
  name: 'ten_labels_accepted',
  rule: 'Schemas',
  family: 'behaviour',
  operations: ['createApiKey'],
  description: 'Exactly 10 labels, the most allowed, are accepted.',
  run: async (ctx) => {
    const labels = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`label${i}`, `value${i}`]));
    const created = await ctx.createKey('apiKey', { labels });
    expectSame(created.exchange, 'labels', labels, created.metadata.labels, 'at most 10 labels (10 is allowed)');
  },
});

export const mergeLabelsAddsAndOverwrites = defineCheck({
  name: 'merge_labels_adds_and_overwrites',
  rule: 'Update',
  family: 'behaviour',
  operations: ['updateApiKey'],
  description: 'mergeLabels adds new entries and overwrites given ones, keeping the rest.',
  run: async (ctx) => {
    const created = await ctx.createKey('apiKey', { labels: { keep: '1', change: 'old' } });
    const exchange = await ctx.as('apiKey').update(created.apiKeyId, { mergeLabels: { change: 'new', add: '2' } });
    expectStatus(exchange, 200);
    const expected = { keep: '1', change: 'new', add: '2' };
    expectSame(exchange, 'labels', expected, keyIn(exchange).labels, 'mergeLabels adds or overwrites the given entries');
    expectSame(exchange, 'listed labels', expected, (await ctx.find('apiKey', created.apiKeyId))?.labels);
  },
});

export const replaceLabelsReplacesAll = defineCheck({
  name: 'replace_labels_replaces_all',
  rule: 'Update',
  family: 'behaviour',
  operations: ['updateApiKey'],
  description: 'replaceLabels replaces the whole set; {} clears it.',
  run: async (ctx) => {
    const created = await ctx.createKey('apiKey', { labels: { old: '1', other: '2' } });
    const api = ctx.as('apiKey');
    const replaced = await api.update(created.apiKeyId, { replaceLabels: { fresh: '3' } });
    expectStatus(replaced, 200);
    expectSame(replaced, 'labels', { fresh: '3' }, keyIn(replaced).labels, 'replaceLabels replaces the whole set');
    const cleared = await api.update(created.apiKeyId, { replaceLabels: {} });
    expectStatus(cleared, 200);
    const labels = keyIn(cleared).labels;
    expectThat(
      labels === null || (typeof labels === 'object' && Object.keys(labels).length === 0),
      cleared,
      'no labels ({} or null)',
      JSON.stringify(labels),
      '{} clears the set',
    );
  },
});

export const statusTransitions = defineCheck({
  name: 'status_transitions',
  rule: 'Update',
  family: 'behaviour',
  operations: ['updateApiKey'],
  description: 'ACTIVE → INACTIVE → ACTIVE, each update answered with the new status and listed so.',
  run: async (ctx) => {
    const created = await ctx.createKey();
    const api = ctx.as('apiKey');
    for (const status of ['INACTIVE', 'ACTIVE'] as const) {
      const exchange = await api.update(created.apiKeyId, { status });
      expectStatus(exchange, 200);
      expectSame(exchange, 'status', status, keyIn(exchange).status);
      expectSame(exchange, 'listed status', status, (await ctx.find('apiKey', created.apiKeyId))?.status);
    }
  },
});

export const auditFieldsOnUpdate = defineCheck({
  name: 'audit_fields_on_update',
  rule: 'Update',
  family: 'behaviour',
  operations: ['updateApiKey'],
  description: 'A change sets updatedById to the caller and moves updatedAt forward; ids, owner, prefix and creation fields stay.',
  run: async (ctx) => {
    const created = await ctx.createKey();
    const exchange = await ctx.as('apiKey').update(created.apiKeyId, { mergeLabels: { audited: 'yes' } });
    expectStatus(exchange, 200);
    const updated = keyIn(exchange);
    const before = created.metadata;
    const hint = 'updatedAt = now and updatedById = caller when something changed; the rest is immutable';
    expectSame(
      exchange,
      'unchanged identity and creation fields',
      [before.apiKeyId, before.userId, before.keyPrefix, before.createdAt, before.createdById],
      [updated.apiKeyId, updated.userId, updated.keyPrefix, updated.createdAt, updated.createdById],
      hint,
    );
    expectSame(exchange, 'updatedById (the caller)', await ctx.userIdOf('apiKey'), updated.updatedById, hint);
    expectThat(
      typeof updated.updatedAt === 'number' && updated.updatedAt >= before.updatedAt,
      exchange,
      `updatedAt ≥ ${before.updatedAt}`,
      `updatedAt ${JSON.stringify(updated.updatedAt)}`,
      hint,
    );
  },
});

export const updateIsIdempotent = defineCheck({
  name: 'update_is_idempotent',
  rule: 'Update',
  family: 'behaviour',
  operations: ['updateApiKey'],
  description: 'Repeating the same update leaves the same status and labels.',
  run: async (ctx) => {
    const created = await ctx.createKey('apiKey', { labels: { a: '1' } });
    const api = ctx.as('apiKey');
    const body = { status: 'INACTIVE', mergeLabels: { b: '2' } };
    const first = await api.update(created.apiKeyId, body);
    expectStatus(first, 200);
    const second = await api.update(created.apiKeyId, body);
    expectStatus(second, 200, 'idempotent');
    const [a, b] = [keyIn(first), keyIn(second)];
    expectSame(second, 'the same status and labels as the first time', [a.status, a.labels], [b.status, b.labels], 'idempotent');
  },
});

export const idFormsAccepted = defineCheck({
  name: 'id_forms_accepted',
  rule: 'Ids',
  family: 'behaviour',
  operations: ['updateApiKey'],
  description: 'A path id may be upper-case (with --mock: may also omit the hyphens); it names the same key.',
  run: async (ctx) => {
    const created = await ctx.createKey();
    const api = ctx.as('apiKey');
    // contracts/CONTRACT.md "Ids": how a server reads 32 hex digits without hyphens is its
    // business; the mock reads them (its choice), so only --mock sends that form.
    const forms = [created.apiKeyId.toUpperCase(), ...(ctx.options.mock ? [created.apiKeyId.replace(/-/g, '')] : [])];
    for (const id of forms) {
      const exchange = await api.update(id, { mergeLabels: { form: id.length === 32 ? 'compact' : 'upper' } });
      expectStatus(exchange, 200, id.length === 32 ? "32 hex digits without hyphens (the mock's choice)" : 'a canonical UUID in any case');
      expectSame(exchange, 'apiKeyId (canonical lower-case)', created.apiKeyId, keyIn(exchange).apiKeyId);
    }
  },
});

export const deletedKeyIsGone = defineCheck({
  name: 'deleted_key_is_gone',
  rule: 'Delete',
  family: 'behaviour',
  operations: ['deleteApiKey'],
  description: 'After a delete the key is not listed, and updating or deleting it again is 404 (use after free).',
  run: async (ctx) => {
    const created = await ctx.createKey();
    const api = ctx.as('apiKey');
    const deleted = await api.remove(created.apiKeyId);
    expectStatus(deleted, 204);
    const listed = await ctx.find('apiKey', created.apiKeyId);
    expectThat(listed === undefined, where(deleted), 'the deleted key gone from the list', `still listed: ${JSON.stringify(listed)}`);
    expectStatus(await api.update(created.apiKeyId, { status: 'ACTIVE' }), 404, '404 for a key already deleted');
    expectStatus(await api.remove(created.apiKeyId), 404, 'deleting it again is 404');
  },
});

export const keyCanDeleteItself = defineCheck({
  name: 'key_can_delete_itself',
  rule: 'Delete',
  family: 'behaviour',
  operations: ['deleteApiKey'],
  description: 'A key may delete itself; it stops authenticating at once.',
  run: async (ctx) => {
    const created = await ctx.createKey();
    const self = ctx.as({ rawKey: created.rawKey });
    expectStatus(await self.remove(created.apiKeyId), 204);
    expectStatus(await self.list(), 401, 'also when it is the key that made the request');
  },
});

export const behaviourChecks = [
  createdKeyIsActiveAndUsable,
  keyPrefixMatchesRawKey,
  createdKeyIsListed,
  lastUsedAtRecorded,
  labelsAndExpiryRoundTrip,
  tenLabelsAccepted,
  mergeLabelsAddsAndOverwrites,
  replaceLabelsReplacesAll,
  statusTransitions,
  auditFieldsOnUpdate,
  updateIsIdempotent,
  idFormsAccepted,
  deletedKeyIsGone,
  keyCanDeleteItself,
];
