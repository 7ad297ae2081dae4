import { loadSpec } from '../../openapi/load-spec.ts';
import { defineCheck, TRANSPORT } from '../check-definition.ts';
import { isJsonObject } from '../../openapi/is-json-object.ts';
import { expectStatus, expectThat, where } from '../expect.ts';

const JSON_ERROR = 'unknown paths are 404 and wrong methods 405 (with Allow), as {"error": ...} JSON';

function isJsonError(json: unknown, type: string | null): boolean {
  return isJsonObject(json) && typeof json.error === 'string' && /json/i.test(type ?? '');
}

export const unknownPathIsJson404 = defineCheck({
  name: 'unknown_path_is_json_404',
  family: 'response',
  operations: [TRANSPORT],
  rule: 'Transport',
  description: 'An unknown path under /v1 is 404 with a JSON {"error"} body.',
  run: async (ctx) => {
    const exchange = await ctx.send({ method: 'GET', path: '/v1/no-such-resource', apiKey: ctx.keyOf('apiKey') });
    expectStatus(exchange, 404, JSON_ERROR);
    expectThat(
      isJsonError(exchange.json, exchange.headers.get('content-type')),
      exchange,
      'a JSON {"error": ...} body',
      exchange.text.slice(0, 120),
      JSON_ERROR,
    );
  },
});

export const wrongMethodIs405 = defineCheck({
  name: 'wrong_method_is_405_with_allow',
  family: 'response',
  operations: [TRANSPORT],
  rule: 'Transport',
  description: "A method a path does not document is 405 with an Allow header listing the path's methods.",
  run: async (ctx) => {
    const collection = loadSpec().paths.find((p) => !p.path.includes('{'))!;
    const exchange = await ctx.send({ method: 'PATCH', path: collection.path, apiKey: ctx.keyOf('apiKey'), body: {} });
    expectStatus(exchange, 405, JSON_ERROR);
    const allow = (exchange.headers.get('allow') ?? '').split(',').map((m) => m.trim().toUpperCase());
    expectThat(
      collection.methods.every((m) => allow.includes(m)),
      where(exchange),
      `Allow listing ${collection.methods.join(', ')}`,
      `Allow: ${exchange.headers.get('allow') ?? '(none)'}`,
      JSON_ERROR,
    );
    expectThat(
      isJsonError(exchange.json, exchange.headers.get('content-type')),
      exchange,
      'a JSON {"error": ...} body',
      exchange.text.slice(0, 120),
      JSON_ERROR,
    );
  },
});

export const transportChecks = [unknownPathIsJson404, wrongMethodIs405];
