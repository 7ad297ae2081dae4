import { parseCliOptions } from './cli-options.ts';

// The CLI is the only place that reads configuration (one typed options object). The
// verifier is loaded after the options are read, so a usage error is instant.
const options = parseCliOptions(process.argv);
const started = performance.now();
const { verifyPacts } = await import('./verify-pacts.ts');
const { formatReport } = await import('./format-report.ts');
const report = await verifyPacts(options);
process.stdout.write(`\n${formatReport(report)}  took ${Math.round(performance.now() - started)} ms\n`);
process.exitCode = report.ok ? 0 : 1;
