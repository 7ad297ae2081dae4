import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConformanceReport } from './check-result.ts';
import { CliUsageError, parseCliOptions, type CliOptions } from './cli-options.ts';
import { profileText } from './build-profile.ts';
import { formatSummary } from './format-summary.ts';
import { sweepJournal } from './sweep-journal.ts';

// Exit codes: 0 every check that ran passed; 1 a check failed (or keys were left); 2 usage; 130 interrupted.
let options: CliOptions;
try {
  options = parseCliOptions(process.argv);
} catch (error) {
  if (error instanceof CliUsageError) {
    process.stderr.write(`apikeys-conformance: ${error.message}\n(run apikeys-conformance --help for every option)\n`);
    process.exit(2);
  }
  // --help / --version: commander has printed it.
  process.exit(0);
}

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), 'apikeys-conformance-'));
const settings = { options: options.run, reportPath: join(work, 'report.json'), journalPath: join(work, 'journal.jsonl') };
// A machine reporter on stdout keeps stdout to itself: the summary goes to stderr.
const machineOnStdout = options.reporters.some((r) => r !== 'terminal' && options.outputs[r] === undefined);
const human = machineOnStdout ? process.stderr : process.stdout;

let interrupted = false;
let cancel: (() => Promise<void>) | undefined;
const onSignal = (signal: NodeJS.Signals) => {
  if (interrupted) {
    process.stderr.write(
      `apikeys-conformance: ${signal} again: quitting without waiting for clean-up; journal kept at ${settings.journalPath}\n`,
    );
    process.exit(130);
  }
  interrupted = true;
  process.stderr.write(`\napikeys-conformance: ${signal}: stopping; deleting the keys this run created (again to quit at once)\n`);
  void cancel?.();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// Loaded only now: vitest is heavy, and --help or a usage error should answer at once.
const { runVitest } = await import('./run-vitest.ts');
const vitestRun = await runVitest(settings, options.reporters, options.outputs, {
  onStart: (c) => (cancel = c),
  verbose: options.verbose,
});
// Safety net: anything the worker created and could not delete (e.g. it was killed).
const sweep = await sweepJournal(settings.journalPath, options.run);

let report: ConformanceReport | undefined;
try {
  report = JSON.parse(readFileSync(settings.reportPath, 'utf8')) as ConformanceReport;
} catch {
  report = undefined;
}
if (report) {
  human.write(formatSummary(report, { wallMs: performance.now() - started, width: process.stdout.columns || 120 }));
  if (options.profileOut) {
    writeFileSync(options.profileOut, profileText(report.profile));
    human.write(`Profile written to ${options.profileOut} (apikeys-mock --profile ${options.profileOut} makes the mock take it).\n`);
  }
} else {
  human.write('\napikeys-conformance: the run ended without a report (see the output above).\n');
}
// A signal that lands after the last check still ends the run as interrupted: say so.
if (interrupted && !report?.interrupted) human.write('INTERRUPTED after the last check had run; clean-up completed.\n');
if (sweep.swept > 0) human.write(`Clean-up sweep after the run deleted ${sweep.swept} more key(s).\n`);
if (sweep.leaked.length > 0) human.write(`COULD NOT DELETE ${sweep.leaked.length} key(s) this run created: ${sweep.leaked.join(', ')}\n`);
if (sweep.leaked.length === 0) rmSync(work, { recursive: true, force: true });

const passed = report?.ok === true && vitestRun.failed === 0 && sweep.leaked.length === 0;
process.exitCode = interrupted || report?.interrupted ? 130 : passed ? 0 : 1;
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
