import { describe, expect, it } from 'vitest';
import { buildProfile } from '../../contracts/conformance/build-profile.ts';
import type { CheckResult } from '../../contracts/conformance/check-result.ts';
import { ChoiceObservations } from '../../contracts/conformance/choice-observations.ts';
import { runConformance } from '../../contracts/conformance/run-conformance.ts';
import { allCredentials } from './support/all-credentials.ts';
import { jsonResponse, startVariantServer, type ServerVariant } from './support/variant-server.ts';

const result = (id: string, status: CheckResult['status'], message = ''): CheckResult => ({
  id,
  check: id.split('/')[1]!,
  family: 'mock-choice',
  operation: id.split('/')[0]!,
  description: '',
  rule: "Mock's choices",
  status,
  message,
  durationMs: 0,
});

describe('the profile of a run', () => {
  it('records a value with every check that saw it, and refuses to pick one when the server showed two', () => {
    const observations = new ChoiceObservations();
    observations.record('listOrder', 'newest-first', 'listApiKeys/list_order');
    observations.record('foreignKeyStatus', 403, 'updateApiKey/foreign_key_status');
    observations.record('foreignKeyStatus', 404, 'deleteApiKey/foreign_key_status');
    observations.record('foreignKeyStatus', 404, 'deleteApiKey/other_user_cannot_delete_key');
    const profile = buildProfile({
      observations,
      results: [result('listApiKeys/bearer_key', 'skipped', 'runs only with --mock or --profile-out'), result('x/y', 'failed')],
      observers: new Map([
        ['bearer', ['listApiKeys/bearer_key']],
        ['location', ['x/y']],
      ]),
      server: 'http://127.0.0.1:1',
      recordedAt: new Date(0),
    });
    expect(profile.choices.listOrder).toEqual({ observed: true, value: 'newest-first', seenBy: ['listApiKeys/list_order'] });
    expect(profile.choices.foreignKeyStatus).toEqual({
      observed: false,
      reason:
        'the server showed more than one value: 403 (updateApiKey/foreign_key_status); 404 (deleteApiKey/foreign_key_status, deleteApiKey/other_user_cannot_delete_key)',
    });
    expect(profile.choices.bearer).toEqual({
      observed: false,
      reason: 'no check could tell (listApiKeys/bearer_key skipped: runs only with --mock or --profile-out)',
    });
    expect(profile.choices.location).toEqual({ observed: false, reason: 'no check could tell (x/y failed)' });
    expect(profile.choices.noopUpdate).toEqual({ observed: false, reason: 'no check of this suite observes it' });
  });
});

/** A server whose answer to a Bearer request is neither a success nor 401. */
const bearerBreaks: ServerVariant = {
  request: (req) => {
    if (req.headers.authorization) return jsonResponse(418, { error: 'no tea for bearers' });
  },
};

describe('an informational probe', () => {
  it('never fails a server without --mock: one it cannot read is skipped and its choice left unobserved', async () => {
    const server = await startVariantServer(bearerBreaks);
    try {
      const report = await runConformance({
        ...allCredentials(server.mock, server.url),
        mock: false,
        adminToken: undefined,
        profiling: true,
      });
      const bearer = report.results.find((r) => r.id === 'listApiKeys/bearer_key')!;
      expect(bearer).toMatchObject({ status: 'skipped', message: expect.stringMatching(/^informational, could not tell bearer from 418/) });
      expect(report.profile.choices.bearer).toMatchObject({
        observed: false,
        reason: expect.stringMatching(/could not tell bearer from 418/),
      });
      // The undocumented 418 itself is the contract's to judge.
      expect(report.results.filter((r) => r.status === 'failed').map((r) => r.id)).toEqual(['listApiKeys/status_code_conformance']);
    } finally {
      await server.close();
    }
  });

  it('fails the mock with --mock when the answer is not the choice the mock promises', async () => {
    const server = await startVariantServer(bearerBreaks);
    try {
      const report = await runConformance({ ...allCredentials(server.mock, server.url), timers: server.timers });
      const bearer = report.results.find((r) => r.id === 'listApiKeys/bearer_key')!;
      expect(bearer.status).toBe('failed');
      expect(bearer.failure).toMatchObject({
        expected: 'bearer "accepted" (accepts Authorization: Bearer; the mock\'s default)',
        actual: expect.stringMatching(/^418 /),
      });
    } finally {
      await server.close();
    }
  });
});
