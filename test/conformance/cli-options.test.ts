import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../contracts/conformance/cli-options.ts';

const argv = (...args: string[]) => ['node', 'apikeys-conformance', ...args];
const BASE = ['--base-url', 'http://127.0.0.1:8080', '--api-key', 'gm_user'];

describe('the conformance CLI reads its settings once, from flags and environment', () => {
  it('reads every setting from APIKEYS_* environment variables', () => {
    const options = parseCliOptions(argv(), {
      APIKEYS_BASE_URL: 'http://127.0.0.1:8080',
      APIKEYS_API_KEY: 'gm_user',
      APIKEYS_OTHER_API_KEY: 'gm_other',
      APIKEYS_ADMIN_API_KEY: 'gm_admin',
      APIKEYS_RESTRICTED_API_KEY: 'gm_none',
      APIKEYS_MOCK: '1',
      APIKEYS_ADMIN_TOKEN: 'token-123',
      APIKEYS_SLOW: 'true',
      APIKEYS_REPORTER: 'json',
      APIKEYS_OUTPUT: 'report.json',
    });
    expect(options).toEqual({
      run: {
        baseUrl: 'http://127.0.0.1:8080',
        apiKey: 'gm_user',
        otherApiKey: 'gm_other',
        adminApiKey: 'gm_admin',
        restrictedApiKey: 'gm_none',
        mock: true,
        slow: true,
        adminToken: 'token-123',
      },
      reporters: ['json'],
      verbose: false,
      // Relative to the working directory, not to the package the CLI lives in.
      outputs: { json: resolve('report.json') },
    });
  });

  it('lets flags win over the environment and takes reporters repeated or comma-separated', () => {
    const options = parseCliOptions(
      argv(...BASE, '--reporter', 'terminal,junit', '--reporter', 'json', '--output', 'junit=a.xml', '--output', 'json=b.json'),
      { APIKEYS_API_KEY: 'gm_env' },
    );
    expect(options.run.apiKey).toBe('gm_user');
    expect(options.reporters).toEqual(['terminal', 'junit', 'json']);
    expect(options.outputs).toEqual({ junit: resolve('a.xml'), json: resolve('b.json') });
    expect(options.run.mock).toBe(false);
  });

  it('reads how long to wait for background effects in seconds, and --verbose', () => {
    const options = parseCliOptions(argv(...BASE, '--background-timeout', '2.5', '--verbose'));
    expect(options.run.backgroundTimeoutMs).toBe(2500);
    expect(options.verbose).toBe(true);
    expect(parseCliOptions(argv(...BASE), { APIKEYS_BACKGROUND_TIMEOUT: '10' }).run.backgroundTimeoutMs).toBe(10_000);
    expect(parseCliOptions(argv(...BASE)).run.backgroundTimeoutMs).toBeUndefined();
  });

  it("uses the mock's own APIKEYS_MOCK_ADMIN_TOKEN with --mock", () => {
    expect(parseCliOptions(argv(...BASE, '--mock'), { APIKEYS_MOCK_ADMIN_TOKEN: 'from-mock' }).run.adminToken).toBe('from-mock');
    expect(parseCliOptions(argv(...BASE), { APIKEYS_MOCK_ADMIN_TOKEN: 'from-mock' }).run.adminToken).toBeUndefined();
  });

  it('reads --profile-out as the file to write the profile to, and switches the probes on', () => {
    const options = parseCliOptions(argv(...BASE, '--profile-out', 'out/profile.json'));
    expect(options.profileOut).toBe(resolve('out/profile.json'));
    expect(options.run.profiling).toBe(true);
    expect(parseCliOptions(argv(...BASE)).run.profiling).toBeUndefined();
  });

  it('reads --profile (or APIKEYS_PROFILE) with --mock as the choices the mock is held to', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    try {
      const file = join(dir, 'p.json');
      writeFileSync(
        file,
        JSON.stringify({
          profileVersion: 1,
          server: 'x',
          recordedAt: 'y',
          choices: { listOrder: { observed: true, value: 'newest-first', seenBy: ['a'] }, bearer: { observed: false, reason: 'skipped' } },
        }),
      );
      expect(parseCliOptions(argv(...BASE, '--mock', '--profile', file)).run.choices).toEqual({ listOrder: 'newest-first' });
      expect(parseCliOptions(argv(...BASE, '--mock'), { APIKEYS_PROFILE: file }).run.choices).toEqual({ listOrder: 'newest-first' });
      writeFileSync(file, JSON.stringify({ profileVersion: 1, choices: { order: { observed: true, value: 1 } } }));
      expect(() => parseCliOptions(argv(...BASE, '--mock', '--profile', file))).toThrow(
        /unknown choice "order"; the choices are listOrder, /,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [[], {}, /--base-url is required \(or APIKEYS_BASE_URL\)/],
    [['--base-url', 'http://127.0.0.1:8080'], {}, /--api-key is required \(or APIKEYS_API_KEY\)/],
    [['--base-url', 'localhost:8080', '--api-key', 'k'], {}, /--base-url must use http or https/],
    [['--base-url', 'not a url', '--api-key', 'k'], {}, /--base-url must be an absolute http\(s\) URL/],
    [[...BASE, '--reporter', 'xml'], {}, /--reporter "xml" is not a reporter; choose from terminal, junit, json/],
    [[...BASE, '--output', 'out.xml'], {}, /--output out\.xml needs a file reporter/],
    [[...BASE, '--reporter', 'junit,json', '--output', 'out'], {}, /--output out is ambiguous/],
    [[...BASE, '--reporter', 'terminal,junit'], {}, /--reporter junit writes to stdout only when it is the only reporter/],
    [[...BASE, '--admin-token', 'token-123'], {}, /--admin-token .* use it with --mock/],
    [[...BASE, '--other-api-key', 'gm_user'], {}, /must be different keys/],
    [[...BASE], { APIKEYS_SLOW: 'maybe' }, /APIKEYS_SLOW \(for --slow\) must be 1\/true\/yes or 0\/false\/no/],
    [[...BASE, '--bogus'], {}, /unknown option '--bogus'/],
    [[...BASE, '--background-timeout', 'soon'], {}, /--background-timeout must be a positive number of seconds, got "soon"/],
    [[...BASE, '--background-timeout', '0'], {}, /--background-timeout must be a positive number of seconds/],
    [[...BASE, '--profile', 'p.json'], {}, /--profile \(APIKEYS_PROFILE\) holds the mock to a profile: use it with --mock/],
    [[...BASE, '--mock', '--profile', 'no-such-file.json'], {}, /--profile no-such-file\.json cannot be read: ENOENT/],
  ] as const)('rejects %j with a message naming the flag', (args, env, message) => {
    expect(() => parseCliOptions(argv(...args), env)).toThrow(message);
  });
});
