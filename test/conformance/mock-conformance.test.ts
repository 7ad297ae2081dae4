import { afterEach, describe, expect, it } from 'vitest';
import { planConformance, runConformance } from '../../contracts/conformance/run-conformance.ts';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';
import { allCredentials } from './support/all-credentials.ts';

// Every behavioural "mock's choice" of contracts/CONTRACT.md turned the other legal way: a correct server that is not the mock.
const OTHER_LEGAL_WAY = {
  unknownFields: 'ignored',
  listOrder: 'newest-first',
  foreignKeyStatus: 404,
  noopUpdate: 'moves-updated-at',
  deletedIds: 'reserved',
} as const;
// Label bounds come from openapi.yaml's x-mock-choice blocks, which the mock keeps whatever its choices.
const SCHEMA_CHOICE_IDS = ['createApiKey/label_bounds_rejected', 'updateApiKey/label_bounds_rejected'];

const mockChoiceIds = planConformance()
  .filter((p) => p.family === 'mock-choice')
  .map((p) => p.id)
  .sort();

let mock: RunningMock | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('the conformance suite against the mock', () => {
  it('passes the mock with all four credentials and --mock, exercising every documented (operation, status) pair, 409 included', async () => {
    mock = await startMock();
    const report = await runConformance(allCredentials(mock));
    expect(report.results.filter((r) => r.status !== 'passed')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.coverage.gaps).toEqual([]);
    expect(report.coverage.covered).toBe(report.coverage.total);
    expect(report.coverage.rows.find((r) => r.operation === 'createApiKey')?.documented[409]).toBeGreaterThan(0);
  });

  it('passes the mock without --mock too, every documented pair still exercised', async () => {
    mock = await startMock();
    const report = await runConformance({ ...allCredentials(mock), mock: false, adminToken: undefined });
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.coverage.gaps).toEqual([]);
  });

  it("passes a correct server that is not the mock (every mock's choice flipped) when run without --mock", async () => {
    mock = await startMock({ choices: OTHER_LEGAL_WAY });
    const report = await runConformance({ ...allCredentials(mock), mock: false, adminToken: undefined });
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(report.ok).toBe(true);
    const skipped = report.results.filter((r) => r.status === 'skipped');
    // Only the mock's choices and the expiry check (no clock control, no --slow) are left out.
    expect(skipped.map((r) => r.id).sort()).toEqual([...mockChoiceIds, 'createApiKey/expired_key_rejected'].sort());
    expect(skipped.find((r) => r.family === 'mock-choice')?.message).toMatch(/only with --mock/);
  });

  it("fails exactly the mock's-choice checks when that server is run with --mock", async () => {
    mock = await startMock({ choices: OTHER_LEGAL_WAY });
    const report = await runConformance(allCredentials(mock));
    const failed = report.results.filter((r) => r.status === 'failed').map((r) => r.id);
    expect(failed.sort()).toEqual(mockChoiceIds.filter((id) => !SCHEMA_CHOICE_IDS.includes(id)));
    expect(report.ok).toBe(false);
  });

  it('reports checks whose credential is missing as skipped (never passed) and marks the pairs it never exercised', async () => {
    mock = await startMock();
    const report = await runConformance({ baseUrl: mock.url, apiKey: mock.devKeys.alice });
    expect(report.ok).toBe(true);
    const restricted = report.results.filter((r) => r.check === 'restricted_key_forbidden');
    expect(restricted.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    expect(restricted[0]!.message).toMatch(/--restricted-api-key/);
    expect(report.results.find((r) => r.check === 'admin_updates_any_key')).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/--admin-api-key/),
    });
    expect(report.results.find((r) => r.check === 'other_user_cannot_update_key')).toMatchObject({
      status: 'skipped',
      message: expect.stringMatching(/--other-api-key/),
    });
    expect(report.coverage.gaps).toEqual(
      expect.arrayContaining([
        { operation: 'listApiKeys', status: 403 },
        { operation: 'createApiKey', status: 403 },
      ]),
    );
  });

  it("tests expiry by waiting with --slow when it cannot move the server's clock", async () => {
    mock = await startMock();
    const clock = mock.clock;
    // The suite's waits advance the mock's clock: the real-time path, without real time.
    const timers = { now: () => clock.now(), sleep: async (ms: number) => clock.advance(ms) };
    const report = await runConformance({ baseUrl: mock.url, apiKey: mock.devKeys.alice, slow: true, timers });
    expect(report.results.find((r) => r.id === 'createApiKey/expired_key_rejected')).toMatchObject({ status: 'passed' });
  });

  it('stops at a misused option with an error that names it', async () => {
    await expect(runConformance({ baseUrl: 'localhost:8080', apiKey: 'gm_x' })).rejects.toThrow(/options\.baseUrl/);
    await expect(runConformance({ baseUrl: 'http://127.0.0.1:9', apiKey: '' })).rejects.toThrow(/options\.apiKey/);
    await expect(runConformance({ baseUrl: 'http://127.0.0.1:9', apiKey: 'gm_a', otherApiKey: 'gm_a' })).rejects.toThrow(/different key/);
  });
});
