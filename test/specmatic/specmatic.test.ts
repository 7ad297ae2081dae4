import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { startMock } from '../../mock/start-mock.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { toolchain } from '../toolchains/toolchain.ts';
import { KNOWN_FAILURES, knownKind, readSpecmaticRun } from './specmatic-run.ts';
import { freePort } from '../support/free-port.ts';

// Specmatic (npm `specmatic`, a jar run on the machine's Java) loads openapi.yaml as users
// would: its `stub` command serves the spec's named examples, its `test` command generates
// requests from the spec and runs them against the mock. Its tests are stateless, so a
// correct stateful server fails some of them; every failure must be one of KNOWN_FAILURES.
// SPECMATIC_DISABLE_TELEMETRY keeps it from sending usage reports (the jar's license module
// otherwise looks up its reporting host); it needs no network and no license file.
const SPEC = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
const JAR = join(dirname(createRequire(import.meta.url).resolve('specmatic/package.json')), 'specmatic.jar');
const spec = loadSpec({ layer: 'contract' });
const LOAD_ERRORS = /Invalid regex|Error loading example|Test Suite has FAILED|Exception in thread/i;

const env = (extra: Record<string, string> = {}) => ({ ...process.env, SPECMATIC_DISABLE_TELEMETRY: 'true', ...extra });

/** The spec's named example `name` of the create's request body, 201 body and `Location` header. */
function createExamples(name: string) {
  const post = (spec.document.paths as Record<string, Record<string, any>>)['/v1/apikeys']!.post;
  const created = post.responses['201'];
  return {
    request: post.requestBody.content['application/json'].examples[name].value as unknown,
    body: created.content['application/json'].examples[name].value as unknown,
    location: created.headers.Location.examples[name].value as string,
  };
}

describe('Specmatic loads openapi.yaml', () => {
  it('stub: serves the named example `created` with its Location header, and the list example', { timeout: 120_000 }, async (context) => {
    toolchain('java', context);
    const port = await freePort();
    const stub = spawn('java', ['-jar', JAR, 'stub', SPEC, '--host=127.0.0.1', `--port=${port}`], { cwd: tempDir(), env: env() });
    context.onTestFinished(async () => {
      if (stub.exitCode === null && stub.signalCode === null) {
        stub.kill();
        await once(stub, 'exit');
      }
    });
    let output = '';
    stub.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    stub.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const check = () => (/server is running on/i.test(output) ? resolve() : undefined);
      stub.stdout.on('data', check);
      stub.on('exit', (code) => reject(new Error(`specmatic stub exited (${code}) before it served:\n${output}`)));
    });
    expect(output).not.toMatch(LOAD_ERRORS);

    const url = `http://127.0.0.1:${port}/v1/apikeys`;
    const headers = { 'x-api-key': 'gm_mfwgsy3ffvsgk5rnnnsxsljqge', 'content-type': 'application/json' };
    const example = createExamples('created');
    const created = await fetch(url, { method: 'POST', headers, body: JSON.stringify(example.request) });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(example.location);
    expect(await created.json()).toEqual(example.body);

    const listed = await fetch(url, { headers });
    expect(listed.status).toBe(200);
    const list = spec.operations.find((op) => op.operationId === 'listApiKeys')!.responses.get(200)!;
    expect(Object.values(list.examples)).toContainEqual(await listed.json());
  });

  it('test: runs its generated tests against the mock; every failure is one of the known kinds', { timeout: 240_000 }, async (context) => {
    toolchain('java', context);
    const mock = await startMock();
    context.onTestFinished(() => mock.close());
    const key = mock.devKeys.alice;
    // Asynchronously: the mock answers from this very process. Exit code 1 means "some tests failed".
    const { text } = await promisify(execFile)('java', ['-jar', JAR, 'test', SPEC, `--testBaseURL=${mock.url}`], {
      cwd: tempDir(),
      // Specmatic reads a security scheme's credential from the variable named after it.
      env: env({ ApiKeyAuth: key, BearerAuth: key }),
      encoding: 'utf8',
      timeout: 200_000,
      maxBuffer: 64 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ text: `${stdout}${stderr}` }),
      (error: { stdout?: string; stderr?: string }) => ({ text: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
    );
    expect(text, text.slice(0, 4000)).not.toMatch(LOAD_ERRORS);
    const run = readSpecmaticRun(text);
    expect(run.testsRun, text.slice(-3000)).toBeGreaterThan(20);
    expect(run.successes).toBeGreaterThan(0);
    expect(run.successes + run.failures).toBe(run.testsRun);
    // One logged exchange per test, and each failed test is one whose status differs.
    expect(run.exchanges).toBe(run.testsRun);
    expect(run.failed).toHaveLength(run.failures);
    // It generated tests for every operation of the spec.
    for (const op of spec.operations)
      expect(text).toContain(`Scenario: ${op.method.toUpperCase()} ${op.path.replace('{id}', '(id:UuidInput)')} ->`);
    const unknown = run.failed.filter((failure) => knownKind(failure) === undefined);
    expect(unknown, `known kinds: ${KNOWN_FAILURES.map((k) => `${k.kind} (${k.why})`).join('; ')}`).toEqual([]);
  });
});
