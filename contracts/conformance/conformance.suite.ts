/**
 * The vitest entry the CLI runs: each check of the plan becomes an `it`, so
 * vitest's reporters (terminal progress, JUnit, JSON) report the checks. The
 * engine runs the checks concurrently on its own; each `it` waits for its
 * check's result and reports it (skips through the test context's skip).
 */
import { writeFileSync } from 'node:fs';
import { afterAll, describe, inject, it } from 'vitest';
import type { CheckResult } from './check-result.ts';
import { startConformance, type PlannedCheck } from './run-conformance.ts';
import { SETTINGS_KEY } from './suite-settings.ts';

const settings = inject(SETTINGS_KEY);
const controller = new AbortController();
// Ctrl-C reaches this worker too (same process group): stop sending, then clean up.
const stop = () => controller.abort();
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

const run = startConformance({ ...settings.options, journalPath: settings.journalPath, signal: controller.signal });

afterAll(async () => {
  const report = await run.done;
  writeFileSync(settings.reportPath, JSON.stringify(report));
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
});

function groups(kind: PlannedCheck['kind']): Map<string, PlannedCheck[]> {
  const byOperation = new Map<string, PlannedCheck[]>();
  for (const planned of run.plan.filter((p) => p.kind === kind)) {
    byOperation.set(planned.operation, [...(byOperation.get(planned.operation) ?? []), planned]);
  }
  return byOperation;
}

/** A failure as vitest shows it: the check's message, without a stack into this file. */
function failure(result: CheckResult): Error {
  const error = new Error(`${result.description}\n${result.message}\nrule: contracts/CONTRACT.md "${result.rule}"`);
  error.name = 'CheckFailure';
  error.stack = `${error.name}: ${error.message}`;
  return error;
}

// Checks that send requests first; the response checks judge every response, so they settle last.
for (const [label, kind] of [
  ['', 'request'],
  ['every response: ', 'response'],
] as const) {
  for (const [operation, checks] of groups(kind)) {
    describe(`${label}${operation}`, () => {
      for (const planned of checks) {
        it(`${planned.check} [${planned.family}]`, async (ctx) => {
          ctx.signal.addEventListener('abort', stop, { once: true });
          const result = await run.result(planned.id);
          if (result.status === 'skipped') ctx.skip(result.message);
          if (result.status === 'failed') throw failure(result);
        });
      }
    });
  }
}
