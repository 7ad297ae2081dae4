import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';
import { docSection, fencedBlocks, REPO } from './doc-section.ts';

/** The first fenced sh block of a documentation section. */
function shBlockIn(file: string, heading: string): string {
  const block = fencedBlocks(docSection(file, heading), 'sh')[0];
  expect(block, `a sh block under ${file} "${heading}"`).toBeDefined();
  return block!;
}

let mock: RunningMock;
beforeAll(async () => {
  mock = await startMock({ adminToken: 'readme-test-token' });
});
afterAll(async () => {
  await mock.close();
});

// The documented examples are run as written, only pointed at this test's port
// (asynchronously: the mock answers from this very process).
const run = async (script: string) =>
  (
    await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script.replaceAll('http://localhost:8080', mock.url)], {
      encoding: 'utf8',
      cwd: REPO,
    })
  ).stdout;

describe('the documented shell examples', () => {
  it('README "Using the mock with curl": all four operations work as written against the mock', async () => {
    const out = await run(shBlockIn('README.md', 'Using the mock with curl'));
    expect(out).toMatch(/HTTP\/1\.1 201 Created[\s\S]*location: \/v1\/apikeys\//i);
    expect(out).toMatch(/"keys":\[/);
    expect(out).toMatch(/"status":"INACTIVE","labels":\{"team":"sdk"\}/);
    expect(out).toMatch(/HTTP\/1\.1 204 No Content/);
    expect(out).toMatch(/\{"error":"API key [0-9a-f-]{36} not found"\}/);
  });

  it('docs/configuration.md "Control plane": the examples work with the printed token', async () => {
    const out = await run(shBlockIn('docs/configuration.md', 'Control plane').replace(/^TOKEN=.*$/m, `TOKEN=${mock.adminToken}`));
    expect(out).toMatch(/"offsetMs":86400000/);
    expect(out).toMatch(/"operationId":"listApiKeys","status":403/);
  });
});
