import { defineCheck } from '../check-definition.ts';
import { expectSame, expectStatus, expectThat, keyIn, keysIn } from '../expect.ts';
import { requires } from '../requires.ts';

// Behaviours API-CONTRACT.md calls "mock's choice": a real server may differ, so these run only with --mock.

export const unknownFieldsRejected = defineCheck({
  name: 'unknown_fields_rejected',
  family: 'mock-choice',
  operations: ['createApiKey'],
  description: 'An unknown create field (an SDK typo such as expires_at) is answered 400 and changes nothing.',
  run: async (ctx) => {
    requires(ctx, 'mock');
    const hint = `API-CONTRACT.md "Create": an unknown field is 400 (mock's choice: strict, so SDK typos are caught)`;
    await ctx.expectCreateRejected('apiKey', { body: { expires_at: Date.now() + 86_400_000 } }, 400, hint, await ctx.listIds('apiKey'));
  },
});

export const listOrderOldestFirst = defineCheck({
  name: 'list_order_oldest_first',
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
      'API-CONTRACT.md "List": oldest first (mock\'s choice)',
    );
  },
});

export const noopUpdateKeepsUpdatedAt = defineCheck({
  name: 'noop_update_keeps_updated_at',
  family: 'mock-choice',
  operations: ['updateApiKey'],
  description: 'An update that changes nothing leaves updatedAt and updatedById alone.',
  run: async (ctx) => {
    requires(ctx, 'mock');
    const created = await ctx.createKey('apiKey', { labels: { same: 'value' } });
    // Repeat what is already there. With an admin key a recorded change would show as
    // updatedById; without one, let a few ms pass so a recorded change moves updatedAt.
    const who = ctx.options.adminApiKey ? 'adminApiKey' : 'apiKey';
    if (who === 'apiKey') await new Promise((resolve) => setTimeout(resolve, 5));
    const exchange = await ctx.as(who).update(created.apiKeyId, { status: 'ACTIVE', mergeLabels: { same: 'value' } });
    expectStatus(exchange, 200);
    const after = keyIn(exchange);
    expectSame(
      exchange,
      'updatedAt and updatedById unchanged',
      [created.metadata.updatedAt, created.metadata.updatedById],
      [after.updatedAt, after.updatedById],
      'API-CONTRACT.md "Update": a request that changes nothing leaves updatedAt alone (mock\'s choice)',
    );
  },
});

export const mockChoiceChecks = [unknownFieldsRejected, listOrderOldestFirst, noopUpdateKeepsUpdatedAt];
