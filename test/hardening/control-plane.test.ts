import { describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { controlPlaneEndpoints } from './support/control-routes.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { ADMIN_TOKEN, fileMock, spawnMock, type FileMock } from '../support/running-mock.ts';
import { httpClient, type SendOptions } from './support/http-client.ts';

/** Bodies that would change something if the request got through. */
const MUTATING_BODY: Record<string, unknown> = {
  'POST /_mock/users': { name: 'intruder', role: 'ROOT' },
  'POST /_mock/clock': { advanceMs: 86_400_000 },
  'POST /_mock/faults': { status: 500, count: 1000 },
};

const flip = (s: string) => s.replace(/[a-z]/, (c) => c.toUpperCase());
// Each one a way of not presenting exactly one x-admin-token header with exactly the token.
const BAD_CREDENTIALS: [string, SendOptions['headers']][] = [
  ['no token', {}],
  ['an empty token', { 'x-admin-token': '' }],
  ['a wrong token of the same length', { 'x-admin-token': ADMIN_TOKEN.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')) }],
  ['a one-character token', { 'x-admin-token': ADMIN_TOKEN[0]! }],
  ['the token minus its last character', { 'x-admin-token': ADMIN_TOKEN.slice(0, -1) }],
  ['the token plus one character', { 'x-admin-token': `${ADMIN_TOKEN}x` }],
  ['the token in another case', { 'x-admin-token': flip(ADMIN_TOKEN) }],
  ['the token with a space inside', { 'x-admin-token': `${ADMIN_TOKEN.slice(0, 4)} ${ADMIN_TOKEN.slice(4)}` }],
  ['a 10 KB token', { 'x-admin-token': ADMIN_TOKEN.repeat(500).slice(0, 10_240) }],
  ['the token sent twice', { 'x-admin-token': [ADMIN_TOKEN, ADMIN_TOKEN] }],
  ['the token as a bearer token', { authorization: `Bearer ${ADMIN_TOKEN}` }],
  ['the token as an API key', { 'x-api-key': ADMIN_TOKEN }],
  ['an admin API key instead of the token', { 'x-api-key': DEV_KEYS.admin, 'x-admin-token': DEV_KEYS.admin }],
];

/** Everything the control plane could change: keys and users, the clock, the faults. */
function controlState(mock: FileMock): string {
  return JSON.stringify({ store: mock.stateText(), clock: mock.clock.offsetMs, faults: mock.faults.list() });
}

describe('the /_mock control plane', () => {
  it('declares the endpoints docs/configuration.md documents (so the list the other tests use is complete)', async () => {
    const mock = await fileMock();
    const endpoints = controlPlaneEndpoints(mock.app).map((e) => `${e.method} ${e.path}`);
    expect(endpoints).toEqual(
      expect.arrayContaining([
        'GET /_mock/health',
        'POST /_mock/reset',
        'POST /_mock/users',
        'GET /_mock/clock',
        'POST /_mock/clock',
        'GET /_mock/faults',
        'POST /_mock/faults',
        'DELETE /_mock/faults',
      ]),
    );
  });

  it('answers 401 JSON on every endpoint to every credential that is not exactly the token, and changes nothing', async () => {
    const mock = await fileMock();
    // State that reset, DELETE /faults, users, clock and faults would visibly change.
    expect(
      (
        await mock.send({
          method: 'POST',
          path: '/v1/apikeys',
          headers: { 'x-api-key': DEV_KEYS.alice },
          body: { labels: { survives: 'reset' } },
        })
      ).status,
    ).toBe(201);
    const fault = await mock.send({
      method: 'POST',
      path: '/_mock/faults',
      headers: { 'x-admin-token': ADMIN_TOKEN },
      body: { path: '/v1/never-requested', status: 503, count: 5 },
    });
    expect(fault.status).toBe(201);
    const before = controlState(mock);
    const endpoints = controlPlaneEndpoints(mock.app);
    expect(endpoints.length).toBeGreaterThanOrEqual(8);
    for (const { method, path } of endpoints) {
      for (const [what, headers] of BAD_CREDENTIALS) {
        const reply = await mock.send({ method, path, headers, body: MUTATING_BODY[`${method} ${path}`] ?? {} });
        expectErrorReply(reply, 401, `${method} ${path} with ${what}`);
        expect(controlState(mock), `${method} ${path} with ${what}`).toBe(before);
      }
    }
    // The baseline: the same requests with the token do get through.
    expect((await mock.send({ path: '/_mock/health', headers: { 'x-admin-token': ADMIN_TOKEN } })).status).toBe(200);
    expect(
      (await mock.send({ method: 'POST', path: '/_mock/clock', headers: { 'x-admin-token': ADMIN_TOKEN }, body: { advanceMs: 1 } })).status,
    ).toBe(200);
    expect(mock.clock.offsetMs).toBe(1);
  });

  it('is switched off by the CLI flag --no-control-plane: every endpoint is a JSON 404, even with the token, and no token is printed', async () => {
    const on = await fileMock();
    const endpoints = controlPlaneEndpoints(on.app);
    const mock = await spawnMock(['--port', '0', '--in-memory', '--no-control-plane', '--admin-token', ADMIN_TOKEN, '--log-level', 'info']);
    const { send } = httpClient(mock.url);
    for (const { method, path } of endpoints) {
      const reply = await send({ method, path, headers: { 'x-admin-token': ADMIN_TOKEN }, body: MUTATING_BODY[`${method} ${path}`] ?? {} });
      expectErrorReply(reply, 404, `${method} ${path} with the control plane off`);
    }
    expect((await send({ path: '/v1/apikeys', headers: { 'x-api-key': DEV_KEYS.alice } })).status).toBe(200);
    expect(mock.stdout()).toMatch(/control plane: off/);
    expect(mock.stdout()).not.toContain(ADMIN_TOKEN);
  });
});
