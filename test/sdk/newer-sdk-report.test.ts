import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { startMock } from '../../mock/start-mock.ts';
import { toolchain } from '../toolchains/toolchain.ts';

// The measured report of GoodMem's newer Python SDK (`goodmem`, pinned in
// test/toolchains/requirements.txt) against the mock: python/newer_sdk_report.py makes each of
// its API-key calls; docs/sdks.md "GoodMem's newer Python SDK" lists them, one line per call,
// between the two markers below. The test fails when the page and the measurement differ, so
// the list always says what this mock really answers that SDK.
const PAGE = fileURLToPath(new URL('../../docs/sdks.md', import.meta.url));
const SCRIPT_DIR = fileURLToPath(new URL('./python/', import.meta.url));
const START = '<!-- newer-sdk-report:start -->';
const END = '<!-- newer-sdk-report:end -->';

interface CallReport {
  call: string;
  requests: string[];
  outcome: string;
}

describe("GoodMem's newer Python SDK (goodmem) against the mock", () => {
  it('answers each API-key call as docs/sdks.md lists it', { timeout: 60_000 }, async (context) => {
    const { python } = toolchain('python', context);
    const mock = await startMock();
    context.onTestFinished(() => mock.close());
    // Asynchronously: the mock answers from this very process.
    const { stdout } = await promisify(execFile)(python, ['newer_sdk_report.py'], {
      cwd: SCRIPT_DIR,
      encoding: 'utf8',
      timeout: 45_000,
      env: { ...process.env, APIKEYS_URL: mock.url, APIKEYS_DEV_KEYS: JSON.stringify(mock.devKeys), PYTHONDONTWRITEBYTECODE: '1' },
    });
    const measured = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as CallReport)
      .map(({ call, requests, outcome }) => `- \`${call}\`: ${requests.join(', ').replaceAll('->', '→')}; ${outcome}`);
    const text = readFileSync(PAGE, 'utf8');
    const start = text.indexOf(START);
    const end = text.indexOf(END);
    expect(start, `docs/sdks.md has ${START}`).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const listed = text
      .slice(start + START.length, end)
      .trim()
      .split('\n');
    expect(listed).toEqual(measured);
  });
});
