import { randomUUID } from 'node:crypto';
import { defineCheck } from '../check-definition.ts';
import type { CheckContext, CreatedKey } from '../check-context.ts';
import { expectSame, expectStatus, expectThat, where } from '../expect.ts';
import { pathOf, type Exchange } from '../http-exchange.ts';
import { locationPath } from '../location-path.ts';
import { requires } from '../requires.ts';
import { rejectsBadData } from './negative-checks.ts';

// contracts/CONTRACT.md "Client-chosen ids": the SDKs' ApiKeyId / apiKeyId / api_key_id on create.
const RULE = 'Client-chosen ids';
const CONFLICT_HINT = 'an apiKeyId already in use by any key of any user is 409, and nothing changes';

/** A fresh id for a client to choose: a random v4 UUID no server has seen. */
const freshId = () => randomUUID();

export const clientApiKeyIdUsed = defineCheck({
  name: 'client_api_key_id_used',
  rule: RULE,
  family: 'behaviour',
  operations: ['createApiKey'],
  description: 'A create with apiKeyId makes a key with exactly that id: in the body, in Location and in the list.',
  run: async (ctx) => {
    const apiKeyId = freshId();
    const created = await ctx.createKey('apiKey', { apiKeyId });
    const hint = 'the new key gets exactly the id the client chose';
    expectSame(created.exchange, 'apiKeyMetadata.apiKeyId', apiKeyId, created.apiKeyId, hint);
    // A missing Location is response_headers_conformance's to report; a present one must name this id.
    expectLocationNames(ctx, created.exchange, apiKeyId, 'Location', hint);
    const listed = await ctx.find('apiKey', apiKeyId);
    expectThat(listed !== undefined, where(created.exchange), `key ${apiKeyId} in the list`, 'not listed', hint);
  },
});

export const clientApiKeyIdForms = defineCheck({
  name: 'client_api_key_id_forms',
  rule: RULE,
  family: 'behaviour',
  operations: ['createApiKey'],
  description: 'A chosen apiKeyId in upper case is accepted and comes back in canonical lower case.',
  run: async (ctx) => {
    // Without hyphens is the server's business (compact_api_key_id, a mock's choice).
    const hint = 'a canonical UUID in any case is accepted as apiKeyId and returned in canonical lower case';
    const apiKeyId = freshId();
    const created = await ctx.createKey('apiKey', { apiKeyId: apiKeyId.toUpperCase() });
    expectSame(created.exchange, 'apiKeyMetadata.apiKeyId (sent in upper case)', apiKeyId, created.apiKeyId, hint);
    expectLocationNames(ctx, created.exchange, apiKeyId, 'Location (sent in upper case)', hint);
  },
});

/** A create's Location, when it has one, names the key (absolute or relative: contracts/CONTRACT.md "Create"). */
function expectLocationNames(ctx: CheckContext, exchange: Exchange, apiKeyId: string, what: string, hint: string): void {
  const location = exchange.headers.get('location');
  if (location === null) return;
  const path = locationPath(location, `${ctx.options.baseUrl}${exchange.path}`);
  expectSame(exchange, `${what} naming ${pathOf('updateApiKey', apiKeyId)}`, pathOf('updateApiKey', apiKeyId), path ?? location, hint);
}

/**
 * Creates a key with a chosen id, then sends a second create naming the same id
 * as `who` and expects 409 with nothing changed: no new key, the first key as
 * it was and still authenticating.
 */
async function expectConflict(ctx: CheckContext, who: 'apiKey' | 'otherApiKey'): Promise<void> {
  const first: CreatedKey = await ctx.createKey('apiKey', { apiKeyId: freshId(), labels: { first: 'yes' } });
  const before = (await ctx.find('apiKey', first.apiKeyId)) ?? first.metadata;
  const ids = await ctx.listIds(who);
  await ctx.expectCreateRejected(who, { body: { apiKeyId: first.apiKeyId, labels: { second: 'yes' } } }, 409, CONFLICT_HINT, ids);
  const rejected = [...ctx.session.exchanges]
    .reverse()
    .find((e: Exchange) => e.sentBy === ctx.id && e.operationId === 'createApiKey' && e.status === 409);
  await ctx.expectUnchanged(rejected ?? first.exchange, 'apiKey', before);
  expectStatus(await ctx.as({ rawKey: first.rawKey }).list(), 200, `${CONFLICT_HINT}: the first key still authenticates`);
}

