import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { planConformance } from '../../contracts/conformance/run-conformance.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';
import type { ServerProfile } from '../../contracts/common/server-profile.ts';
import { spawnMock } from '../support/running-mock.ts';
import { keySnapshot } from './support/all-credentials.ts';
import { OTHER_WAY } from './support/other-way.ts';
import { observedValues, validateProfile } from './support/profile-values.ts';
import { startVariantServer } from './support/variant-server.ts';
import { brokenVariants } from './support/broken-variants.ts';

const BIN = fileURLToPath(new URL('../../contracts/conformance/bin.js', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI from a scratch directory (it must not depend on the working
 * directory), without this test run's own VITEST_* variables.
 */
function cli(
  args: string[],
  env: Record<string, string> = {},
  onStdout?: (text: string, child: ReturnType<typeof spawn>) => void,
): Promise<Run> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'TEST' && k !== 'NODE_ENV' && !k.startsWith('APIKEYS_')),
  );
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: work,
    env: { ...clean, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    onStdout?.(stdout, child);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

let work: string;
let mock: RunningMock | undefined;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await mock?.close();
  mock = undefined;
  for (const close of closers.splice(0)) await close();
  rmSync(work, { recursive: true, force: true });
});
const scratch = () => (work = mkdtempSync(join(tmpdir(), 'conformance-cli-')));

