import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { surefireResults, writeJunitProject } from '../toolchains/junit-project.ts';
import { toolchain } from '../toolchains/toolchain.ts';

// The README's Java (JUnit 5) and Python (pytest) fixtures, run exactly as printed, with the
// real frameworks (Maven Central, PyPI; test/toolchains/), each starting this clone's mock
// through `APIKEYS_MOCK_BIN` as the README tells users to.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECTION = 'The mock in .NET, Java and Python tests';
const env = { ...process.env, APIKEYS_MOCK_BIN: join(ROOT, 'mock', 'bin.js') };
const run = promisify(execFile);

/** Every fenced block of `language` in the README section `heading`, in order. */
function blocksIn(heading: string, language: string): string[] {
  const text = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  const section = text.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => m[1]!);
}

/** Runs a command; resolves with its output whatever the exit code, so a failure shows what the framework printed. */
async function output(command: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
    return { code: 0, text: `${stdout}${stderr}` };
  } catch (error) {
    const { code, stdout, stderr } = error as { code?: number; stdout?: string; stderr?: string };
    return { code: code ?? -1, text: `${stdout ?? ''}${stderr ?? ''}` };
  }
}

describe("the README's test fixtures run as printed", () => {
  it('Java: the JUnit 5 extension and its example test pass under Maven (surefire)', { timeout: 180_000 }, async (context) => {
    const { repository } = toolchain('java', context);
    const blocks = blocksIn(SECTION, 'java');
    expect(blocks).toHaveLength(2);
    const sources = blocks.map((source): [string, string] => [`${/^(?:public )?(?:final )?class (\w+)/m.exec(source)![1]}.java`, source]);
    expect(sources.map(([name]) => name)).toEqual(['ApiKeysMockExtension.java', 'ApiKeysTest.java']);
    const dir = tempDir();
    writeJunitProject(dir, sources);
    const result = await output('mvn', ['-B', '-q', '-o', `-Dmaven.repo.local=${repository}`, 'test'], dir);
    expect(result.code, result.text).toBe(0);
    expect(surefireResults(dir)).toEqual([{ name: 'ApiKeysTest', tests: 1, failures: 0, errors: 0, skipped: 0 }]);
  });

  it('Python: the pytest conftest.py and its example test pass', { timeout: 120_000 }, async (context) => {
    const { python } = toolchain('python', context);
    const blocks = blocksIn(SECTION, 'python');
    expect(blocks).toHaveLength(2);
    const dir = tempDir();
    writeFileSync(join(dir, 'conftest.py'), blocks[0]!);
    writeFileSync(join(dir, 'test_apikeys.py'), blocks[1]!);
    const result = await output(python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--junitxml', join(dir, 'junit.xml')], dir);
    expect(result.code, result.text).toBe(0);
    const suite = /<testsuite\b[^>]*>/.exec(readFileSync(join(dir, 'junit.xml'), 'utf8'))![0];
    expect(suite).toMatch(/\stests="1"/);
    expect(suite).toMatch(/\sfailures="0"/);
    expect(suite).toMatch(/\serrors="0"/);
    expect(suite).toMatch(/\sskipped="0"/);
  });
});
