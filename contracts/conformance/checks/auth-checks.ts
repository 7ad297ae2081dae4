import type { OperationId } from '../../openapi/load-spec.ts';
import type { CheckContext } from '../check-context.ts';
import { defineCheck, type Target } from '../check-definition.ts';
import { expectStatus, expectThat } from '../expect.ts';
import type { Exchange } from '../http-exchange.ts';
import { requires } from '../requires.ts';
import { advanceMockClock, mockNow } from '../mock-clock.ts';
import { randomRawKey } from '../random-raw-key.ts';

const ALL: readonly OperationId[] = ['createApiKey', 'listApiKeys', 'updateApiKey', 'deleteApiKey'];
const UNAUTHENTICATED = '401 for a missing, unknown, inactive, expired or deleted key';

/**
 * Sends an otherwise valid request for `operation` with the given headers in
 * place of a key (one fault per request), aimed at a key this check created.
 * Expects 401 and, for update/delete, that the target did not change.
 */
async function expectRejected(ctx: CheckContext, operation: Target, headers: Record<string, string>, hint: string): Promise<Exchange> {
  const target = operation === 'updateApiKey' || operation === 'deleteApiKey' ? await ctx.createKey() : undefined;
  const before = target ? await ctx.find('apiKey', target.apiKeyId) : undefined;
  const body = operation === 'createApiKey' ? {} : operation === 'updateApiKey' ? { mergeLabels: { probe: 'auth' } } : undefined;
  const exchange = await ctx.as(null).call(operation as OperationId, { id: target?.apiKeyId, body, headers });
  expectStatus(exchange, 401, hint);
  if (before) await ctx.expectUnchanged(exchange, 'apiKey', before);
  return exchange;
}

export const missingKeyRejected = defineCheck({
  name: 'missing_key_rejected',
  rule: 'Authentication',
  family: 'auth',
  operations: ALL,
  description: 'A request without a key is answered 401 and changes nothing.',
  run: async (ctx, operation) => {
    await expectRejected(ctx, operation, {}, UNAUTHENTICATED);
  },
});

export const malformedKeyRejected = defineCheck({
  name: 'malformed_key_rejected',
  rule: 'Authentication',
  family: 'auth',
  operations: ALL,
  description: 'A key that is not of the gm_ format is answered 401.',
  run: async (ctx, operation) => {
    await expectRejected(ctx, operation, { 'x-api-key': 'not-an-api-key' }, UNAUTHENTICATED);
  },
});

export const unknownKeyRejected = defineCheck({
  name: 'unknown_key_rejected',
  rule: 'Authentication',
  family: 'auth',
  operations: ALL,
  description: 'A well-formed key that the server never issued is answered 401.',
  run: async (ctx, operation) => {
    await expectRejected(ctx, operation, { 'x-api-key': randomRawKey() }, UNAUTHENTICATED);
  },
});

export const combinedKeyHeaderRejected = defineCheck({
  name: 'combined_key_header_rejected',
  rule: 'Authentication',
  family: 'auth',
  operations: ['listApiKeys'],
  description: 'Two x-api-key values in one request (here two copies of a valid key) do not authenticate.',
  run: async (ctx) => {
    const key = ctx.keyOf('apiKey');
    // Repeated header fields are one comma-separated value (RFC 9110 §5.3), which is what fetch sends.
    const combined = await ctx.as(null).call('listApiKeys', { headers: { 'x-api-key': `${key}, ${key}` } });
    expectStatus(combined, 401, 'a request carrying two x-api-key headers does not authenticate');
  },
});

export const deletedKeyRejected = defineCheck({
  name: 'deleted_key_rejected',
  rule: 'Delete',
  family: 'auth',
  operations: ['deleteApiKey'],
  description: 'A deleted key stops authenticating at once.',
  run: async (ctx) => {
    const key = await ctx.createKey();
    expectStatus(await ctx.as({ rawKey: key.rawKey }).list(), 200, 'a new key authenticates at once');
    expectStatus(await ctx.as('apiKey').remove(key.apiKeyId), 204);
    const exchange = await ctx.as({ rawKey: key.rawKey }).list();
    expectStatus(exchange, 401, 'permanent, the key stops authenticating at once');
  },
});

export const inactiveKeyRejected = defineCheck({
  name: 'inactive_key_rejected_until_reactivated',
  rule: 'Update',
  family: 'auth',
  operations: ['updateApiKey'],
  description: 'An INACTIVE key stops authenticating at once; set ACTIVE again it works again.',
  run: async (ctx) => {
    const key = await ctx.createKey();
    const asKey = ctx.as({ rawKey: key.rawKey });
    expectStatus(await ctx.as('apiKey').update(key.apiKeyId, { status: 'INACTIVE' }), 200);
    expectStatus(await asKey.list(), 401, 'INACTIVE keys stop authenticating at once');
    expectStatus(await ctx.as('apiKey').update(key.apiKeyId, { status: 'ACTIVE' }), 200);
    expectStatus(await asKey.list(), 200, 'setting ACTIVE again restores them');
  },
});

/** How long a real server gets to let a short-lived key expire (--slow). */
const SLOW_LEAD_MS = 3_000;
const SLOW_WAIT_MS = 30_000;

export const expiredKeyRejected = defineCheck({
  name: 'expired_key_rejected',
  rule: 'Authentication',
  family: 'auth',
  operations: ['createApiKey'],
  description: 'A key past its expiresAt stops authenticating (mock: by advancing its clock; real server: --slow).',
  exclusive: (options) => options.mock && options.adminToken !== undefined,
  run: async (ctx) => {
    requires(ctx, 'mockClockOrSlow');
    if (ctx.options.mock && ctx.options.adminToken) {
      const now = await mockNow(ctx);
      const key = await ctx.createKey('apiKey', { expiresAt: now + 60_000 });
      const asKey = ctx.as({ rawKey: key.rawKey });
      expectStatus(await asKey.list(), 200, 'a key before its expiresAt authenticates');
      // The clock is server-wide: this check runs alone and puts it back.
      await advanceMockClock(ctx, 120_000);
      ctx.onCleanup(() => advanceMockClock(ctx, -120_000));
      expectStatus(await asKey.list(), 401, UNAUTHENTICATED);
      return;
    }
    // Real time: the server's "now" is the createdAt of a key it just made, so clock skew does not matter.
    const probe = await ctx.createKey();
    const expiresAt = probe.metadata.createdAt + SLOW_LEAD_MS;
    const key = await ctx.createKey('apiKey', { expiresAt });
    const asKey = ctx.as({ rawKey: key.rawKey });
    expectStatus(await asKey.list(), 200, 'a key before its expiresAt authenticates');
    const { timers } = ctx.options;
    const deadline = timers.now() + SLOW_LEAD_MS + SLOW_WAIT_MS;
    let last: Exchange;
    do {
      await ctx.sleep(500);
      last = await asKey.list();
    } while (last.status === 200 && timers.now() < deadline);
    expectThat(
      last.status === 401,
      last,
      `status 401 within ${(SLOW_LEAD_MS + SLOW_WAIT_MS) / 1000} s of creating a key with expiresAt ${expiresAt}`,
      `${last.status} ${last.text.slice(0, 120)}`,
      UNAUTHENTICATED,
    );
  },
});

export const authChecks = [
  missingKeyRejected,
  malformedKeyRejected,
  unknownKeyRejected,
  combinedKeyHeaderRejected,
  deletedKeyRejected,
  inactiveKeyRejected,
  expiredKeyRejected,
];
