import { describe, expect, it } from 'vitest';
import type { ConformanceOptions } from '../../contracts/conformance/conformance-options.ts';
import { runConformance } from '../../contracts/conformance/run-conformance.ts';
import { allCredentials } from './support/all-credentials.ts';
import { legalVariants } from './support/legal-variants.ts';
import { startVariantServer, type LegalVariant } from './support/variant-server.ts';

/** The suite without --mock, as against any deployment; waits run on the variant's virtual clock. */
async function runAgainst(variant: LegalVariant, options: Partial<ConformanceOptions> = {}) {
  const server = await startVariantServer(variant);
  try {
    return await runConformance({
      ...allCredentials(server.mock, server.url),
      mock: false,
      adminToken: undefined,
      timers: server.timers,
      ...options,
    });
  } finally {
    await server.close();
  }
}

describe('the suite raises no false alarm on a correct server that is not the mock', () => {
  it('has at least 8 legal variants', () => {
    expect(Object.keys(legalVariants).length).toBeGreaterThanOrEqual(8);
  });

  for (const [name, variant] of Object.entries(legalVariants)) {
    it(`passes a server that ${variant.differs} ("${name}")`, async () => {
      const report = await runAgainst(variant);
      expect(report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
      expect(report.ok).toBe(true);
      // Passing means the checks ran: only the mock's choices and expiry (no clock, no --slow) may skip.
      const skipped = report.results.filter((r) => r.status === 'skipped');
      expect(skipped.filter((r) => r.family !== 'mock-choice' && r.check !== 'expired_key_rejected')).toEqual([]);
      expect(report.cleanup.leaked).toEqual([]);
    });
  }

  it('fails the late server when told to wait less than its delay, so the variant really is late', async () => {
    const report = await runAgainst(legalVariants['late lastUsedAt']!, { backgroundTimeoutMs: 200, pollIntervalMs: 100 });
    expect(report.results.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['listApiKeys/last_used_at_recorded']);
  });
});
