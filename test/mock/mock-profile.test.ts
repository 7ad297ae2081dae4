import { writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHOICE_NAMES, SERVER_CHOICES } from '../../contracts/common/server-choices.ts';
import { ProfileError } from '../../contracts/common/server-profile.ts';
import { createMock } from '../../mock/create-mock.ts';
import type { ProfileInput } from '../../mock/resolve-choices.ts';
import { DEFAULT_CHOICES } from '../../mock/service/mock-choices.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { KEYS, runMockUntilExit, spawnMock } from '../support/running-mock.ts';
import { freePort } from '../support/free-port.ts';

// Issue 22 item 2: `apikeys-mock --profile FILE` (and createMock({ profile })) adopts
// every choice a conformance run observed; the others keep the defaults; a broken
// profile stops the start, naming the choice and its valid values.
const observed = (value: unknown) => ({ observed: true, value, seenBy: ['some/check'] });
const unobserved = { observed: false, reason: 'no second user key was given' };

/** A profile as --profile-out writes one: every choice, some observed. */
function profile(values: Record<string, unknown>): ProfileInput {
  return {
    profileVersion: 1,
    server: 'https://staging.example',
    recordedAt: '2026-12-01T00:00:00.000Z',
    choices: Object.fromEntries(CHOICE_NAMES.map((name) => [name, name in values ? observed(values[name]) : unobserved])),
  } as ProfileInput;
}

function profileFile(content: unknown): string {
  const path = join(tempDir('apikeys-profile-'), 'profile.json');
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

const seen = { listOrder: 'newest-first', foreignKeyStatus: 404, rawKeyLength: 52, bearer: 'refused', wrongMethod: 404 };

const refusesConnections = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

describe('a mock started with a profile', () => {
  it('adopts every observed choice and keeps the default of every other one (from the object or its file)', async () => {
    for (const given of [profile(seen), profileFile(profile(seen))]) {
      const mock = await createMock({ inMemory: true, logLevel: 'silent', profile: given });
      expect(mock.choices).toEqual({ ...DEFAULT_CHOICES, ...seen });
      await mock.store.close();
    }
  });

  it('lets single choices win over the profile, and --strict over both for the leniencies', async () => {
    const mock = await createMock({
      inMemory: true,
      logLevel: 'silent',
      profile: profile({ ...seen, numericStrings: 'accepted' }),
      choices: { listOrder: 'oldest-first' },
      strict: true,
    });
    expect(mock.choices).toEqual({ ...DEFAULT_CHOICES, ...seen, listOrder: 'oldest-first', numericStrings: 'refused' });
    await mock.store.close();
  });

  it.each([
    [
      'an unknown choice',
      { listOrdr: observed('newest-first') },
      /unknown choice "listOrdr"; the choices are listOrder, foreignKeyStatus, /,
    ],
    [
      'a value the choice does not have',
      { listOrder: observed('sideways') },
      /choice listOrder must be one of "oldest-first", "newest-first", got "sideways"/,
    ],
    ['a length out of range', { rawKeyLength: observed(3) }, /choice rawKeyLength must be a whole number from 4 to 256, got 3/],
    [
      'a prefix as long as the key',
      { rawKeyLength: observed(10), keyPrefixLength: observed(10) },
      /keyPrefixLength \(10\) must be less than rawKeyLength \(10\)/,
    ],
  ])('is refused for %s, naming the choice and its valid values', async (_what, choices, message) => {
    const broken = { profileVersion: 1, server: 'x', recordedAt: 'y', choices } as unknown as ProfileInput;
    await expect(createMock({ inMemory: true, logLevel: 'silent', profile: broken })).rejects.toThrow(message);
    await expect(createMock({ inMemory: true, logLevel: 'silent', profile: broken })).rejects.toBeInstanceOf(ProfileError);
  });

  it('refuses a single choice with a wrong value the same way', async () => {
    await expect(createMock({ inMemory: true, logLevel: 'silent', choices: { bearer: 'maybe' as never } })).rejects.toThrow(
      /choices: choice bearer must be one of "accepted", "refused", got "maybe"/,
    );
  });

  it('names every choice of the table in the message for an unknown one', async () => {
    const broken = { profileVersion: 1, choices: { nope: observed(1) } } as unknown as ProfileInput;
    const error = await createMock({ inMemory: true, logLevel: 'silent', profile: broken }).catch((e: Error) => e);
    for (const name of Object.keys(SERVER_CHOICES)) expect(String(error)).toContain(name);
  });
});

describe('apikeys-mock --profile and --strict', () => {
  it('starts with the profile (flag or APIKEYS_MOCK_PROFILE), says which choices differ, and behaves so', async () => {
    const file = profileFile(profile(seen));
    for (const [args, env] of [
      [['--profile', file], {}],
      [[], { APIKEYS_MOCK_PROFILE: file }],
    ] as const) {
      const mock = await spawnMock(['--port', '0', '--in-memory', '--log-level', 'info', ...args], { env });
      expect(mock.stdout()).toMatch(/choices: lists newest first · answers 404 for another user's key · .*reads only x-api-key/);
      const bearer = await fetch(`${mock.url}/v1/apikeys`, { headers: { authorization: `Bearer ${KEYS.alice}` } });
      expect(bearer.status).toBe(401);
      const created = await fetch(`${mock.url}/v1/apikeys`, {
        method: 'POST',
        headers: { 'x-api-key': KEYS.alice, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(((await created.json()) as { rawApiKey: string }).rawApiKey).toHaveLength(52);
      await mock.kill('SIGTERM');
    }
  });

  it('refuses numbers sent as strings with --strict (or APIKEYS_MOCK_STRICT=1), also over a profile that accepts them', async () => {
    const file = profileFile(profile({ numericStrings: 'accepted' }));
    for (const [args, env] of [
      [['--strict', '--profile', file], {}],
      [['--profile', file], { APIKEYS_MOCK_STRICT: '1' }],
    ] as const) {
      const mock = await spawnMock(['--port', '0', '--in-memory', ...args], { env });
      expect(mock.stdout()).toContain('refuses numbers sent as strings (400)');
      const res = await fetch(`${mock.url}/v1/apikeys`, {
        method: 'POST',
        headers: { 'x-api-key': KEYS.alice, 'content-type': 'application/json' },
        body: JSON.stringify({ expiresAt: String(Date.now() + 86_400_000) }),
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/^request body property expiresAt must be an integer/);
      await mock.kill('SIGTERM');
    }
  });

  it.each([
    [
      'an unknown choice',
      profile({}),
      (p: any) => (p.choices.listOrdr = observed('newest-first')),
      /unknown choice "listOrdr"; the choices are listOrder, /,
    ],
    [
      'a wrong value',
      profile({}),
      (p: any) => (p.choices.bearer = observed('sometimes')),
      /choice bearer must be one of "accepted", "refused", got "sometimes"/,
    ],
    ['text that is not JSON', '{"profileVersion": 1,', () => undefined, /is not JSON/],
    ['a missing file', null, () => undefined, /absent\.json cannot be read: ENOENT/],
  ])('stops at start for %s: exit code not 0, a message naming it, nothing listening', async (_what, content, edit, message) => {
    if (content !== null && typeof content === 'object') edit(content);
    const file = content === null ? join(tempDir('apikeys-profile-'), 'absent.json') : profileFile(content);
    const port = await freePort();
    const run = await runMockUntilExit(['--port', String(port), '--in-memory', '--profile', file]);
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toMatch(/^apikeys-mock: cannot start with --profile: /);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).not.toContain('listening');
    expect(await refusesConnections(port)).toBe(true);
  });
});