export const apiKeyIdReuseConflicts = defineCheck({
  name: 'api_key_id_reuse_conflicts',
  rule: RULE,
  family: 'negative',
  operations: ['createApiKey'],
  description: 'A second create naming an id in use is 409; the first key stays as it was and keeps working.',
  run: (ctx) => expectConflict(ctx, 'apiKey'),
});

export const apiKeyIdReuseByOtherUserConflicts = defineCheck({
  name: 'api_key_id_reuse_by_other_user_conflicts',
  rule: RULE,
  family: 'isolation',
  operations: ['createApiKey'],
  description: "Another user's create naming my key's id is 409 (never a second key, never a takeover); my key stays as it was.",
  run: async (ctx) => {
    requires(ctx, 'otherApiKey');
    await expectConflict(ctx, 'otherApiKey');
  },
});

export const malformedApiKeyIdRejected = rejectsBadData({
  name: 'malformed_api_key_id_rejected',
  rule: RULE,
  description: 'An apiKeyId that is not a UUID is answered 400 and stores nothing.',
  hint: 'a malformed apiKeyId is 400',
  cases: {
    createApiKey: () => [
      { fault: 'apiKeyId not-a-uuid', body: { apiKeyId: 'not-a-uuid' } },
      { fault: 'apiKeyId of 33 hex digits', body: { apiKeyId: `${freshId()}0` } },
      { fault: 'apiKeyId in braces', body: { apiKeyId: `{${freshId()}}` } },
      { fault: 'apiKeyId as a number', body: { apiKeyId: 42 } },
    ],
  },
});

export const deletedApiKeyIdReuse = defineCheck({
  name: 'deleted_api_key_id_reuse',
  rule: RULE,
  family: 'behaviour',
  operations: ['createApiKey'],
  observes: ['deletedIds'],
  description: 'Choosing the id of a deleted key is 201 (a new key, the old raw key still refused) or 409 (nothing stored).',
  run: async (ctx) => {
    const apiKeyId = freshId();
    const first = await ctx.createKey('apiKey', { apiKeyId });
    expectStatus(await ctx.as('apiKey').remove(apiKeyId), 204);
    const before = await ctx.listIds('apiKey');
    const again = await ctx.as('apiKey').create({ apiKeyId });
    expectStatus(again, [201, 409], "whether a deleted key's id may be used again is the server's business: 201 or 409");
    ctx.observe('deletedIds', again.status === 201 ? 'reusable' : 'reserved');
    if (again.status === 201) {
      const raw = (again.json as { rawApiKey?: unknown } | undefined)?.rawApiKey;
      expectThat(raw !== first.rawKey, again, 'a new raw key', "the deleted key's raw key again", 'a new key is a new secret');
      expectStatus(await ctx.as({ rawKey: first.rawKey }).list(), 401, 'the deleted key stays deleted, whatever reuses its id');
      return;
    }
    const after = await ctx.listIds('apiKey');
    const appeared = [...after].filter((id) => !before.has(id) && !ctx.session.ledger.knows(id));
    expectThat(appeared.length === 0, again, 'the 409 to store nothing', `new key ${appeared.join(', ')}`, CONFLICT_HINT);
  },
});

export const clientIdChecks = [
  clientApiKeyIdUsed,
  clientApiKeyIdForms,
  apiKeyIdReuseConflicts,
  apiKeyIdReuseByOtherUserConflicts,
  malformedApiKeyIdRejected,
  deletedApiKeyIdReuse,
];
