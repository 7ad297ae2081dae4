import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHOICE_NAMES, DEFAULT_CHOICES, SERVER_CHOICES } from '../../contracts/common/server-choices.ts';
import { profileChoices } from '../../contracts/common/server-profile.ts';
import { profileText } from '../../contracts/conformance/build-profile.ts';
import type { ConformanceOptions } from '../../contracts/conformance/conformance-options.ts';
import { runConformance } from '../../contracts/conformance/run-conformance.ts';
import { startMock } from '../../mock/start-mock.ts';
import { allCredentials } from './support/all-credentials.ts';
import { legalVariants } from './support/legal-variants.ts';
import { mockClockTimers } from './support/other-way.ts';
import { observedValues, validateProfile } from './support/profile-values.ts';
import { startVariantServer, type LegalVariant } from './support/variant-server.ts';

/**
 * The suite without --mock, as against any deployment, learning the server's profile
 * (--profile-out: every contract check plus the informational probes, which must never fail
 * a server either); waits run on the variant's virtual clock.
 */
async function runAgainst(variant: LegalVariant, options: Partial<ConformanceOptions> = {}) {
  const server = await startVariantServer(variant);
  try {
    return await runConformance({
      ...allCredentials(server.mock, server.url),
      mock: false,
      adminToken: undefined,
      profiling: true,
      timers: server.timers,
      ...options,
    });
  } finally {
    await server.close();
  }
}

const work = mkdtempSync(join(tmpdir(), 'legal-servers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const failures = (report: Awaited<ReturnType<typeof runConformance>>) =>
  report.results.filter((r) => r.status === 'failed').map((r) => `${r.id}: ${r.message}`);
/** Only the mock's schema choices (label bounds) and expiry (no clock control, no --slow) may skip. */
const unexpectedSkips = (report: Awaited<ReturnType<typeof runConformance>>) =>
  report.results.filter((r) => r.status === 'skipped' && r.check !== 'label_bounds_rejected' && r.check !== 'expired_key_rejected');

describe('the suite raises no false alarm on a correct server that is not the mock, and learns its profile', () => {
  it("has a legal server for every value of every choice other than the mock's", () => {
    const shown = Object.values(legalVariants).map((v) => v.shows);
    const missing = CHOICE_NAMES.flatMap((name) => {
      const row = SERVER_CHOICES[name];
      const others: unknown[] = row.kind === 'enum' ? row.values.filter((v) => v !== row.default) : ['any other length'];
      return others
        .filter((value) =>
          row.kind === 'enum'
            ? !shown.some((s) => s[name] === value)
            : !shown.some((s) => s[name] !== undefined && s[name] !== DEFAULT_CHOICES[name]),
        )
        .map((value) => `${name}=${String(value)}`);
    });
    expect(missing).toEqual([]);
    expect(Object.keys(legalVariants).length).toBeGreaterThanOrEqual(20);
  });

  for (const [name, variant] of Object.entries(legalVariants)) {
    it(`passes a server that ${variant.differs} ("${name}"), records what it shows in a profile that reads back equal, and a mock started with that profile shows it and passes --mock --profile`, async () => {
      const report = await runAgainst(variant);
      expect(failures(report)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(unexpectedSkips(report)).toEqual([]);
      expect(report.cleanup.leaked).toEqual([]);

      // The profile: every choice observed, the variant's own the other way, the rest as the mock's.
      const expected = { ...DEFAULT_CHOICES, ...variant.shows };
      expect(observedValues(report.profile)).toEqual(expected);
      const file = join(work, `${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(file, profileText(report.profile));
      const text = readFileSync(file, 'utf8');
      expect(JSON.parse(text)).toEqual(report.profile);
      expect(validateProfile(JSON.parse(text)), JSON.stringify(validateProfile.errors)).toBe(true);
      expect(profileChoices(text, file)).toEqual(expected);

      // A mock started with the profile file (createMock({ profile })) takes every value of it, and is
      // held to it: the --mock --profile run passes, every check runs, and its probes see the profile again.
      // Its waits move the mock's clock, so a use recorded in the background shows without real time.
      const mock = await startMock({ profile: file });
      try {
        expect(mock.choices).toEqual(expected);
        const again = await runConformance({ ...allCredentials(mock), choices: profileChoices(text, file), timers: mockClockTimers(mock) });
        expect(failures(again)).toEqual([]);
        expect(again.results.filter((r) => r.status === 'skipped').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
        expect(observedValues(again.profile)).toEqual(expected);
      } finally {
        await mock.close();
      }
    });
  }

  it('fails the late server when told to wait less than its delay, so the variant really is late', async () => {
    const report = await runAgainst(legalVariants['late lastUsedAt']!, { backgroundTimeoutMs: 200, pollIntervalMs: 100, profiling: false });
    expect(report.results.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['listApiKeys/last_used_at_recorded']);
  });
});
