import { describe, expect, it } from 'vitest';
import { runConformance } from '../../contracts/conformance/run-conformance.ts';
import { allCredentials } from './support/all-credentials.ts';
import { startVariantServer, type BrokenVariant } from './support/variant-server.ts';
import { brokenVariants } from './support/broken-variants.ts';

/** Without --mock unless the variant needs it: a departure from the contract is caught against any server. */
async function runAgainst(variant: BrokenVariant) {
  const server = await startVariantServer(variant);
  const credentials = allCredentials(server.mock, server.url);
  try {
    return await runConformance({
      ...credentials,
      mock: variant.mock === true,
      adminToken: variant.mock ? credentials.adminToken : undefined,
      timers: server.timers,
    });
  } finally {
    await server.close();
  }
}

const failedIds = (report: Awaited<ReturnType<typeof runAgainst>>) => report.results.filter((r) => r.status === 'failed').map((r) => r.id);

describe('the suite catches a server that breaks one rule', () => {
  it('passes the same proxy when it rewrites nothing, so the proxy itself breaks no rule', async () => {
    const report = await runAgainst({ breaks: 'nothing', caughtBy: '', mock: true });
    expect(failedIds(report)).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('has at least 34 variants, named by at least 25 different checks', () => {
    const checks = new Set(Object.values(brokenVariants).map((v) => v.caughtBy));
    expect(Object.keys(brokenVariants).length).toBeGreaterThanOrEqual(34);
    expect(checks.size).toBeGreaterThanOrEqual(25);
  });

  for (const [name, variant] of Object.entries(brokenVariants)) {
    it(`fails a server with "${name}" (${variant.breaks}) and names ${variant.caughtBy}`, async () => {
      const report = await runAgainst(variant);
      expect(report.ok).toBe(false);
      expect(failedIds(report)).toContain(variant.caughtBy);
      const result = report.results.find((r) => r.id === variant.caughtBy)!;
      // A failure says what was expected and what came back.
      expect(result.message).toMatch(/expected .+; got /s);
      // Whatever broke, the suite still cleans up after itself.
      expect(report.cleanup.leaked).toEqual([]);
    });
  }
});
