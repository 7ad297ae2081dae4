import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { DEFAULT_PACT_DIR, PACT_CONSUMER, PACT_PROVIDER } from '../../contracts/pact/pact-names.ts';
import { startMock } from '../../mock/start-mock.ts';
import { allKeyIds } from './support/count-keys.ts';
import { runVerifierCli } from './support/run-verifier-cli.ts';

const PACT_FILE = join(DEFAULT_PACT_DIR, `${PACT_CONSUMER}-${PACT_PROVIDER}.json`);
const interactionCount = (JSON.parse(readFileSync(PACT_FILE, 'utf8')) as { interactions: unknown[] }).interactions.length;

// Each test has its own mock, so the two run side by side.
describe.concurrent('apikeys-pact-verify against a freshly started mock', () => {
  it('verifies every committed interaction, with users made through the control plane, and deletes every key it made', async ({
    expect,
  }) => {
    const mock = await startMock();
    try {
      const before = await allKeyIds(mock.url, mock.devKeys.admin);

      const run = await runVerifierCli([
        '--provider-base-url',
        mock.url,
        '--api-key',
        mock.devKeys.alice,
        '--admin-token',
        mock.adminToken,
      ]);

      expect(run.output).toContain(`${interactionCount} interactions, ${interactionCount} passed, 0 failed`);
      expect(run.output).toMatch(/PASSED \(pacts\/apikeys-sdk-apikeys-api\.json\)/);
      expect(run.output).toMatch(/cleanup: (\d+) of \1 keys made during verification deleted/);
      expect(run.code).toBe(0);
      expect(await allKeyIds(mock.url, mock.devKeys.admin)).toEqual(before);
    } finally {
      await mock.close();
    }
  });

  it('verifies with plain keys from the environment and no control plane, as against a real server', async ({ expect }) => {
    const mock = await startMock({ controlPlane: false });
    // A user's own copy of the pacts, named relative to the cwd.
    const dir = mkdtempSync(join(tmpdir(), 'apikeys-verify-'));
    try {
      const before = await allKeyIds(mock.url, mock.devKeys.admin);
      mkdirSync(join(dir, 'contracts'));
      copyFileSync(PACT_FILE, join(dir, 'contracts', 'sdk.json'));

      const run = await runVerifierCli(['--pact', 'contracts/sdk.json'], {
        cwd: dir,
        env: {
          APIKEYS_PACT_PROVIDER_BASE_URL: mock.url,
          APIKEYS_PACT_API_KEY: mock.devKeys.alice,
          APIKEYS_PACT_OTHER_API_KEY: mock.devKeys.bob,
          APIKEYS_PACT_RESTRICTED_API_KEY: mock.devKeys.nobody,
        },
      });

      expect(run.output).toContain('PASSED (contracts/sdk.json)');
      expect(run.output).toContain(`${interactionCount} passed, 0 failed`);
      expect(run.code).toBe(0);
      expect(await allKeyIds(mock.url, mock.devKeys.admin)).toEqual(before);
    } finally {
      await mock.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
