import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { surefireResults, writeJunitProject } from '../toolchains/junit-project.ts';
import { toolchain } from '../toolchains/toolchain.ts';
import { docSection, fencedBlocks, REPO } from './doc-section.ts';

// The Java (JUnit 5) and Python (pytest) fixtures of docs/fixtures.md, run exactly as printed,
// with the real frameworks (Maven Central, PyPI; test/toolchains/), each starting this clone's
// mock through `APIKEYS_MOCK_BIN` as the page tells users to.
const FIXTURES = 'docs/fixtures.md';
const SECTION = 'The fixtures';
const env = { ...process.env, APIKEYS_MOCK_BIN: join(REPO, 'mock', 'bin.js') };
const run = promisify(execFile);

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

describe('the test fixtures of docs/fixtures.md run as printed', () => {
  it('Java: the JUnit 5 extension and its example test pass under Maven (surefire)', { timeout: 180_000 }, async (context) => {
    const { repository } = toolchain('java', context);
    const blocks = fencedBlocks(docSection(FIXTURES, SECTION), 'java');
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
    const blocks = fencedBlocks(docSection(FIXTURES, SECTION), 'python');
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

  it("README's pytest example is the fixtures page's test file, word for word", () => {
    const [readmeExample] = fencedBlocks(docSection('README.md', 'In a .NET, Java or Python test suite'), 'python');
    expect(readmeExample, 'a python block in the README section').toBeDefined();
    expect(readmeExample).toBe(fencedBlocks(docSection(FIXTURES, SECTION), 'python')[1]);
  });
});
