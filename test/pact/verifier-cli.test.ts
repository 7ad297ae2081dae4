import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { startMock } from '../../mock/start-mock.ts';
import { DEFAULT_PACT_DIR, PACT_CONSUMER, PACT_PROVIDER, PROVIDER_STATES } from '../../contracts/pact/pact-names.ts';
import { runVerifierCli } from './support/run-verifier-cli.ts';
import { freePort } from '../support/free-port.ts';

// Nothing listens here, and none of these runs gets as far as a request.
const NOWHERE = 'http://127.0.0.1:9';
const FAKE_KEY = 'gm_aaaaaaaaaaaaaaaaaaaaaaaaaa';
const dir = mkdtempSync(join(tmpdir(), 'apikeys-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.concurrent('apikeys-pact-verify usage', () => {
  it('refuses to run without --api-key, naming the option', async ({ expect }) => {
    const run = await runVerifierCli(['--provider-base-url', NOWHERE]);
    expect(run.stderr).toContain("required option '--api-key <key>' not specified");
    expect(run.code).toBe(1);
  });

  it('refuses a provider base URL that is not an http URL', async ({ expect }) => {
    const run = await runVerifierCli(['--provider-base-url', 'localhost:8080', '--api-key', FAKE_KEY]);
    expect(run.stderr).toContain('--provider-base-url <url>');
    expect(run.stderr).toContain('must be an http or https URL');
    expect(run.code).toBe(1);
  });

  it('stops before any request when the pacts need keys it was not given', async ({ expect }) => {
    const run = await runVerifierCli(['--provider-base-url', NOWHERE, '--api-key', FAKE_KEY]);
    expect(run.output).toContain(
      'could not verify: the pacts need --other-api-key and --restricted-api-key (or --admin-token, to create such users on the mock)',
    );
    expect(run.code).toBe(1);
  });

  it('stops at once, naming the cause, when the provider cannot be reached', async ({ expect }) => {
    const closedPort = await freePort();
    const url = `http://127.0.0.1:${closedPort}`;
    const run = await runVerifierCli(['--provider-base-url', url, '--api-key', FAKE_KEY, '--admin-token', 'not-needed-here']);
    expect(run.output).toMatch(new RegExp(`could not verify: cannot reach the provider at ${url}: fetch failed \\(ECONNREFUSED\\)`));
    expect(run.code).toBe(1);
  });

  it('stops at once when the provider does not accept the API key', async ({ expect }) => {
    const mock = await startMock();
    try {
      const run = await runVerifierCli(['--provider-base-url', mock.url, '--api-key', FAKE_KEY, '--admin-token', mock.adminToken]);
      expect(run.output).toContain('could not verify: the provider does not accept --api-key (GET /v1/apikeys answered 401)');
      expect(run.code).toBe(1);
    } finally {
      await mock.close();
    }
  });

  it('names a pact path that does not exist', async ({ expect }) => {
    const run = await runVerifierCli(['--provider-base-url', NOWHERE, '--api-key', FAKE_KEY, '--pact', 'no/such/pacts'], { cwd: dir });
    expect(run.output).toContain(`could not verify: no such pact file or folder: ${join(dir, 'no/such/pacts')}`);
    expect(run.code).toBe(1);
  });

  it('refuses a pact whose provider state it has no handler for, listing the ones it knows', async ({ expect }) => {
    const committed = readFileSync(join(DEFAULT_PACT_DIR, `${PACT_CONSUMER}-${PACT_PROVIDER}.json`), 'utf8');
    const file = join(dir, 'renamed-state.json');
    writeFileSync(file, committed.replaceAll(`"${PROVIDER_STATES.keyDeleted}"`, '"a key was deleted yesterday"'));
    const run = await runVerifierCli(['--provider-base-url', NOWHERE, '--api-key', FAKE_KEY, '--pact', file]);
    expect(run.output).toContain(
      'could not verify: no handler for provider state "a key was deleted yesterday"; this verifier knows "an API key exists"',
    );
    expect(run.code).toBe(1);
  });
});