describe('apikeys-conformance, the CLI', () => {
  it('exits 0 against the mock and writes a JUnit report with one test case per check, from any directory', async () => {
    scratch();
    mock = await startMock();
    const run = await cli(
      [
        '--base-url',
        mock.url,
        '--other-api-key',
        mock.devKeys.bob,
        '--admin-api-key',
        mock.devKeys.admin,
        '--mock',
        '--admin-token',
        mock.adminToken,
        '--reporter',
        'terminal,junit',
        '--output',
        'junit=report.xml',
      ],
      { APIKEYS_API_KEY: mock.devKeys.alice, APIKEYS_RESTRICTED_API_KEY: mock.devKeys.nobody },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/CONFORMS/);
    // With every credential and the mock's clock, every check runs.
    expect(run.stdout).toMatch(/\d+ checks: \d+ passed, 0 failed, 0 skipped, in \d+\.\d+ s/);
    // A QA engineer's view: one progress line, no listing of every check, no internal file paths.
    expect(run.stdout).toMatch(/\d+\/\d+ checks done, 0 failed, 0 skipped/);
    expect(run.stdout).not.toMatch(/conformance\.suite\.ts|✓/);
    const pairs = loadSpec().operations.reduce((n, op) => n + op.statuses.length, 0);
    expect(run.stdout).toContain(`all ${pairs} documented (operation, status) pairs exercised`);
    const junit = readFileSync(join(work, 'report.xml'), 'utf8');
    expect(junit.match(/<testcase /g)?.length).toBe(planConformance().length);
    expect(junit).toMatch(/failures="0"/);
  });

  it("learns a server's profile with --profile-out, a mock started with apikeys-mock --profile shows it, and --mock --profile passes that mock, from any directory", async () => {
    scratch();
    // A correct server that differs from the default mock in every legal choice.
    mock = await startMock({ choices: OTHER_WAY });
    const keys = ['--api-key', mock.devKeys.alice, '--other-api-key', mock.devKeys.bob, '--admin-api-key', mock.devKeys.admin];
    keys.push('--restricted-api-key', mock.devKeys.nobody);
    const learn = await cli(['--base-url', mock.url, ...keys, '--profile-out', 'staging.profile.json']);
    expect(learn.stderr).toBe('');
    expect(learn.code).toBe(0);
    expect(learn.stdout).toMatch(/this server: lists newest first · answers 404 for another user's key · ignores unknown fields/);
    expect(learn.stdout).toContain(`Profile written to ${join(work, 'staging.profile.json')}`);
    const profile = JSON.parse(readFileSync(join(work, 'staging.profile.json'), 'utf8')) as ServerProfile;
    expect(validateProfile(profile)).toBe(true);
    expect(observedValues(profile)).toEqual(OTHER_WAY);

    // The mock's own CLI adopts the profile file, and the suite holds it to that profile.
    const token = 'round-trip-admin-token';
    const likeStaging = await spawnMock([
      '--port',
      '0',
      '--in-memory',
      '--admin-token',
      token,
      '--profile',
      join(work, 'staging.profile.json'),
    ]);
    expect(likeStaging.stdout()).toMatch(/choices: lists newest first · answers 404 for another user's key · /);
    const hold = await cli(['--base-url', likeStaging.url, ...keys, '--mock', '--admin-token', token, '--profile', 'staging.profile.json']);
    expect(hold.stderr).toBe('');
    expect(hold.code).toBe(0);
    expect(hold.stdout).toMatch(/CONFORMS/);
    // Every check ran against it, the probe that sends a number as a string among them.
    expect(hold.stdout).toMatch(/\d+ checks: \d+ passed, 0 failed, 0 skipped/);
    await likeStaging.kill('SIGTERM');
  });

  it('exits 1 and names the failing check when the server breaks the contract', async () => {
    scratch();
    const server = await startVariantServer(brokenVariants['missing header']!);
    closers.push(server.close);
    const run = await cli([
      '--base-url',
      server.url,
      '--api-key',
      server.mock.devKeys.alice,
      '--reporter',
      'json',
      '--output',
      'report.json',
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/DOES NOT CONFORM/);
    expect(run.stdout).toMatch(
      /✗ createApiKey\/response_headers_conformance \[response\] — CONTRACT\.md "Responses" — createApiKey POST \/v1\/apikeys .* → expected header location; got no such header/,
    );
    const json = JSON.parse(readFileSync(join(work, 'report.json'), 'utf8')) as {
      numFailedTests: number;
      testResults: { assertionResults: { title: string; status: string }[] }[];
    };
    expect(json.numFailedTests).toBe(1);
    expect(json.testResults[0]!.assertionResults.filter((t) => t.status === 'failed').map((t) => t.title)).toEqual([
      'response_headers_conformance [response]',
    ]);
  });

  it('stops with exit code 2 and names the flag when a setting is wrong or missing', async () => {
    scratch();
    const missing = await cli(['--base-url', 'http://127.0.0.1:9']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--api-key is required \(or APIKEYS_API_KEY\)/);
    const wrong = await cli(['--base-url', 'http://127.0.0.1:9', '--api-key', 'gm_x', '--reporter', 'xml']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--reporter "xml" is not a reporter; choose from terminal, junit, json/);
    writeFileSync(
      join(work, 'broken.profile.json'),
      JSON.stringify({ profileVersion: 1, choices: { listOrder: { observed: true, value: 'random' } } }),
    );
    const broken = await cli(['--base-url', 'http://127.0.0.1:9', '--api-key', 'gm_x', '--mock', '--profile', 'broken.profile.json']);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(
      /--profile broken\.profile\.json: choice listOrder must be one of "oldest-first", "newest-first", got "random"/,
    );
  });

  it('on SIGINT stops, deletes every key it created and exits 130', async () => {
    scratch();
    mock = await startMock();
    const before = keySnapshot(mock);
    let sent = false;
    // --slow keeps the run going for seconds; interrupt once the first checks have reported.
    // --verbose lists each check as it finishes: the signal to interrupt.
    const run = await cli(['--base-url', mock.url, '--api-key', mock.devKeys.alice, '--slow', '--verbose'], {}, (text, child) => {
      if (!sent && /✓/.test(text)) {
        sent = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    expect(sent).toBe(true);
    expect(run.code).toBe(130);
    expect(run.stdout).toMatch(/INTERRUPTED/);
    expect(keySnapshot(mock)).toBe(before);
  });
});
