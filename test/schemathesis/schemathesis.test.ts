import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mock/start-mock.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { USERS } from '../support/running-mock.ts';
import { toolchain } from '../toolchains/toolchain.ts';

// Schemathesis (PyPI, pinned in test/toolchains/requirements.txt), a generic property-based
// fuzzer, against the stateful mock, given the mock's layer of the spec as docs/tools.md "Generic
// tools" tells users (`apikeys-mock --print-spec`): every check, every phase (examples,
// coverage, fuzzing, stateful), positive and negative data, a fixed seed and a bounded number
// of examples. Zero failures, except the two rules no JSON Schema can state, excused by name
// in hooks.py with their CONTRACT.md section.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HOOKS = fileURLToPath(new URL('./hooks.py', import.meta.url));
const EXCUSABLE = [
  'CONTRACT.md "Create": expiresAt not in the future is 400',
  'CONTRACT.md "Update": a merge leaving more than 10 labels is 400',
];
const run = promisify(execFile);

describe('Schemathesis against the mock', () => {
  it('finds no failure with all checks in all phases (seed 1, 25 examples per operation)', { timeout: 180_000 }, async (context) => {
    const { bin } = toolchain('python', context);
    const dir = tempDir('apikeys-schemathesis-');
    const specFile = join(dir, 'apikeys.full.yaml');
    writeFileSync(specFile, (await run(process.execPath, ['mock/bin.js', '--print-spec'], { cwd: ROOT, encoding: 'utf8' })).stdout);
    const mock = await startMock();
    context.onTestFinished(() => mock.close());
    const ownKey = mock.store.allKeys().find((key) => key.userId === USERS.alice)!;
    const excusedLog = join(dir, 'excused.jsonl');
    // Asynchronously: the mock answers from this very process.
    const result = await run(
      join(bin, 'st'),
      [
        'run',
        specFile,
        '--url',
        mock.url,
        '-H',
        `x-api-key: ${mock.devKeys.alice}`,
        '--checks',
        'all',
        '--phases',
        'examples,coverage,fuzzing,stateful',
        '--mode',
        'all',
        '--max-examples',
        '25',
        '--seed',
        '1',
        '--workers',
        '1',
        '--generation-database',
        'none',
        '--no-color',
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 150_000,
        env: { ...process.env, SCHEMATHESIS_HOOKS: HOOKS, APIKEYS_ST_EXCUSED: excusedLog, APIKEYS_ST_OWN_KEY_ID: ownKey.apiKeyId },
      },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, text: `${stdout}${stderr}` }),
      (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, text: `${error.stdout}${error.stderr}` }),
    );
    const text = result.text;
    expect(result.code, text).toBe(0);
    for (const phase of ['Examples', 'Coverage', 'Fuzzing', 'Stateful']) expect(text, text).toMatch(new RegExp(`✅ ${phase}\\b`));
    const [, generated, passed] = /(\d+) generated, (\d+) passed/.exec(text) ?? [];
    expect(Number(generated), text).toBeGreaterThan(500);
    expect(passed).toBe(generated);
    // The stateful phase followed the spec's links (create → update/delete) with a live key.
    expect(Number(/API Links:\s+(\d+) covered/.exec(text)?.[1]), text).toBeGreaterThan(0);
    expect(text).not.toMatch(/Authentication failed/);
    const excused = existsSync(excusedLog)
      ? readFileSync(excusedLog, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { rule: string; status: number })
      : [];
    for (const entry of excused) expect(EXCUSABLE, JSON.stringify(entry)).toContain(entry.rule);
    // The hooks are live: the coverage phase always sends expiresAt at its minimum, 0, a past instant.
    expect(new Set(excused.map((entry) => entry.rule)).size).toBeGreaterThan(0);
  });
});
