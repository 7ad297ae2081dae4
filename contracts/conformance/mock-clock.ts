import type { CheckContext } from './check-context.ts';
import { expectThat } from './expect.ts';
import type { Exchange } from './http-exchange.ts';

/**
 * The mock's control-plane clock (`/_mock/clock`, header `x-admin-token`), used
 * only with --mock and --admin-token so expiry is tested without waiting.
 */
async function clockRequest(ctx: CheckContext, body?: unknown): Promise<number> {
  const exchange: Exchange = await ctx.send({
    method: body === undefined ? 'GET' : 'POST',
    path: '/_mock/clock',
    headers: { 'x-admin-token': ctx.options.adminToken ?? '' },
    body,
  });
  const now = (exchange.json as { now?: unknown } | undefined)?.now;
  expectThat(
    exchange.status === 200 && typeof now === 'number',
    exchange,
    "200 {now} from the mock's clock control",
    `${exchange.status} ${exchange.text.slice(0, 120)}`,
    'is --admin-token right?',
  );
  return now as number;
}

/** The mock's "now" in ms. */
export function mockNow(ctx: CheckContext): Promise<number> {
  return clockRequest(ctx);
}

/** Moves the mock's clock (server-wide) by `ms`, backwards when negative. */
export async function advanceMockClock(ctx: CheckContext, ms: number): Promise<void> {
  await clockRequest(ctx, { advanceMs: ms });
}
