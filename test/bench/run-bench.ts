import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BenchUsageError, parseBenchOptions, USAGE } from './bench-options.ts';
import { formatReport, ratiosOf, targetsOf } from './bench-report.ts';
import { killChildrenOnExit, stopAllChildren } from './child-processes.ts';
import { runBenchmark } from './run-benchmark.ts';
import { startupReport } from './startup-compiled-vs-tsx.ts';
import { summarizeCpuProfile } from './summarize-cpu-profile.ts';

// `npm run bench -- [options]`: see USAGE in bench-options.ts. Progress goes
// to stderr, the report to stdout. Exit code 0 when every measurement got the
// responses it expected and our mock kept every write it acknowledged (missed
// performance targets are reported, not fatal), 1 otherwise or on an error,
// 2 on a bad flag.
let options;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof BenchUsageError)) throw error;
  process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (options === 'help') {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const workDir = mkdtempSync(join(tmpdir(), 'apikeys-bench-'));
const cleanUp = () => rmSync(workDir, { recursive: true, force: true });
killChildrenOnExit(cleanUp);
if (options.cpuProf) {
  options.cpuProf = resolve(options.cpuProf);
  mkdirSync(options.cpuProf, { recursive: true });
}

const started = performance.now();
process.stderr.write(`bench: scratch files in ${workDir} (removed at the end)\n`);
try {
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s`;
  const results = await runBenchmark(options, workDir, (line) => process.stderr.write(`bench: [${elapsed()}] ${line}\n`));
  process.stdout.write(`\n${formatReport(results)}\n`);
  process.stdout.write(`\n${await startupReport(options, workDir, (line) => process.stderr.write(`bench: [${elapsed()}] ${line}\n`))}`);
  process.stderr.write(`bench: whole run ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify({ ...results, ratios: ratiosOf(results), targets: targetsOf(results) }, null, 2)}\n`);
    process.stderr.write(`bench: results written to ${options.json}\n`);
  }
  for (const profile of results.profiles) process.stdout.write(`\n${summarizeCpuProfile(profile)}\n`);
  // Another server losing writes is a finding for the report; ours losing one, or any unexpected status, fails the run.
  const lostOurs = results.measurements.some((m) => m.server === 'ours' && m.persisted && m.persisted.found < m.persisted.acknowledged);
  process.exitCode = results.measurements.every((m) => m.ok) && !lostOurs ? 0 : 1;
} catch (error) {
  process.stderr.write(`bench: ${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
} finally {
  await stopAllChildren();
  cleanUp();
}
