import { CleanupLedger, type CleanupReport } from '../cleanup/cleanup-ledger.ts';
import { createApiKeysClient } from '../client/create-api-keys-client.ts';
import { checkCredentials, resolveCredentials, type CredentialOptions, type CredentialRole } from './credentials.ts';
import { describeFetchError } from '../common/describe-fetch-error.ts';
import { DEFAULT_PACT_DIR } from './pact-names.ts';
import { parseVerifierResult, type InteractionFailure } from './parse-verifier-result.ts';
import { createProviderStates, isProviderStateName, STATE_REQUIREMENTS } from './provider-states.ts';
import { readPacts, type PactSummary } from './read-pacts.ts';
import { createRequestFilter } from './request-filter.ts';

export type VerifierLogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

export interface VerifyPactsOptions extends CredentialOptions {
  /** Pact files or folders of them; relative paths from the cwd. Default: the committed `pacts/`. */
  pacts?: readonly string[];
  /** pact-js and Pact core logging (default `error`: the verifier prints its own results). */
  logLevel?: VerifierLogLevel;
  /** Timeout of each replayed request, ms (default 30 s). */
  requestTimeoutMs?: number;
}

export interface VerificationReport {
  ok: boolean;
  providerBaseUrl: string;
  pacts: PactSummary[];
  /** How many interactions were replayed and how many of them failed. */
  interactionCount: number;
  failures: InteractionFailure[];
  /** Provider states that could not be set up (pact-js itself only logs these). */
  stateErrors: string[];
  /** Replayed requests that got no answer from the provider at all. */
  transportErrors: string[];
  /** Keys made during verification (by states, replayed creates and made-up users) and what became of them. */
  cleanup: CleanupReport;
  /** Set when verification could not run at all: bad pact files, missing credentials, a crashed core. */
  error?: string;
}

/**
 * Replays the pacts against a running provider, any base URL. Provider states
 * are made through the provider's public API with the given keys, and every
 * key made on the way is deleted afterwards, also when verification fails.
 * Never throws for a failed verification: the report says what went wrong.
 *
 * @example
 * const report = await verifyPacts({ providerBaseUrl: 'http://127.0.0.1:8080', apiKey: 'gm_...', adminToken });
 * process.exitCode = report.ok ? 0 : 1;
 */
export async function verifyPacts(options: VerifyPactsOptions): Promise<VerificationReport> {
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  // The same cleanup ledger as the conformance suite's: owner first, then the other roles' keys.
  const ledger = new CleanupLedger<CredentialRole>({
    baseUrl: options.providerBaseUrl,
    fetch: options.fetch,
    timeoutMs: requestTimeoutMs,
    credentials: [
      ['caller', options.apiKey],
      ['other', options.otherApiKey],
      ['restricted', options.restrictedApiKey],
    ],
  });
  const report: VerificationReport = {
    ok: false,
    providerBaseUrl: options.providerBaseUrl,
    pacts: [],
    interactionCount: 0,
    failures: [],
    stateErrors: [],
    transportErrors: [],
    cleanup: { created: 0, deleted: 0, leaked: [] },
  };
  try {
    report.pacts = readPacts(options.pacts ?? [DEFAULT_PACT_DIR]);
    const roles = neededRoles(report.pacts);
    checkCredentials(options, roles);
    await checkProvider(options);
    const credentials = await resolveCredentials(options, roles, ledger);
    const states = createProviderStates({ providerBaseUrl: options.providerBaseUrl, credentials, ledger, fetch: options.fetch });
    // Loaded only now: pact-js takes most of a second to import, and a run that
    // stops at a bad pact file or a missing key should say so at once.
    const { Verifier } = await import('@pact-foundation/pact');
    // pact-js types stateHandlers as HTTP and message handlers at once, and
    // requestFilter with its own copy of Express's types; both fit at run time.
    const verifier = new Verifier({
      provider: [...new Set(report.pacts.map((pact) => pact.provider))].join(', '),
      providerBaseUrl: options.providerBaseUrl,
      pactUrls: report.pacts.map((pact) => pact.file),
      stateHandlers: states.handlers as never,
      requestFilter: createRequestFilter({
        providerBaseUrl: options.providerBaseUrl,
        keyFor: () => credentials[states.role()] ?? credentials.caller,
        onCreated: (apiKeyId, ownerKey) => ledger.recordCreated(apiKeyId, ledger.credentialOf(ownerKey), null, 'a replayed interaction'),
        onUnreachable: (problem) => report.transportErrors.push(problem),
        requestTimeoutMs,
        fetch: options.fetch,
      }) as never,
      logLevel: options.logLevel ?? 'error',
      // The core's own timeout covers the filter's request to the provider too.
      timeout: requestTimeoutMs + 5_000,
    });
    const outcome = await verifier.verifyProvider().then(
      (result: unknown) => ({ result, failed: false }),
      (error: unknown) => ({ result: error instanceof Error ? error.message : String(error), failed: true }),
    );
    const parsed = parseVerifierResult(outcome.result);
    report.interactionCount = parsed.interactionCount;
    report.failures = parsed.failures;
    report.stateErrors = states.errors;
    if (parsed.error) report.error = parsed.error;
    else if (outcome.failed && parsed.failures.length === 0) report.error = 'the Pact verifier failed without naming an interaction';
  } catch (error) {
    report.error = (error as Error).message;
  } finally {
    report.cleanup = await ledger.deleteAll();
  }
  report.ok =
    report.error === undefined &&
    report.failures.length === 0 &&
    report.stateErrors.length === 0 &&
    report.transportErrors.length === 0 &&
    report.cleanup.leaked.length === 0;
  return report;
}

/** The credentials the pacts' provider states need; an unknown state stops verification here. */
function neededRoles(pacts: PactSummary[]): Set<CredentialRole> {
  const roles = new Set<CredentialRole>();
  const unknown = new Set<string>();
  for (const pact of pacts) {
    for (const interaction of pact.interactions) {
      for (const state of interaction.states) {
        if (isProviderStateName(state)) roles.add(STATE_REQUIREMENTS[state]);
        else unknown.add(state);
      }
    }
  }
  if (unknown.size > 0) {
    const known = Object.keys(STATE_REQUIREMENTS)
      .map((name) => `"${name}"`)
      .join(', ');
    throw new Error(`no handler for provider state ${[...unknown].map((name) => `"${name}"`).join(', ')}; this verifier knows ${known}`);
  }
  return roles;
}

/**
 * One list request with the caller's key before anything else: an unreachable
 * provider or a key it does not accept would otherwise fail every interaction
 * with the same less obvious message.
 */
async function checkProvider(options: VerifyPactsOptions): Promise<void> {
  const client = createApiKeysClient({ baseUrl: options.providerBaseUrl, apiKey: options.apiKey, fetch: options.fetch });
  let status: number;
  try {
    status = (await client.listApiKeys()).status;
  } catch (error) {
    throw new Error(`cannot reach the provider at ${options.providerBaseUrl}: ${describeFetchError(error)}`);
  }
  if (status === 401) throw new Error('the provider does not accept --api-key (GET /v1/apikeys answered 401)');
}
