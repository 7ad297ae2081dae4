import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';

const README = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The fenced sh block that follows a README heading. */
function shBlockAfter(heading: string): string {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(`## ${heading}`);
  expect(start, `README has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(start));
  expect(block, `a sh block under "${heading}"`).not.toBeNull();
  return block![1]!;
}

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ adminToken: 'readme-test-token' });
});
afterAll(async () => {
  await mock.close();
});

// The README's examples are run as written, only pointed at this test's port
// (asynchronously: the mock answers from this very process).
const run = async (script: string) =>
  (
    await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script.replaceAll('http://localhost:8080', mock.url)], {
      encoding: 'utf8',
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    })
  ).stdout;

describe('the README examples', () => {
  it('curl examples for all four operations work as written against the mock', async () => {
    const out = await run(shBlockAfter('Using the mock with curl'));
    expect(out).toMatch(/HTTP\/1\.1 201 Created[\s\S]*location: \/v1\/apikeys\//i);
    expect(out).toMatch(/"keys":\[/);
    expect(out).toMatch(/"status":"INACTIVE","labels":\{"team":"sdk"\}/);
    expect(out).toMatch(/HTTP\/1\.1 204 No Content/);
    expect(out).toMatch(/\{"error":"API key [0-9a-f-]{36} not found"\}/);
  });

  it('control-plane examples work with the printed token', async () => {
    const out = await run(shBlockAfter('Control plane').replace(/^TOKEN=.*$/m, `TOKEN=${mock.adminToken}`));
    expect(out).toMatch(/"offsetMs":86400000/);
    expect(out).toMatch(/"operationId":"listApiKeys","status":403/);
  });
});
