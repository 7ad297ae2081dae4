import { relative } from 'node:path';
import type { VerificationReport } from './verify-pacts.ts';

/**
 * The verifier's closing summary: verdict first, then each failed interaction
 * with one line per mismatch, state and cleanup problems, and what was cleaned
 * up. Never prints a credential.
 */
export function formatReport(report: VerificationReport, cwd: string = process.cwd()): string {
  const lines: string[] = [];
  const files = report.pacts.map((pact) => relative(cwd, pact.file) || pact.file).join(', ');
  const verdict = report.ok ? 'PASSED' : 'FAILED';
  lines.push(`Pact verification of ${report.providerBaseUrl} ${verdict}${files ? ` (${files})` : ''}`);
  if (report.error) lines.push(`  could not verify: ${report.error}`);
  if (report.interactionCount > 0) {
    const failed = report.failures.length;
    lines.push(`  ${report.interactionCount} interactions, ${report.interactionCount - failed} passed, ${failed} failed`);
  }
  // A state that could not be set up explains the interactions that follow it.
  for (const [error, count] of tally(report.transportErrors))
    lines.push(`  ✗ no answer from the provider: ${error}${count > 1 ? ` (${count} times)` : ''}`);
  for (const [error, count] of tally(report.stateErrors)) lines.push(`  ✗ ${error}${count > 1 ? ` (${count} times)` : ''}`);
  for (const failure of report.failures) {
    lines.push(`  ✗ ${failure.interaction}`);
    for (const problem of failure.problems) lines.push(`      ${problem}`);
  }
  const { created, deleted, leaked } = report.cleanup;
  if (created > 0) {
    lines.push(`  cleanup: ${deleted} of ${created} keys made during verification deleted`);
    for (const key of leaked)
      lines.push(`  ✗ cleanup: key ${key.apiKeyId} (made with the ${key.owner} key) could not be deleted: ${key.reason}`);
  }
  return `${lines.join('\n')}\n`;
}

function tally(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}
