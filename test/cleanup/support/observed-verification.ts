/**
 * Runs the Pact verifier in this process with every record into a cleanup
 * ledger noted, and writes what it saw as JSON to the file named first.
 * A child process of its own: the Pact core prints its results straight to
 * fd 1, which would otherwise land in the test run's output.
 *
 * Usage: observed-verification.ts OUT_FILE PROVIDER_BASE_URL API_KEY ADMIN_TOKEN
 */
import { writeFileSync } from 'node:fs';
import { CleanupLedger } from '../../../contracts/cleanup/cleanup-ledger.ts';
import { verifyPacts } from '../../../contracts/pact/verify-pacts.ts';
import { observingFetch } from './observing-fetch.ts';

export interface ObservedVerification {
  /** Ids recorded into any CleanupLedger, as created keys or as credentials the run made. */
  recorded: string[];
  /** Ids of the keys the provider said it made. */
  made: string[];
  report: Awaited<ReturnType<typeof verifyPacts>>;
}

const [out, providerBaseUrl, apiKey, adminToken] = process.argv.slice(2) as [string, string, string, string];
const recorded = new Set<string>();
type Recorder = (this: unknown, apiKeyId: string, ...rest: unknown[]) => void;
const prototype = CleanupLedger.prototype as unknown as Record<'recordCreated' | 'recordCredential', Recorder>;
for (const method of ['recordCreated', 'recordCredential'] as const) {
  const original = prototype[method];
  prototype[method] = function (apiKeyId, ...rest) {
    recorded.add(apiKeyId);
    original.call(this, apiKeyId, ...rest);
  };
}

const observed = observingFetch();
const report = await verifyPacts({ providerBaseUrl, apiKey, adminToken, fetch: observed.fetch });
const result: ObservedVerification = { recorded: [...recorded], made: [...observed.made], report };
writeFileSync(out, JSON.stringify(result));
