import { describe, expect, it } from 'vitest';
import type { CheckResult, ConformanceReport } from '../../contracts/conformance/check-result.ts';
import { formatSummary } from '../../contracts/conformance/format-summary.ts';
import { CHOICE_NAMES, type ServerChoices } from '../../contracts/common/server-choices.ts';
import { PROFILE_VERSION, type ServerProfile } from '../../contracts/common/server-profile.ts';

const result = (id: string, overrides: Partial<CheckResult> = {}): CheckResult => ({
  id,
  check: id.split('/')[1]!,
  family: 'behaviour',
  operation: id.split('/')[0]!,
  description: 'a behaviour',
  rule: 'Create',
  status: 'failed',
  message: 'expected x; got y',
  durationMs: 1,
  ...overrides,
});

const report = (results: CheckResult[]): ConformanceReport => ({
  ok: false,
  interrupted: false,
  results,
  coverage: { statuses: [], rows: [], covered: 0, total: 0, gaps: [] },
  cleanup: { created: 0, deleted: 0, leaked: [] },
  counts: { passed: 0, failed: results.length, skipped: 0 },
  durationMs: 10,
  baseUrl: 'http://127.0.0.1:8080',
  profile: profileOf({}),
});

/** A profile in which only the given choices were observed. */
function profileOf(seen: Partial<ServerChoices>): ServerProfile {
  const choices = Object.fromEntries(
    CHOICE_NAMES.map((name) => [
      name,
      name in seen ? { observed: true, value: seen[name], seenBy: ['a/check'] } : { observed: false, reason: 'no check could tell' },
    ]),
  );
  return {
    profileVersion: PROFILE_VERSION,
    server: 'http://127.0.0.1:8080',
    recordedAt: new Date(0).toISOString(),
    choices,
  } as ServerProfile;
}

describe('the summary a QA engineer reads', () => {
  it('gives each failure one line: check, CONTRACT.md rule, request and evidence, with no file path', () => {
    const text = formatSummary(
      report([
        result('createApiKey/client_api_key_id_used', {
          rule: 'Client-chosen ids',
          failure: {
            request: 'createApiKey POST /v1/apikeys {"apiKeyId":"abc"}',
            expected: 'apiKeyMetadata.apiKeyId "abc"',
            actual: '"def"',
          },
        }),
      ]),
    );
    expect(text).toContain(
      '  ✗ createApiKey/client_api_key_id_used [behaviour] — CONTRACT.md "Client-chosen ids" — createApiKey POST /v1/apikeys {"apiKeyId":"abc"} → expected apiKeyMetadata.apiKeyId "abc"; got "def"',
    );
    expect(text).not.toMatch(/\.ts\b/);
  });

  it('says how many responses broke a response rule', () => {
    const failure = {
      request: 'listApiKeys GET /v1/apikeys',
      expected: 'a body valid',
      actual: 'extra field',
      count: { failed: 3, of: 40 },
    };
    expect(formatSummary(report([result('listApiKeys/response_schema_conformance', { failure })]))).toMatch(
      /got extra field \(3 of 40 responses\)/,
    );
  });

  it('folds checks that could not even run for one reason (an unreachable server) into one line', () => {
    const message = 'the check could not complete: TypeError: fetch failed';
    const text = formatSummary(report(['a/one', 'b/two', 'c/three', 'd/four'].map((id) => result(id, { message }))));
    expect(text.match(/✗/g)).toHaveLength(1);
    expect(text).toMatch(/✗ 4 checks: the check could not complete: TypeError: fetch failed \(is http:\/\/127\.0\.0\.1:8080 reachable\?\)/);
  });

  it('says in sentences which legal choices the server showed, wrapped to the width, and which no check could tell', () => {
    const text = formatSummary(
      {
        ...report([]),
        profile: profileOf({ listOrder: 'newest-first', foreignKeyStatus: 404, bearer: 'refused', unknownFields: 'ignored' }),
      },
      { width: 80 },
    );
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('  this server: '));
    expect(lines.slice(start, start + 2)).toEqual([
      "  this server: lists newest first · answers 404 for another user's key",
      '               ignores unknown fields · reads only x-api-key',
    ]);
    expect(lines[start + 2]).toMatch(/^ {2}not told .*: deletedIds, noopUpdate, /);
    expect(lines.every((l) => l.length <= 80 || l.startsWith('  not told'))).toBe(true);
  });

  it('prints no profile line when no check told a choice', () => {
    expect(formatSummary(report([]))).not.toMatch(/this server:/);
  });
});
