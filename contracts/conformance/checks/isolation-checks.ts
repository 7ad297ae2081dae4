import type { OperationId } from '../../openapi/load-spec.ts';
import { defineCheck } from '../check-definition.ts';
import { expectSame, expectStatus, expectThat, keyIn, keysIn, where } from '../expect.ts';
import { requires } from '../requires.ts';

// 403, or 404 to hide that the key exists.
const FOREIGN = [403, 404] as const;
const FOREIGN_HINT = 'without the _ANY permission, 403 (or 404) and the key unchanged';

export const otherUserCannotSeeKeys = defineCheck({
  name: 'other_user_cannot_see_keys',
  rule: 'List',
  family: 'isolation',
  operations: ['listApiKeys'],
  description: "A user's list holds only that user's keys: neither user sees the other's new key.",
  run: async (ctx) => {
    requires(ctx, 'otherApiKey');
    const [mine, theirs] = await Promise.all([ctx.createKey('apiKey'), ctx.createKey('otherApiKey')]);
    for (const [who, foreign] of [
      ['apiKey', theirs],
      ['otherApiKey', mine],
    ] as const) {
      const exchange = await ctx.as(who).list();
      const keys = keysIn(exchange);
      expectThat(
        !keys.some((k) => k.apiKeyId === foreign.apiKeyId),
        exchange,
        `no key of another user (${foreign.apiKeyId})`,
        'it is listed',
        "the caller's keys",
      );
      const owners = [...new Set(keys.map((k) => k.userId))];
      expectThat(owners.length <= 1, exchange, 'keys of a single owner', `owners ${owners.join(', ')}`, 'LIST_APIKEY_OWN returns own keys');
    }
  },
});

export const otherUserCannotUpdateKey = defineCheck({
  name: 'other_user_cannot_update_key',
  rule: "Someone else's key",
  family: 'isolation',
  operations: ['updateApiKey'],
  observes: ['foreignKeyStatus'],
  description: "Another user's update of my key is 403 or 404 and changes nothing.",
  run: async (ctx) => {
    requires(ctx, 'otherApiKey');
    const mine = await ctx.createKey('apiKey', { labels: { owner: 'me' } });
    const before = (await ctx.find('apiKey', mine.apiKeyId)) ?? mine.metadata;
    const exchange = await ctx.as('otherApiKey').update(mine.apiKeyId, { status: 'INACTIVE' });
    expectStatus(exchange, FOREIGN, FOREIGN_HINT);
    ctx.observe('foreignKeyStatus', exchange.status as (typeof FOREIGN)[number]);
    await ctx.expectUnchanged(exchange, 'apiKey', before);
  },
});

export const otherUserCannotDeleteKey = defineCheck({
  name: 'other_user_cannot_delete_key',
  rule: "Someone else's key",
  family: 'isolation',
  operations: ['deleteApiKey'],
  observes: ['foreignKeyStatus'],
  description: "Another user's delete of my key is 403 or 404 and the key stays.",
  run: async (ctx) => {
    requires(ctx, 'otherApiKey');
    const mine = await ctx.createKey();
    const before = (await ctx.find('apiKey', mine.apiKeyId)) ?? mine.metadata;
    const exchange = await ctx.as('otherApiKey').remove(mine.apiKeyId);
    expectStatus(exchange, FOREIGN, FOREIGN_HINT);
    ctx.observe('foreignKeyStatus', exchange.status as (typeof FOREIGN)[number]);
    await ctx.expectUnchanged(exchange, 'apiKey', before);
    expectStatus(await ctx.as({ rawKey: mine.rawKey }).list(), 200, 'the key still authenticates');
  },
});

export const adminListsAnyKey = defineCheck({
  name: 'admin_lists_any_key',
  rule: 'Permissions',
  family: 'isolation',
  operations: ['listApiKeys'],
  description: "With LIST_APIKEY_ANY the list holds other users' keys too.",
  run: async (ctx) => {
    requires(ctx, 'adminApiKey');
    const mine = await ctx.createKey();
    const exchange = await ctx.as('adminApiKey').list();
    const listed = keysIn(exchange).find((k) => k.apiKeyId === mine.apiKeyId);
    expectThat(
      listed !== undefined,
      exchange,
      `the user's key ${mine.apiKeyId} in the admin's list`,
      'not listed',
      'all keys with LIST_APIKEY_ANY',
    );
    expectSame(exchange, 'its owner', mine.metadata.userId, listed?.userId);
  },
});

