import { randomUUID } from 'node:crypto';
import { defineCheck } from '../check-definition.ts';
import { expectSame, expectStatus, expectThat, keyIn, keysIn } from '../expect.ts';
import { requires } from '../requires.ts';

// Behaviours contracts/CONTRACT.md calls "mock's choice": a real server may differ, so these run only with --mock.
// (label_bounds_rejected lives with the other bad-request checks; the schema's mock's choices are
// judged by response_schema_conformance against the full layer.)
const RULE = "Mock's choices";

export const unknownFieldsRejected = defineCheck({
  name: 'unknown_fields_rejected',
  rule: RULE,
  family: 'mock-choice',
  operations: ['createApiKey', 'updateApiKey'],
  description: 'An unknown body field (an SDK typo such as expires_at) is answered 400 and changes nothing.',
  run: async (ctx, operation) => {
    requires(ctx, 'mock');
    const hint = "an unknown field is 400 (mock's choice: strict, so SDK typos are caught)";
    if (operation === 'createApiKey') {
      await ctx.expectCreateRejected('apiKey', { body: { expires_at: Date.now() + 86_400_000 } }, 400, hint, await ctx.listIds('apiKey'));
      return;
    }
    const target = await ctx.createKey();
    const before = (await ctx.find('apiKey', target.apiKeyId)) ?? target.metadata;
    const exchange = await ctx.as('apiKey').update(target.apiKeyId, { status: 'INACTIVE', merge_labels: { a: 'b' } });
    expectStatus(exchange, 400, hint);
    await ctx.expectUnchanged(exchange, 'apiKey', before);
  },
});

export const listOrderOldestFirst = defineCheck({
  name: 'list_order_oldest_first',
  rule: RULE,
  family: 'mock-choice',
  operations: ['listApiKeys'],
  description: 'The list is ordered oldest first.',
  run: async (ctx) => {
    requires(ctx, 'mock');
    const first = await ctx.createKey();
    const second = await ctx.createKey();
    const exchange = await ctx.as('apiKey').list();
    const ids = keysIn(exchange).map((k) => k.apiKeyId);
    const [a, b] = [ids.indexOf(first.apiKeyId), ids.indexOf(second.apiKeyId)];
    expectThat(
      a !== -1 && b !== -1 && a < b,
      exchange,
      `${first.apiKeyId} (older) listed before ${second.apiKeyId}`,
      `positions ${a} and ${b}`,
      "oldest first (mock's choice)",
    );
  },
});

export const noopUpdateKeepsUpdatedAt = defineCheck({
  name: 'noop_update_keeps_updated_at',
  rule: RULE,
  family: 'mock-choice',
  operations: ['updateApiKey'],
  description: 'An update that changes nothing leaves updatedAt and updatedById alone.',
  run: async (ctx) => {
    requires(ctx, 'mock');
    const created = await ctx.createKey('apiKey', { labels: { same: 'value' } });
    // Repeat what is already there. With an admin key a recorded change would show as
    // updatedById; without one, let a few ms pass so a recorded change moves updatedAt.
    const who = ctx.options.adminApiKey ? 'adminApiKey' : 'apiKey';
    if (who === 'apiKey') await ctx.sleep(5);
    const exchange = await ctx.as(who).update(created.apiKeyId, { status: 'ACTIVE', mergeLabels: { same: 'value' } });
    expectStatus(exchange, 200);
    const after = keyIn(exchange);
    expectSame(
      exchange,
      'updatedAt and updatedById unchanged',
      [created.metadata.updatedAt, created.metadata.updatedById],
      [after.updatedAt, after.updatedById],
      "a request that changes nothing leaves updatedAt alone (mock's choice)",
    );
  },
});

export const deletedIdReusable = defineCheck({
  name: 'deleted_api_key_id_reusable',
  rule: RULE,
  family: 'mock-choice',
  operations: ['createApiKey'],
  description: 'The id of a deleted key may be chosen again: the create is 201 with that id.',
  run: async (ctx) => {
    requires(ctx, 'mock');
    const apiKeyId = randomUUID();
    const first = await ctx.createKey('apiKey', { apiKeyId });
    expectStatus(await ctx.as('apiKey').remove(first.apiKeyId), 204);
    const again = await ctx.as('apiKey').create({ apiKeyId });
    expectStatus(again, 201, "a deleted key's id may be used again (mock's choice)");
  },
});

export const mockChoiceChecks = [unknownFieldsRejected, listOrderOldestFirst, noopUpdateKeepsUpdatedAt, deletedIdReusable];
