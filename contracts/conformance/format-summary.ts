import { CHOICE_NAMES, describeChoice } from '../common/server-choices.ts';
import type { ServerProfile } from '../common/server-profile.ts';
import { FAMILIES, type ConformanceReport } from './check-result.ts';
import { formatCoverage } from './coverage-matrix.ts';

/**
 * The end-of-run text: totals with the time, one line per failure, skips
 * grouped by reason, what clean-up did, and the coverage matrix. Fits a screen
 * unless many checks fail (each failure is one line; reporters hold the detail).
 *
 * @example
 * process.stdout.write(formatSummary(await runConformance(options)));
 */
export function formatSummary(report: ConformanceReport, extra: { wallMs?: number; width?: number } = {}): string {
  const width = Math.max(extra.width ?? 120, 60);
  const line = (text: string) => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
  const { counts } = report;
  const total = report.results.length;
  const verdict = report.ok ? 'CONFORMS' : report.interrupted ? 'INTERRUPTED' : 'DOES NOT CONFORM';
  const time = `${(report.durationMs / 1000).toFixed(2)} s${extra.wallMs ? ` (${(extra.wallMs / 1000).toFixed(1)} s with the test runner)` : ''}`;
  const out = [
    '',
    `apikeys-conformance: ${verdict} — ${report.baseUrl}`,
    `  ${total} checks: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped, in ${time}`,
    `  by family: ${FAMILIES.map((f) => {
      const of = report.results.filter((r) => r.family === f);
      return of.length ? `${f} ${of.filter((r) => r.status === 'passed').length}/${of.length}` : '';
    })
      .filter(Boolean)
      .join(', ')} passed`,
    ...profileLines(report.profile, width),
  ];
  const failed = report.results.filter((r) => r.status === 'failed');
  if (failed.length > 0) {
    out.push('', 'Failed (check — the contracts/CONTRACT.md rule — request → evidence):');
    // One line each, never cut: the evidence is what a QA engineer acts on. Checks that could
    // not even complete for the same reason (an unreachable server) are one line together.
    const incomplete = new Map<string, string[]>();
    for (const r of failed) {
      const reason = r.message.startsWith('the check could not complete: ') ? r.message : undefined;
      if (reason) incomplete.set(reason, [...(incomplete.get(reason) ?? []), r.id]);
    }
    for (const r of failed) {
      const group = incomplete.get(r.message);
      if (group && group.length > 3) continue;
      out.push(`  ✗ ${failureLine(r)}`);
    }
    for (const [reason, ids] of incomplete) {
      if (ids.length > 3) out.push(line(`  ✗ ${ids.length} checks: ${reason} (is ${report.baseUrl} reachable?) — ${ids.join(', ')}`));
    }
  }
  const skipped = new Map<string, string[]>();
  for (const r of report.results.filter((x) => x.status === 'skipped'))
    skipped.set(r.message, [...(skipped.get(r.message) ?? []), r.check]);
  if (skipped.size > 0) {
    out.push('', 'Skipped (not passed):');
    for (const [reason, checks] of skipped) {
      out.push(line(`  - ${checks.length} × ${reason}`));
      out.push(line(`      ${[...new Set(checks)].join(', ')}`));
    }
  }
  const { cleanup } = report;
  out.push(
    '',
    `Clean-up: created ${cleanup.created} keys, deleted ${cleanup.deleted}${cleanup.leaked.length ? `, COULD NOT DELETE ${cleanup.leaked.length}:` : ', left nothing behind.'}`,
  );
  for (const leak of cleanup.leaked) out.push(line(`  ! ${leak.apiKeyId} (owner ${leak.owner}): ${leak.reason}`));
  out.push('', 'Coverage (operation × documented status):', formatCoverage(report.coverage), '');
  return out.join('\n');
}

/**
 * The legal choices the server was seen to make, as sentences ("this server: lists
 * newest first · reads only x-api-key · …"), wrapped to the width, and the choices
 * no check could tell. Informational: a choice never fails a server without --mock.
 */
function profileLines(profile: ServerProfile | undefined, width: number): string[] {
  if (!profile) return [];
  const said: string[] = [];
  const untold: string[] = [];
  for (const name of CHOICE_NAMES) {
    const entry = profile.choices[name];
    if (entry.observed) said.push(describeChoice(name, entry.value as never));
    else untold.push(name);
  }
  if (said.length === 0) return [];
  const lead = '  this server: ';
  const lines = [lead];
  for (const phrase of said) {
    const last = lines.length - 1;
    const joined = lines[last] === lead || lines[last]!.trim() === '' ? `${lines[last]}${phrase}` : `${lines[last]} · ${phrase}`;
    if (joined.length <= width || lines[last] === lead) lines[last] = joined;
    else lines.push(`${' '.repeat(lead.length)}${phrase}`);
  }
  if (untold.length > 0) lines.push(`  not told (--profile-out and every credential tell more): ${untold.join(', ')}`);
  return lines;
}

/**
 * A failure in one line: which check, the contract section it enforces, the
 * request that showed it and the evidence (expected; got).
 *
 * @example
 * // createApiKey/client_api_key_id_used [behaviour] — CONTRACT.md "Client-chosen ids" — createApiKey POST /v1/apikeys {"apiKeyId":"…"} → expected apiKeyMetadata.apiKeyId "…"; got "…"
 */
export function failureLine(r: ConformanceReport['results'][number]): string {
  const rule = `CONTRACT.md "${r.rule}"`;
  const f = r.failure;
  if (!f) return `${r.id} [${r.family}] — ${rule} — ${oneLine(r.message)}`;
  const count = f.count ? ` (${f.count.failed} of ${f.count.of} responses)` : '';
  return `${r.id} [${r.family}] — ${rule} — ${oneLine(f.request)} → expected ${oneLine(f.expected)}; got ${oneLine(f.actual)}${count}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > 400 ? `${flat.slice(0, 400)}…` : flat;
}
