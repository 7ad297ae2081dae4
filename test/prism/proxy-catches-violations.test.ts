import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';
import { createValidatingFetch } from './support/create-validating-fetch.ts';
import { prismVerdict } from './support/prism-verdict.ts';
import { BREAK_HEADER, startBreakingProxy, type BreakName } from './support/start-breaking-proxy.ts';
import { startProxyPair, type RunningPrism } from './support/start-prism.ts';

let mock: RunningMock | undefined;
let broken: Awaited<ReturnType<typeof startBreakingProxy>> | undefined;
let proxies: Awaited<ReturnType<typeof startProxyPair>> | undefined;
let proxy: RunningPrism | undefined;
let observer: RunningPrism | undefined;

beforeAll(async () => {
  mock = await startMock();
  broken = await startBreakingProxy(mock.url);
  proxies = await startProxyPair(broken.url);
  ({ proxy, observer } = proxies);
});

afterAll(async () => {
  await proxies?.close();
  await broken?.close();
  await mock?.close();
});

/** Sends one request through `npm run proxy` into the breaking upstream, which breaks the mock's answer as named. */
async function sendBroken(breakName: BreakName, method: string, path: string, options: { key?: string | null; body?: unknown } = {}) {
  const observed = createValidatingFetch({ proxy: proxy!.url, observer: observer!.url, upstream: broken!.url });
  const key = options.key === undefined ? mock!.devKeys.alice : options.key;
  const headers: Record<string, string> = { [BREAK_HEADER]: breakName, ...(key ? { 'x-api-key': key } : {}) };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await observed.fetch(`${proxy!.url}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { res, text, verdict: prismVerdict(res.status, res.headers, text), failures: observed.failures() };
}

async function createKey(): Promise<string> {
  const res = await fetch(`${mock!.url}/v1/apikeys`, {
    method: 'POST',
    headers: { 'x-api-key': mock!.devKeys.alice, 'content-type': 'application/json' },
    body: '{}',
  });
  return ((await res.json()) as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
}

describe('Prism catches a response that breaks openapi.yaml', () => {
  it.each([
    ['timestamp-as-string', 'GET', '/v1/apikeys', /keys\.0\.createdAt.*must be integer/],
    ['html', 'GET', '/v1/apikeys', /media type "text\/html; charset=utf-8" does not match/],
    // A key that does not exist: the mock's 404 body is the one broken.
    ['error-shape', 'DELETE', '/v1/apikeys/00000000-0000-4000-8000-0000000000ff', /must have required property 'error'/],
  ] as const)('rejects %s on %s %s with a 500 VIOLATIONS problem naming the fault (--errors)', async (breakName, method, path, message) => {
    const sent = await sendBroken(breakName, method, path);
    expect(sent.res.status).toBe(500);
    expect(sent.verdict.kind).toBe('response-rejected');
    expect(sent.failures).toHaveLength(1);
    expect(sent.failures[0]!.failure).toMatch(message);
  });

  it('rejects an update answer without its required updatedById', async () => {
    const id = await createKey();
    const sent = await sendBroken('missing-required-field', 'PUT', `/v1/apikeys/${id}`, { body: { status: 'INACTIVE' } });
    expect(sent.verdict.kind).toBe('response-rejected');
    expect(sent.failures[0]!.failure).toMatch(/must have required property 'updatedById'/);
  });

  it('rejects a created key whose Location header does not match its pattern', async () => {
    const sent = await sendBroken('bad-location', 'POST', '/v1/apikeys', { body: {} });
    expect(sent.verdict.kind).toBe('response-rejected');
    expect(sent.failures[0]!.failure).toMatch(/location/i);
  });

  it('lets an undocumented 4xx status through even with --errors, flagged only as a Warning in sl-violations, and the harness still fails it', async () => {
    const sent = await sendBroken('undocumented-status', 'GET', '/v1/apikeys');
    expect(sent.res.status).toBe(409);
    expect(sent.res.headers.get('sl-violations')).toMatch(
      /"severity":"Warning".*Unable to match the returned status code with those defined in the document: 200,401,403/,
    );
    expect(sent.failures[0]!.failure).toMatch(/\[Warning\] response: Unable to match the returned status code/);
  });

  it("validates the upstream's answer to a request Prism refuses, through the observing proxy", async () => {
    // No x-api-key: `prism proxy --errors` answers 401 itself; the replay reaches the upstream, whose 401 body is broken.
    const sent = await sendBroken('error-shape', 'GET', '/v1/apikeys', { key: null });
    expect(sent.res.status).toBe(401);
    expect(sent.failures).toHaveLength(1);
    expect(sent.failures[0]).toMatchObject({ validatedBy: 'observer', rejection: { type: 'UNAUTHORIZED' } });
    expect(sent.failures[0]!.failure).toMatch(/must have required property 'error'/);
  });

  it("lets a created key through that departs only from the mock's choices: Prism reads the contract layer", async () => {
    const sent = await sendBroken('mock-choices-only', 'POST', '/v1/apikeys', { body: {} });
    expect(sent.res.status).toBe(201);
    expect(sent.failures).toEqual([]);
    const body = JSON.parse(sent.text) as unknown;
    expect(loadSpec({ layer: 'contract' }).schema('CreateApiKeyResponse')(body)).toBe(true);
    // The same answer breaks the full layer in four places: it is a real departure, only not from the contract.
    const full = loadSpec().schema('CreateApiKeyResponse');
    expect(full(body)).toBe(false);
    expect(new Set(full.errors!.map((e) => e.instancePath.split('/').slice(0, 3).join('/')))).toEqual(
      new Set(['/rawApiKey', '/apiKeyMetadata/keyPrefix', '/apiKeyMetadata/expiresAt', '/apiKeyMetadata/labels']),
    );
  });

  it('fails a server that accepts a request Prism refuses as invalid (both validators must agree)', async () => {
    // A wrong type: the contract layer refuses it (an unknown field is only the mock's choice, which Prism does not see).
    const sent = await sendBroken('accept-anything', 'POST', '/v1/apikeys', { body: { expiresAt: 'soon' } });
    expect(sent.res.status).toBe(201);
    expect(sent.failures[0]!.failure).toMatch(
      /Prism refuses this request \(UNPROCESSABLE_ENTITY: .*\), so the server should answer 400, but it answered 201/,
    );
  });
});
