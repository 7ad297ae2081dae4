import { Command, InvalidArgumentError, Option } from 'commander';
import { parseWithEnv } from '../common/parse-with-env.ts';
import { DEFAULT_PACT_DIR } from './pact-names.ts';
import type { VerifierLogLevel, VerifyPactsOptions } from './verify-pacts.ts';

const LOG_LEVELS: VerifierLogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

function baseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('must be an absolute http(s) URL, e.g. http://127.0.0.1:8080.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError('must be an http or https URL.');
  return value.replace(/\/+$/, '');
}

function milliseconds(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer (milliseconds).');
  return n;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/**
 * Parses argv into verifier options (flags win over environment variables).
 * Relative `--pact` paths are the user's, so they are taken from the cwd;
 * the default is the project's committed `pacts/` folder.
 *
 * @example
 * parseCliOptions(['node', 'apikeys-pact-verify', '--provider-base-url', 'http://127.0.0.1:8080', '--api-key', 'gm_...']);
 */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): VerifyPactsOptions {
  const program = new Command('apikeys-pact-verify')
    .description(
      'Replays the API Keys pacts against a running provider (any base URL) and deletes every key it made.\n' +
        'Prefer the environment variables for keys: flags show up in process lists.',
    )
    .addOption(
      new Option('--provider-base-url <url>', 'server root of the provider, e.g. http://127.0.0.1:8080')
        .env('APIKEYS_PACT_PROVIDER_BASE_URL')
        .argParser(baseUrl)
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--api-key <key>', "an ordinary user's key (needs the _OWN permissions); states create their keys with it")
        .env('APIKEYS_PACT_API_KEY')
        .makeOptionMandatory(),
    )
    .addOption(
      new Option('--other-api-key <key>', 'a second user\'s key, for the state "an API key owned by another user exists"').env(
        'APIKEYS_PACT_OTHER_API_KEY',
      ),
    )
    .addOption(
      new Option('--restricted-api-key <key>', 'a key whose user may not list keys, for the 403 interaction').env(
        'APIKEYS_PACT_RESTRICTED_API_KEY',
      ),
    )
    .addOption(
      new Option(
        '--admin-token <token>',
        "the mock's control-plane token: creates the other and restricted users when their keys are not given",
      ).env('APIKEYS_PACT_ADMIN_TOKEN'),
    )
    .addOption(
      new Option('--pact <file|dir>', 'pact file or folder, repeatable; relative to the cwd (default: the committed pacts/)')
        .env('APIKEYS_PACT_PATH')
        .argParser(collect),
    )
    .addOption(new Option('--log-level <level>', 'Pact logging').choices(LOG_LEVELS).env('APIKEYS_PACT_LOG_LEVEL').default('error'))
    .addOption(
      new Option('--request-timeout <ms>', 'timeout of each replayed request')
        .env('APIKEYS_PACT_REQUEST_TIMEOUT')
        .argParser(milliseconds)
        .default(30_000),
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit code: 0 when every interaction verified and every key made was deleted, 1 otherwise.',
        '',
        'Examples:',
        '  # the stateful mock (users for the 403 and foreign-key states come from its control plane)',
        '  apikeys-pact-verify --provider-base-url http://127.0.0.1:8080 --api-key gm_mfwgsy3ffvsgk5rnnnsxsljqge --admin-token "$TOKEN"',
        "  # a deployed server: three users' keys, no control plane",
        '  APIKEYS_PACT_API_KEY=... APIKEYS_PACT_OTHER_API_KEY=... APIKEYS_PACT_RESTRICTED_API_KEY=... \\',
        '    apikeys-pact-verify --provider-base-url https://api.example.test',
      ].join('\n'),
    )
    .showHelpAfterError()
    .exitOverride((err) => process.exit(err.exitCode));
  parseWithEnv(program, argv, env);
  const o = program.opts<{
    providerBaseUrl: string;
    apiKey: string;
    otherApiKey?: string;
    restrictedApiKey?: string;
    adminToken?: string;
    pact?: string[] | string;
    logLevel: VerifierLogLevel;
    requestTimeout: number;
  }>();
  // From the environment, --pact arrives as one string.
  const pacts = o.pact === undefined ? [DEFAULT_PACT_DIR] : typeof o.pact === 'string' ? [o.pact] : o.pact;
  return {
    providerBaseUrl: o.providerBaseUrl,
    apiKey: o.apiKey,
    otherApiKey: o.otherApiKey,
    restrictedApiKey: o.restrictedApiKey,
    adminToken: o.adminToken,
    pacts,
    logLevel: o.logLevel,
    requestTimeoutMs: o.requestTimeout,
  };
}
