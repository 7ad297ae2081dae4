import { loadSpec } from '../../openapi/load-spec.ts';
import { defineCheck, TRANSPORT } from '../check-definition.ts';
import { expectThat, where } from '../expect.ts';
import { describeResponse, type Exchange } from '../http-exchange.ts';

// contracts/CONTRACT.md "Transport": a path or method the API does not have is a 4xx and
// changes nothing. Which 4xx and which body is the server's business (GoodMem's framework,
// Javalin, answers a wrong method 404 with a body of its own); a 405 carries Allow (RFC 9110
// §15.5.6). The mock's answers (404 / 405 in the {"error"} shape) are unknown_route_answers'.
const ROUTE_HINT = 'an unknown path or method is a 4xx, never a success, a server error or an HTML page';

/** A 4xx answer that is no HTML page (the suite asks for JSON). */
function expectClientError(exchange: Exchange): void {
  expectThat(exchange.status >= 400 && exchange.status < 500, exchange, 'a 4xx status', describeResponse(exchange), ROUTE_HINT);
  const type = exchange.headers.get('content-type') ?? '';
  expectThat(
    !/html/i.test(type) && !/^\s*</.test(exchange.text),
    exchange,
    'a body that is no HTML page',
    `${type || 'no content type'}: ${exchange.text.slice(0, 120)}`,
    ROUTE_HINT,
  );
}

export const unknownPathRejected = defineCheck({
  name: 'unknown_path_rejected',
  family: 'response',
  operations: [TRANSPORT],
  rule: 'Transport',
  description: 'An unknown path under /v1 is answered with a 4xx, not an HTML page.',
  run: async (ctx) => {
    expectClientError(await ctx.send({ method: 'GET', path: '/v1/no-such-resource', apiKey: ctx.keyOf('apiKey') }));
  },
});

export const wrongMethodRejected = defineCheck({
  name: 'wrong_method_rejected',
  family: 'response',
  operations: [TRANSPORT],
  rule: 'Transport',
  observes: ['wrongMethod'],
  description: "A method a path does not have is answered with a 4xx; a 405 lists the path's methods in Allow.",
  run: async (ctx) => {
    const collection = loadSpec().paths.find((p) => !p.path.includes('{'))!;
    const exchange = await ctx.send({ method: 'PATCH', path: collection.path, apiKey: ctx.keyOf('apiKey'), body: {} });
    expectClientError(exchange);
    if (exchange.status === 404) ctx.observe('wrongMethod', 404);
    if (exchange.status !== 405) return;
    const allow = (exchange.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase());
    expectThat(
      collection.methods.every((m) => allow.includes(m)),
      where(exchange),
      `Allow listing ${collection.methods.join(', ')}`,
      `Allow: ${exchange.headers.get('allow') ?? '(none)'}`,
      'a 405 answer carries Allow with the methods the path has (RFC 9110 §15.5.6)',
    );
    ctx.observe('wrongMethod', 405);
  },
});

export const transportChecks = [unknownPathRejected, wrongMethodRejected];
