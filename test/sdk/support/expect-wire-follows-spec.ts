import { expect } from 'vitest';
import type { Spec } from '../../../contracts/openapi/load-spec.ts';
import { apiKeyHeader, framingProblems, nullFields, operationOf, requestSchemaProblems, responseProblems } from './check-exchange.ts';
import type { Exchange } from './recording-proxy.ts';

/**
 * What every SDK test holds its recorded wire traffic to (the Python SDK and the generated
 * Java client alike):
 * 1. it reached every operation and every documented status;
 * 2. what the client sent is what the spec accepts: framing, the key header, no nulls, and a
 *    body or id the schema calls valid exactly when the mock did not answer 400 (except a past
 *    expiresAt, valid to any schema and 400 by the contract, CONTRACT.md "Create");
 * 3. the mock's answers are what any correct server gives (the contract layer).
 */
export function expectWireFollowsSpec(exchanges: Exchange[], layers: { full: Spec; contract: Spec }): void {
  const { full, contract } = layers;
  expect([...new Set(exchanges.map((x) => x.response.status))].sort()).toEqual([200, 201, 204, 400, 401, 403, 404, 409]);
  expect(new Set(exchanges.map((x) => operationOf(full, x)?.operationId))).toEqual(
    new Set(['createApiKey', 'listApiKeys', 'updateApiKey', 'deleteApiKey']),
  );
  const keyHeader = apiKeyHeader(full);
  for (const exchange of exchanges) {
    const where = `${exchange.method} ${exchange.url} ${exchange.body} -> ${exchange.response.status} ${exchange.response.body}`;
    expect.soft(framingProblems(full, exchange), where).toEqual([]);
    expect.soft(nullFields(exchange), where).toEqual([]);
    if (exchange.headers[keyHeader] === undefined) expect.soft(exchange.response.status, `${where}: no ${keyHeader}`).toBe(401);
    const schemaProblems = requestSchemaProblems(full, exchange);
    const body = exchange.body ? JSON.parse(exchange.body) : {};
    const pastExpiry = typeof body.expiresAt === 'number' && body.expiresAt < Date.now();
    if (schemaProblems.length > 0 || pastExpiry) expect.soft(exchange.response.status, `${where}: ${schemaProblems.join('; ')}`).toBe(400);
    else expect.soft(exchange.response.status, where).not.toBe(400);
    expect.soft(responseProblems(contract, exchange), where).toEqual([]);
  }
  expect(exchanges.some((x) => x.headers[keyHeader] === undefined)).toBe(true);
}
