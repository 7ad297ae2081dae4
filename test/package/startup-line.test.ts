import { describe, expect, it, onTestFinished } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { docSection, readDoc, REPO } from '../docs/doc-section.ts';
import { spawnCli } from './support/spawn-cli.ts';
import { userEnv } from './support/user-env.ts';
import { FIXTURE_URL_PATTERN, STARTUP_LINE } from './startup-line.ts';

// The .NET, Java and Python fixtures of docs/fixtures.md start the mock, take the URL from
// its first line and reset it between tests. These pin the three things they rely on.
const ADMIN_TOKEN = 'startup-line-admin-token';
const FIXTURES = 'docs/fixtures.md';

function documentedFixtures(): { language: string; code: string }[] {
  const section = docSection(FIXTURES, 'The fixtures');
  return [...section.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ language: m[1]!, code: m[2]! }));
}

async function listAlicesKeys(url: string): Promise<number> {
  const response = await fetch(`${url}/v1/apikeys`, { headers: { 'x-api-key': DEV_KEYS.alice } });
  return ((await response.json()) as { keys: unknown[] }).keys.length;
}

describe('the mock CLI as the fixtures for other languages (docs/fixtures.md) use it', () => {
  it('prints "apikeys-mock listening on <url> (ready in N ms)" as its first stdout line, with --log-level error too', async () => {
    const mock = await spawnCli(
      process.execPath,
      ['mock/bin.js', '--port', '0', '--in-memory', '--admin-token', ADMIN_TOKEN, '--log-level', 'error'],
      { cwd: REPO, env: userEnv() },
    );
    onTestFinished(() => mock.stop());
    expect(mock.firstLine).toMatch(STARTUP_LINE);
    const url = STARTUP_LINE.exec(mock.firstLine)![1]!;
    expect(new URL(url).port).not.toBe('0');
    // The fixtures' own, looser pattern finds the same URL.
    expect(new RegExp(FIXTURE_URL_PATTERN).exec(mock.firstLine)?.[1]).toBe(url);

    // ...and POST /_mock/reset with x-admin-token is what puts the seed back between tests.
    const created = await fetch(`${url}/v1/apikeys`, {
      method: 'POST',
      headers: { 'x-api-key': DEV_KEYS.alice, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(created.status).toBe(201);
    expect(await listAlicesKeys(url)).toBe(2);
    expect((await fetch(`${url}/_mock/reset`, { method: 'POST', headers: { 'x-admin-token': 'wrong-token' } })).status).toBe(401);
    const reset = await fetch(`${url}/_mock/reset`, { method: 'POST', headers: { 'x-admin-token': ADMIN_TOKEN } });
    expect(reset.status).toBe(200);
    expect(await listAlicesKeys(url)).toBe(1);
  });

  it('is parsed by every documented fixture with the same pattern, and each resets through the control plane', () => {
    const fixtures = documentedFixtures().filter((f) => f.code.includes('--in-memory'));
    expect(fixtures.map((f) => f.language).sort()).toEqual(['csharp', 'java', 'python']);
    for (const { language, code } of fixtures) {
      // Java writes the backslash of \S twice inside its string literal.
      const pattern = language === 'java' ? FIXTURE_URL_PATTERN.replaceAll('\\', '\\\\') : FIXTURE_URL_PATTERN;
      expect(code, language).toContain(pattern);
      for (const needle of ['"--port", "0"', '"--admin-token"', '/_mock/reset', '"x-admin-token"', '"--log-level", "error"']) {
        expect(code, `${language} fixture: ${needle}`).toContain(needle);
      }
    }
  });

  it('is shown in docs/fixtures.md as the format the fixtures parse', () => {
    const shown = /`(apikeys-mock listening on http:\/\/127\.0\.0\.1:<port> \(ready in <n> ms\))`/.exec(readDoc(FIXTURES))?.[1];
    expect(shown).toBeDefined();
    expect(shown!.replace('<port>', '41151').replace('<n>', '172')).toMatch(STARTUP_LINE);
  });
});
