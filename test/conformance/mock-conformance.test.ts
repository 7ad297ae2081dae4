import { afterEach, describe, expect, it } from 'vitest';
import { planConformance, runConformance } from '../../contracts/conformance/run-conformance.ts';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';
import { DEFAULT_CHOICES } from '../../contracts/common/server-choices.ts';
import { allCredentials } from './support/all-credentials.ts';
import { mockClockTimers, OTHER_WAY } from './support/other-way.ts';
import { observedValues } from './support/profile-values.ts';

// Label bounds come from openapi.yaml's x-mock-choice blocks, which the mock keeps whatever its choices.
const SCHEMA_CHOICE_IDS = ['createApiKey/label_bounds_rejected', 'updateApiKey/label_bounds_rejected'];

const mockChoiceIds = planConformance()
  .filter((p) => p.family === 'mock-choice')
  .map((p) => p.id)
  .sort();
// A mock with every choice the other way (OTHER_WAY), judged with --mock by the defaults, fails
// every check of a choice, and the response checks wherever the full layer's x-mock-choice keywords
// spell a default out: the raw key and prefix lengths, the {"error"}-only body, the relative Location.
const failedByDefaults = [
  ...planConformance()
    .filter((p) => p.family === 'mock-choice' && p.observes.length > 0)
    .map((p) => p.id),
  ...['createApiKey', 'listApiKeys', 'updateApiKey', 'deleteApiKey'].map((op) => `${op}/response_schema_conformance`),
  'createApiKey/response_headers_conformance',
].sort();

let mock: RunningMock | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

describe('the conformance suite against the mock', () => {
  it('passes the mock with all four credentials and --mock, exercising every documented (operation, status) pair, 409 included', async () => {
    mock = await startMock();
    const report = await runConformance(allCredentials(mock));
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
    // Every check runs, the probe that sends a number as a string included (the mock reads it).
    expect(report.results.filter((r) => r.status === 'skipped').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(report.results.find((r) => r.id === 'createApiKey/numeric_strings')?.status).toBe('passed');
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

  it('passes a correct server that is not the mock (every legal choice flipped) when run without --mock', async () => {
    mock = await startMock({ choices: OTHER_WAY });
    const report = await runConformance({ ...allCredentials(mock), mock: false, adminToken: undefined, timers: mockClockTimers(mock) });
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(report.ok).toBe(true);
    const skipped = report.results.filter((r) => r.status === 'skipped');
    // Only the mock's choices and the expiry check (no clock control, no --slow) are left out; Bearer
    // is probed on every run and only told, never failed.
    expect(skipped.map((r) => r.id).sort()).toEqual(
      [...mockChoiceIds.filter((id) => id !== 'listApiKeys/bearer_key'), 'createApiKey/expired_key_rejected'].sort(),
    );
    expect(report.results.find((r) => r.id === 'listApiKeys/bearer_key')?.status).toBe('passed');
    expect(report.profile.choices.bearer).toMatchObject({ observed: true, value: OTHER_WAY.bearer });
    expect(skipped.find((r) => r.family === 'mock-choice')?.message).toMatch(/only with --mock/);
  });

  it("fails exactly the mock's-choice checks, and the full layer's x-mock-choice keywords, when that server is run with --mock", async () => {
    mock = await startMock({ choices: OTHER_WAY });
    const report = await runConformance({ ...allCredentials(mock), timers: mockClockTimers(mock) });
    const failed = report.results.filter((r) => r.status === 'failed').map((r) => r.id);
    expect(failedByDefaults.length).toBeGreaterThanOrEqual(20);
    expect(failed.sort()).toEqual(failedByDefaults);
    expect(failed.filter((id) => SCHEMA_CHOICE_IDS.includes(id))).toEqual([]);
    const listOrder = report.results.find((r) => r.id === 'listApiKeys/list_order')!;
    expect(listOrder.failure?.expected).toMatch(/listOrder "oldest-first" \(lists oldest first; the mock's default\)/);
    expect(report.ok).toBe(false);
  });

  it('holds that server to its own choices instead of the defaults (--mock --profile) and passes it, the full layer lifted exactly where they differ', async () => {
    mock = await startMock({ choices: OTHER_WAY });
    const report = await runConformance({ ...allCredentials(mock), choices: OTHER_WAY, timers: mockClockTimers(mock) });
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.results.filter((r) => r.status === 'skipped')).toEqual([]);
    expect(observedValues(report.profile)).toEqual(OTHER_WAY);
  });

  it("profiles the mock itself as the mock's values, every choice observed", async () => {
    mock = await startMock();
    const report = await runConformance({ ...allCredentials(mock), mock: false, adminToken: undefined, profiling: true });
    expect(report.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(observedValues(report.profile)).toEqual(DEFAULT_CHOICES);
    expect(report.profile).toMatchObject({ profileVersion: 1, server: mock.url });
    expect(report.profile.choices.listOrder).toEqual({ observed: true, value: 'oldest-first', seenBy: ['listApiKeys/list_order'] });
    expect(report.profile.choices.foreignKeyStatus).toMatchObject({
      seenBy: [
        'deleteApiKey/foreign_key_status',
        'deleteApiKey/other_user_cannot_delete_key',
        'updateApiKey/foreign_key_status',
        'updateApiKey/other_user_cannot_update_key',
      ],
    });
  });

  it('says why it could not tell a choice: the check that could was skipped, and for lack of what', async () => {
    mock = await startMock();
    const report = await runConformance({ baseUrl: mock.url, apiKey: mock.devKeys.alice, profiling: true });
    expect(report.ok).toBe(true);
    const foreign = report.profile.choices.foreignKeyStatus;
    expect(foreign.observed).toBe(false);
    expect(!foreign.observed && foreign.reason).toMatch(
      /^no check could tell \(.*updateApiKey\/foreign_key_status.* skipped: needs --other-api-key/,
    );
    // Without --profile-out the probes do not run, and the profile says so (Bearer, one read-only
    // request, is probed on every run so that every summary can tell it).
    const plain = await runConformance({ baseUrl: mock.url, apiKey: mock.devKeys.alice });
    expect(!plain.profile.choices.listOrder.observed && plain.profile.choices.listOrder.reason).toMatch(
      /runs only with --mock or --profile-out/,
    );
    expect(plain.profile.choices.bearer).toMatchObject({ observed: true, value: 'accepted' });
    expect(plain.profile.choices.location).toMatchObject({ observed: true, value: 'relative' });
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
    await expect(runConformance({ baseUrl: 'http://127.0.0.1:9', apiKey: 'gm_a', choices: { listOrder: 'newest-first' } })).rejects.toThrow(
      /options\.choices are what the mock is held to: give them with mock/,
    );
    await expect(
      runConformance({ baseUrl: 'http://127.0.0.1:9', apiKey: 'gm_a', mock: true, choices: { listOrder: 'sideways' as never } }),
    ).rejects.toThrow(/options\.choices are wrong: choice listOrder must be one of "oldest-first", "newest-first", got "sideways"/);
    await expect(
      runConformance({ baseUrl: 'http://127.0.0.1:9', apiKey: 'gm_a', excludeChecks: { numeric_string: 'typo' } }),
    ).rejects.toThrow(/options\.excludeChecks names no check of the suite: numeric_string; the checks are .*numeric_strings/);
    await expect(
      runConformance({ baseUrl: 'http://127.0.0.1:9', apiKey: 'gm_a', excludeChecks: { numeric_strings: ' ' } }),
    ).rejects.toThrow(/options\.excludeChecks must give a reason for leaving out numeric_strings/);
  });
});