export const adminUpdatesAnyKey = defineCheck({
  name: 'admin_updates_any_key',
  rule: 'Permissions',
  family: 'isolation',
  operations: ['updateApiKey'],
  description: "With UPDATE_APIKEY_ANY another user's key can be updated; the owner stays, updatedById is the admin.",
  run: async (ctx) => {
    requires(ctx, 'adminApiKey');
    const mine = await ctx.createKey();
    const exchange = await ctx.as('adminApiKey').update(mine.apiKeyId, { mergeLabels: { reviewed: 'admin' } });
    expectStatus(exchange, 200, 'UPDATE_APIKEY_ANY');
    const updated = keyIn(exchange);
    expectSame(exchange, 'owner (unchanged)', mine.metadata.userId, updated.userId, 'an update never changes the owner');
    expectSame(
      exchange,
      'updatedById (the admin)',
      await ctx.userIdOf('adminApiKey'),
      updated.updatedById,
      'updatedById is who last changed it',
    );
    expectSame(exchange, 'labels', { reviewed: 'admin' }, (await ctx.find('apiKey', mine.apiKeyId))?.labels);
  },
});

export const adminDeletesAnyKey = defineCheck({
  name: 'admin_deletes_any_key',
  rule: 'Permissions',
  family: 'isolation',
  operations: ['deleteApiKey'],
  description: "With DELETE_APIKEY_ANY another user's key can be deleted.",
  run: async (ctx) => {
    requires(ctx, 'adminApiKey');
    const mine = await ctx.createKey();
    const exchange = await ctx.as('adminApiKey').remove(mine.apiKeyId);
    expectStatus(exchange, 204, 'DELETE_APIKEY_ANY');
    const listed = await ctx.find('apiKey', mine.apiKeyId);
    expectThat(listed === undefined, where(exchange), "the key gone from its owner's list", 'still listed');
  },
});

export const adminCreatedKeyBelongsToAdmin = defineCheck({
  name: 'created_key_belongs_to_caller',
  rule: 'Permissions',
  family: 'isolation',
  operations: ['createApiKey'],
  description: 'A created key always belongs to the caller, also when the caller is an admin.',
  run: async (ctx) => {
    requires(ctx, 'adminApiKey');
    const [admin, user] = await Promise.all([ctx.userIdOf('adminApiKey'), ctx.userIdOf('apiKey')]);
    expectThat(
      admin !== user,
      'createApiKey',
      'the admin key and the user key to belong to different users',
      `both belong to ${admin}`,
      'give --admin-api-key of another user',
    );
    const created = await ctx.createKey('adminApiKey');
    expectSame(created.exchange, 'owner (the admin)', admin, created.metadata.userId, 'a created key always belongs to the caller');
    const listed = await ctx.find('apiKey', created.apiKeyId);
    expectThat(listed === undefined, where(created.exchange), "the admin's key not in the user's list", 'listed');
  },
});

const RESTRICTED_HINT = 'a user without permissions gets 403 for every operation';

export const restrictedKeyForbidden = defineCheck({
  name: 'restricted_key_forbidden',
  rule: 'Permissions',
  family: 'isolation',
  operations: ['createApiKey', 'listApiKeys', 'updateApiKey', 'deleteApiKey'],
  description: 'A key whose user holds no permission gets 403 for every operation, and nothing changes.',
  run: async (ctx, operation) => {
    requires(ctx, 'restrictedApiKey');
    const api = ctx.as('restrictedApiKey');
    if (operation === 'createApiKey') {
      const exchange = await api.create({});
      expectStatus(exchange, 403, RESTRICTED_HINT);
      return;
    }
    if (operation === 'listApiKeys') {
      expectStatus(await api.list(), 403, RESTRICTED_HINT);
      return;
    }
    // A key of the ordinary user (the suite never changes a key it did not create), so the request
    // is also someone else's key: a server that checks ownership first may hide it with 404.
    const target = await ctx.createKey();
    const before = (await ctx.find('apiKey', target.apiKeyId)) ?? target.metadata;
    const exchange = await api.call(operation as OperationId, {
      id: target.apiKeyId,
      body: operation === 'updateApiKey' ? { status: 'INACTIVE' } : undefined,
    });
    expectStatus(exchange, FOREIGN, RESTRICTED_HINT);
    await ctx.expectUnchanged(exchange, 'apiKey', before);
  },
});

export const isolationChecks = [
  otherUserCannotSeeKeys,
  otherUserCannotUpdateKey,
  otherUserCannotDeleteKey,
  adminListsAnyKey,
  adminUpdatesAnyKey,
  adminDeletesAnyKey,
  adminCreatedKeyBelongsToAdmin,
  restrictedKeyForbidden,
];
