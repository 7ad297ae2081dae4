import { extname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVitest, type Reporter } from 'vitest/node';
import type { ReporterName } from './cli-options.ts';
import { ProgressReporter } from './progress-reporter.ts';
import type { SuiteSettings } from './suite-settings.ts';
import { packageRoot } from '../openapi/spec-path.ts';

// The suite beside this file (conformance.suite.ts in the source tree, .js once
// compiled into dist/), found from here so the CLI works from any working directory.
const ENTRY = relative(packageRoot, fileURLToPath(new URL(`./conformance.suite${extname(import.meta.url)}`, import.meta.url)));

export interface VitestRun {
  /** Failed tests as vitest counted them (-1 when vitest itself failed). */
  failed: number;
}

/**
 * Runs the vitest entry once with the chosen reporters, so terminal progress,
 * JUnit XML and JSON come from the test runner. `onInterrupt` lets the caller
 * cancel: vitest aborts the running test's signal, which stops the suite.
 */
export async function runVitest(
  settings: SuiteSettings,
  reporters: ReporterName[],
  outputs: Partial<Record<'junit' | 'json', string>>,
  hooks: { onStart(cancel: () => Promise<void>): void; verbose?: boolean },
): Promise<VitestRun> {
  // terminal: a progress line (failures follow in the summary, one line each); --verbose adds vitest's listing.
  const names: (Reporter | 'verbose' | 'junit' | 'json')[] = reporters.flatMap((r): (Reporter | 'verbose' | 'junit' | 'json')[] =>
    r === 'terminal' ? [new ProgressReporter(), ...(hooks.verbose ? (['verbose'] as const) : [])] : [r],
  );
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const vitest = await createVitest(
    'test',
    {
      root: packageRoot,
      config: false,
      include: [ENTRY],
      // vitest's default excludes (**/dist/**, **/node_modules/**) would hide the installed, compiled suite.
      exclude: [],
      watch: false,
      reporters: names,
      outputFile: outputs,
      provide: { apikeysConformance: settings },
      // One worker: the suite is one file, and it keeps SIGINT handling simple.
      pool: 'forks',
      poolOptions: { forks: { singleFork: true } },
      // Each `it` waits for its check; --slow expiry and slow servers need room (requests have their own limit).
      testTimeout: 600_000,
      hookTimeout: 600_000,
      cache: false,
      passWithNoTests: false,
    },
    { logLevel: 'error' },
  );
  // vitest exits the process on SIGINT; the CLI must first let the suite clean up.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) if (!before[signal].includes(listener)) process.off(signal, listener);
  }
  hooks.onStart(() => vitest.cancelCurrentRun('keyboard-input'));
  try {
    await vitest.start();
    return { failed: vitest.state.getCountOfFailedTests() };
  } catch (error) {
    process.stderr.write(`apikeys-conformance: vitest failed: ${(error as Error).stack ?? String(error)}\n`);
    return { failed: -1 };
  } finally {
    await vitest.close();
  }
}
