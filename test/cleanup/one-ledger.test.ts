import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CleanupLedger } from '../../contracts/cleanup/cleanup-ledger.ts';
import { runConformance } from '../../contracts/conformance/run-conformance.ts';
import { startMock } from '../../mock/start-mock.ts';
import { allCredentials, keySnapshot } from '../conformance/support/all-credentials.ts';
import { brokenVariants } from '../conformance/support/broken-variants.ts';
import { startVariantServer } from '../conformance/support/variant-server.ts';
import { startBrokenProvider } from '../pact/support/start-broken-provider.ts';
import { observingFetch } from './support/observing-fetch.ts';
import type { ObservedVerification } from './support/observed-verification.ts';

const OBSERVED_VERIFICATION = fileURLToPath(new URL('./support/observed-verification.ts', import.meta.url));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the suite and the Pact verifier share one cleanup ledger', () => {
  it('the conformance suite records every key it made in it and deletes them all, also when checks fail', async () => {
    const server = await startVariantServer(brokenVariants['rejected request changes state']!);
    try {
      const created = vi.spyOn(CleanupLedger.prototype, 'recordCreated');
      const observed = observingFetch();
      const before = keySnapshot(server.mock);

      const report = await runConformance({ ...allCredentials(server.mock, server.url), fetch: observed.fetch });

      const recorded = new Set(created.mock.calls.map(([apiKeyId]) => apiKeyId));
      expect(report.results.filter((r) => r.status === 'failed').map((r) => r.id)).toContain('createApiKey/past_expiry_rejected');
      expect(observed.made.size).toBeGreaterThan(0);
      expect([...observed.made].filter((id) => !recorded.has(id))).toEqual([]);
      // More than the server admitted to: the keys it stored behind a 400 are in the ledger too.
      expect(recorded.size).toBeGreaterThan(observed.made.size);
      expect(report.cleanup).toEqual({ created: recorded.size, deleted: recorded.size, leaked: [] });
      expect(keySnapshot(server.mock)).toBe(before);
    } finally {
      await server.close();
    }
  });

  it('the Pact verifier records every key its states, replayed creates and made-up users made in it and deletes them all, also when interactions fail', async () => {
    const mock = await startMock();
    // Creates answer 200 instead of 201: those interactions fail, but the keys are real.
    const broken = await startBrokenProvider(mock.url, {
      spoil: (e) => {
        if (e.method === 'POST' && e.path === '/v1/apikeys' && e.status === 201) e.status = 200;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'one-ledger-'));
    try {
      const before = keySnapshot(mock);
      const out = join(dir, 'observed.json');

      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', OBSERVED_VERIFICATION, out, broken.url, mock.devKeys.alice, mock.adminToken],
        {
          env: { ...process.env, PACT_DO_NOT_TRACK: 'true' },
          timeout: 60_000,
        },
      );

      const { recorded, made, report } = JSON.parse(readFileSync(out, 'utf8')) as ObservedVerification;
      expect(report.ok).toBe(false);
      expect(report.failures.length).toBeGreaterThan(0);
      expect(report.error).toBeUndefined();
      // The verifier's own users (made through the control plane) are among the keys made.
      expect(made.length).toBeGreaterThan(2);
      expect(made.filter((id) => !recorded.includes(id))).toEqual([]);
      expect(report.cleanup).toEqual({ created: recorded.length, deleted: recorded.length, leaked: [] });
      expect(keySnapshot(mock)).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await broken.close();
      await mock.close();
    }
  });
});
