import { describe, it } from 'vitest';
import { startMock } from '../../mock/start-mock.ts';
import { allKeyIds } from './support/count-keys.ts';
import { runVerifierCli } from './support/run-verifier-cli.ts';
import { startBrokenProvider, type Breakage } from './support/start-broken-provider.ts';

const isCreate = (e: { method: string; path: string }) => e.method === 'POST' && e.path === '/v1/apikeys';
const isList = (e: { method: string; path: string }) => e.method === 'GET' && e.path === '/v1/apikeys';

interface BrokenCase {
  name: string;
  breakage: Breakage;
  /** What the verifier's summary must say, line by line. */
  expected: RegExp[];
}

const cases: BrokenCase[] = [
  {
    name: 'create answers 200 instead of 201',
    breakage: {
      spoil: (e) => {
        if (isCreate(e) && e.status === 201) e.status = 200;
      },
    },
    expected: [
      /✗ a request to create an API key with no labels and no expiry\n\s+status: expected 201 but was 200/,
      /✗ a request to create an API key with labels and an expiry\n\s+status: expected 201 but was 200/,
    ],
  },
  {
    name: 'list leaks the raw key',
    breakage: {
      spoil: (e) => {
        if (!isList(e) || e.status !== 200) return;
        const body = JSON.parse(e.body) as { keys: Record<string, unknown>[] };
        for (const key of body.keys) key.rawApiKey = 'gm_mfrggzdfmztwq2lknnwg23tpoa';
        e.body = JSON.stringify(body);
      },
    },
    expected: [
      /✗ Given an API key exists - a request to list API keys\n\s+body \$\.keys\[\*\]: unexpected field rawApiKey \(allowed: apiKeyId, userId, /,
    ],
  },
  {
    name: 'create sends no Location header',
    breakage: {
      spoil: (e) => {
        if (isCreate(e)) delete e.headers.location;
      },
    },
    expected: [
      /✗ a request to create an API key with no labels and no expiry\n\s+header Location: Expected a header 'Location' but was missing/,
    ],
  },
  {
    name: 'create fails with 500, so provider states cannot be set up',
    breakage: {
      refuse: (request) => (isCreate(request) ? { status: 500, body: '{"error":"database unavailable"}' } : undefined),
    },
    expected: [/✗ provider state "an API key exists" \(setup\) failed: POST \/v1\/apikeys answered 500: database unavailable/],
  },
  {
    name: 'the provider hangs up on a request',
    breakage: {
      refuse: (request) => (request.method === 'DELETE' && request.path === '/v1/apikeys/not-a-uuid' ? 'drop' : undefined),
    },
    expected: [
      /✗ no answer from the provider: DELETE \/v1\/apikeys\/not-a-uuid: fetch failed \(.+\)/,
      /✗ a request to delete an API key with a malformed id\n\s+status: expected 400 but was 502/,
    ],
  },
];

// One case at a time: each spawns the Pact core, and five at once starve a small shared
// machine into time-outs. Each case has its own mock and proxy all the same.
describe('apikeys-pact-verify against a deliberately broken provider', () => {
  it.for(cases)('fails, and says why, when $name', { timeout: 90_000 }, async ({ breakage, expected }, { expect }) => {
    const mock = await startMock();
    const broken = await startBrokenProvider(mock.url, breakage);
    try {
      const before = await allKeyIds(mock.url, mock.devKeys.admin);

      const run = await runVerifierCli(
        ['--provider-base-url', broken.url, '--api-key', mock.devKeys.alice, '--admin-token', mock.adminToken],
        { timeoutMs: 80_000 },
      );

      expect(run.output).toContain(`Pact verification of ${broken.url} FAILED`);
      for (const pattern of expected) expect(run.output).toMatch(pattern);
      expect(run.code).toBe(1);
      // Keys really made behind the broken answers are deleted all the same.
      expect(await allKeyIds(mock.url, mock.devKeys.admin)).toEqual(before);
    } finally {
      await broken.close();
      await mock.close();
    }
  });
});
