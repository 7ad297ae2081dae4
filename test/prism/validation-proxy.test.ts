import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runConformance } from '../../contracts/conformance/run-conformance.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';
import { createValidatingFetch, describeFailures } from './support/create-validating-fetch.ts';
import { driveEveryOperation } from './support/drive-every-operation.ts';
import { startProxyPair, type RunningPrism } from './support/start-prism.ts';

const documentedPairs = loadSpec().operations.flatMap((op) => op.statuses.map((status) => `${op.operationId} ${status}`));

let mock: RunningMock | undefined;
let proxies: Awaited<ReturnType<typeof startProxyPair>> | undefined;
let proxy: RunningPrism | undefined;
let observer: RunningPrism | undefined;

beforeAll(async () => {
  mock = await startMock();
  proxies = await startProxyPair(mock.url);
  ({ proxy, observer } = proxies);
});

afterAll(async () => {
  await proxies?.close();
  await mock?.close();
});

function observe() {
  return createValidatingFetch({ proxy: proxy!.url, observer: observer!.url, upstream: mock!.url });
}

/**
 * The one check left out here, by name: Prism validates requests against the spec's types, and
 * this probe sends "expiresAt" as a numeric string, which the contract layer types as an integer
 * and which the mock reads as the number (contracts/CONTRACT.md "Transport"). Prism refuses it
 * where the mock accepts it. test/conformance/mock-conformance.test.ts runs it against the mock.
 */
const LEFT_OUT = {
  numeric_strings: 'Prism validates requests against the spec\'s types and refuses "expiresAt" sent as a numeric string',
};

/** The whole conformance suite through the proxy, with every credential; `--mock` adds the mock's choices. */
function runSuite(observed: ReturnType<typeof observe>, mockChoices: boolean) {
  return runConformance({
    baseUrl: proxy!.url,
    apiKey: mock!.devKeys.alice,
    otherApiKey: mock!.devKeys.bob,
    adminApiKey: mock!.devKeys.admin,
    restrictedApiKey: mock!.devKeys.nobody,
    ...(mockChoices ? { mock: true, adminToken: mock!.adminToken } : {}),
    excludeChecks: LEFT_OUT,
    fetch: observed.fetch,
  });
}

describe("the stateful mock's traffic through Prism's validation proxy (npm run proxy)", () => {
  it('passes the whole conformance suite through Prism, which finds no violation and validates every documented (operation, status) pair', async () => {
    const observed = observe();
    const report = await runSuite(observed, true);
    expect(describeFailures(observed.failures()), 'Prism found violations in the traffic').toBe('');
    expect(report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(report.ok).toBe(true);
    // Every check ran but the one left out by name, which says why.
    expect(report.results.filter((r) => r.status === 'skipped').map((r) => `${r.id}: ${r.message}`)).toEqual([
      `createApiKey/numeric_strings: left out of this run: ${LEFT_OUT.numeric_strings}`,
    ]);
    expect(
      documentedPairs.filter((pair) => !observed.validatedPairs().has(pair)),
      'pairs Prism never validated',
    ).toEqual([]);
    // Prism's only blind spot: malformed JSON, which its HTTP layer answers before routing.
    const unvalidated = observed.exchanges.filter((e) => e.validatedBy === 'none');
    expect(unvalidated.filter((e) => e.rejection?.type !== 'INVALID_BODY')).toEqual([]);
  });

  it('passes the suite without --mock too (as against any server): Prism, holding the contract layer, finds no violation', async () => {
    const observed = observe();
    const report = await runSuite(observed, false);
    expect(describeFailures(observed.failures()), 'Prism found violations in the traffic').toBe('');
    expect(report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(report.results.filter((r) => r.status === 'passed').length).toBeGreaterThan(90);
  });

  it('answers deliberately invalid requests itself, and the mock refuses each of them with the matching status', async () => {
    const observed = observe();
    const keys = { user: mock!.devKeys.alice, other: mock!.devKeys.bob, restricted: mock!.devKeys.nobody };
    const steps = await driveEveryOperation(observed.fetch, proxy!.url, keys);
    expect(steps.filter((s) => s.actual !== s.expected)).toEqual([]);
    expect(describeFailures(observed.failures())).toBe('');
    expect(documentedPairs.filter((pair) => !observed.validatedPairs().has(pair))).toEqual([]);
    // What `prism proxy --errors` does with each kind of bad request (see prism-verdict.ts).
    const rejections = new Map(observed.exchanges.filter((e) => e.rejection).map((e) => [e.rejection!.type, e]));
    expect([...rejections.keys()].sort()).toEqual([
      'INVALID_BODY',
      'NO_METHOD_MATCHED_ERROR',
      'NO_PATH_MATCHED_ERROR',
      'UNAUTHORIZED',
      'UNPROCESSABLE_ENTITY',
    ]);
    expect(rejections.get('UNAUTHORIZED')).toMatchObject({ status: 401, validatedBy: 'observer' });
    expect(rejections.get('UNPROCESSABLE_ENTITY')).toMatchObject({ status: 400, validatedBy: 'observer' });
    // Malformed JSON never gets past Prism's HTTP layer, with or without --errors.
    expect(rejections.get('INVALID_BODY')).toMatchObject({ status: 400, validatedBy: 'none' });
  });
});
