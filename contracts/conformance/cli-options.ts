import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { parseWithEnv } from '../common/parse-with-env.ts';
import { ProfileError, readProfileFile } from '../common/server-profile.ts';
import { CREDENTIAL_INFO, findOptionProblem, type ConformanceOptions } from './conformance-options.ts';
import type { SerializableOptions } from './suite-settings.ts';

export const REPORTERS = ['terminal', 'junit', 'json'] as const;
export type ReporterName = (typeof REPORTERS)[number];

/** Everything the CLI reads from flags and environment, read once and validated. */
export interface CliOptions {
  run: SerializableOptions;
  reporters: ReporterName[];
  /** List every check as it finishes (vitest's verbose listing) besides the progress line. */
  verbose: boolean;
  /** Absolute file per machine reporter (relative paths are taken from the working directory); without one, stdout. */
  outputs: Partial<Record<'junit' | 'json', string>>;
  /** Where to write the server's profile after the run (--profile-out), absolute. */
  profileOut?: string;
}

/** Environment variables, one per flag (flags win). */
export const ENV = {
  baseUrl: 'APIKEYS_BASE_URL',
  apiKey: 'APIKEYS_API_KEY',
  otherApiKey: 'APIKEYS_OTHER_API_KEY',
  adminApiKey: 'APIKEYS_ADMIN_API_KEY',
  restrictedApiKey: 'APIKEYS_RESTRICTED_API_KEY',
  mock: 'APIKEYS_MOCK',
  adminToken: 'APIKEYS_ADMIN_TOKEN',
  slow: 'APIKEYS_SLOW',
  backgroundTimeout: 'APIKEYS_BACKGROUND_TIMEOUT',
  verbose: 'APIKEYS_VERBOSE',
  reporter: 'APIKEYS_REPORTER',
  output: 'APIKEYS_OUTPUT',
  profileOut: 'APIKEYS_PROFILE_OUT',
  profile: 'APIKEYS_PROFILE',
} as const;

/** The mock's own variable for its control-plane token, read as a fallback for --admin-token. */
const MOCK_ADMIN_TOKEN_ENV = 'APIKEYS_MOCK_ADMIN_TOKEN';

export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function program(): Command {
  return new Command('apikeys-conformance')
    .description(
      'Checks any server against the API Keys contract (openapi.yaml): every check, a coverage matrix, exit 0 only when all that ran passed.',
    )
    .addOption(new Option('--base-url <url>', 'the server under test, e.g. http://localhost:8080').env(ENV.baseUrl))
    .addOption(new Option('--api-key <key>', 'raw key of an ordinary user (required)').env(ENV.apiKey))
    .addOption(new Option('--other-api-key <key>', 'raw key of a second ordinary user (isolation checks)').env(ENV.otherApiKey))
    .addOption(new Option('--admin-api-key <key>', 'raw key of a user with the _ANY permissions (admin checks)').env(ENV.adminApiKey))
    .addOption(new Option('--restricted-api-key <key>', 'raw key of a user without permissions (403 checks)').env(ENV.restrictedApiKey))
    .addOption(new Option('--mock', `the target is the mock: also check the contract's "mock's choice" behaviours [env ${ENV.mock}=1]`))
    .addOption(
      new Option(
        '--admin-token <token>',
        `the mock's control-plane token: expiry via its clock (with --mock) [env ${ENV.adminToken}, or ${MOCK_ADMIN_TOKEN_ENV}]`,
      ),
    )
    .addOption(
      new Option(
        '--profile-out <file>',
        "learn the server's legal choices (list order, 403/404, Bearer, …) and write them as a profile; runs the informational probes too",
      ).env(ENV.profileOut),
    )
    .addOption(
      new Option('--profile <file>', 'with --mock: hold the mock to a profile (--profile-out of a deployment) instead of its defaults').env(
        ENV.profile,
      ),
    )
    .addOption(new Option('--slow', `allow checks that wait in real time (expiry against a real server, ~4 s) [env ${ENV.slow}=1]`))
    .addOption(
      new Option(
        '--background-timeout <seconds>',
        'how long a background effect such as lastUsedAt may take to show before its check fails (default 5)',
      ).env(ENV.backgroundTimeout),
    )
    .addOption(new Option('--verbose', `list every check as it finishes, not only the progress and the failures [env ${ENV.verbose}=1]`))
    .addOption(
      new Option(
        '--reporter <names>',
        `${REPORTERS.join(', ')}; repeat or comma-separate (default terminal) [env ${ENV.reporter}]`,
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--output <file>',
        `report file: FILE for the one machine reporter, or junit=FILE / json=FILE (repeatable) [env ${ENV.output}]`,
      ).argParser(collect),
    )
    .showHelpAfterError('(run apikeys-conformance --help for every option)')
    .allowExcessArguments(false);
}

/**
 * Parses argv and the environment into validated options; a bad or missing
 * setting throws a CliUsageError that names the flag (and its variable).
 *
 * @example
 * parseCliOptions(['node', 'apikeys-conformance', '--base-url', 'http://127.0.0.1:8080', '--api-key', 'gm_…']);
 */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const command = program().exitOverride();
  command.configureOutput({ writeErr: () => {}, writeOut: (s) => process.stdout.write(s) });
  try {
    parseWithEnv(command, argv, env);
  } catch (error) {
    const e = error as { code?: string; message?: string; exitCode?: number };
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') throw error;
    throw new CliUsageError((e.message ?? String(error)).replace(/^error: /, ''));
  }
  const o = command.opts<{
    baseUrl?: string;
    apiKey?: string;
    otherApiKey?: string;
    adminApiKey?: string;
    restrictedApiKey?: string;
    mock?: boolean;
    adminToken?: string;
    slow?: boolean;
    backgroundTimeout?: string;
    verbose?: boolean;
    reporter?: string[];
    output?: string[];
    profileOut?: string;
    profile?: string;
  }>();

  const baseUrl = o.baseUrl ?? fail(`--base-url is required (or ${ENV.baseUrl}): the server under test, e.g. http://localhost:8080`);
  const apiKey = o.apiKey ?? fail(`--api-key is required (or ${ENV.apiKey}): the raw key of an ordinary user`);
  const keys = { apiKey, otherApiKey: o.otherApiKey, adminApiKey: o.adminApiKey, restrictedApiKey: o.restrictedApiKey };
  const seconds = o.backgroundTimeout === undefined ? undefined : Number(o.backgroundTimeout);
  const backgroundTimeoutMs = seconds === undefined ? undefined : seconds * 1000;
  // The same rules as runConformance's options, worded with the flag.
  const problem = findOptionProblem({ baseUrl, ...keys, backgroundTimeoutMs });
  if (problem) {
    if (problem.option === 'otherApiKey' && /different/.test(problem.problem))
      fail('--api-key, --other-api-key, --admin-api-key and --restricted-api-key must be different keys');
    if (problem.option === 'backgroundTimeoutMs')
      fail(`--background-timeout must be a positive number of seconds, got ${JSON.stringify(o.backgroundTimeout)}`);
    fail(`${flagOf(problem.option)} ${problem.problem}`);
  }

  const mock = o.mock === true || flagFromEnv(env, ENV.mock, '--mock');
  const slow = o.slow === true || flagFromEnv(env, ENV.slow, '--slow');
  const explicitToken = o.adminToken ?? env[ENV.adminToken];
  if (explicitToken !== undefined && !mock) fail(`--admin-token (${ENV.adminToken}) is the mock's control-plane token: use it with --mock`);
  const adminToken = explicitToken ?? (mock ? env[MOCK_ADMIN_TOKEN_ENV] : undefined);
  if (adminToken !== undefined && adminToken.trim() === '') fail('--admin-token must not be empty');

  const reporterValues = o.reporter ?? (env[ENV.reporter] ? [env[ENV.reporter]!] : ['terminal']);
  const reporters = [
    ...new Set(
      reporterValues
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  for (const name of reporters) {
    if (!(REPORTERS as readonly string[]).includes(name))
      fail(`--reporter ${JSON.stringify(name)} is not a reporter; choose from ${REPORTERS.join(', ')}`);
  }
  if (reporters.length === 0) fail(`--reporter needs one of ${REPORTERS.join(', ')}`);
  const outputs = parseOutputs(o.output ?? (env[ENV.output] ? env[ENV.output]!.split(',') : []), reporters as ReporterName[]);

  const verbose = o.verbose === true || flagFromEnv(env, ENV.verbose, '--verbose');
  if (o.profile !== undefined && !mock)
    fail(`--profile (${ENV.profile}) holds the mock to a profile: use it with --mock (to learn a server's profile: --profile-out)`);
  const choices = o.profile === undefined ? undefined : readProfile(o.profile);
  const profileOut = o.profileOut === undefined ? undefined : resolve(o.profileOut);
  return {
    run: {
      baseUrl,
      ...keys,
      mock,
      slow,
      adminToken,
      ...(backgroundTimeoutMs === undefined ? {} : { backgroundTimeoutMs }),
      ...(profileOut ? { profiling: true } : {}),
      ...(choices ? { choices } : {}),
    },
    reporters: reporters as ReporterName[],
    verbose,
    outputs,
    ...(profileOut ? { profileOut } : {}),
  };
}

/** The observed choices of a profile file; a missing or hand-broken file is a usage error naming the problem. */
function readProfile(file: string): NonNullable<SerializableOptions['choices']> {
  try {
    return readProfileFile(resolve(file), `--profile ${file}`);
  } catch (error) {
    if (error instanceof ProfileError) fail(error.message);
    throw error;
  }
}

function parseOutputs(values: string[], reporters: ReporterName[]): CliOptions['outputs'] {
  const machine = reporters.filter((r): r is 'junit' | 'json' => r !== 'terminal');
  const outputs: CliOptions['outputs'] = {};
  for (const value of values) {
    const match = /^(junit|json)=(.+)$/.exec(value);
    if (match) {
      const name = match[1] as 'junit' | 'json';
      if (!machine.includes(name)) fail(`--output ${value} names the ${name} reporter, which is not selected; add --reporter ${name}`);
      outputs[name] = resolve(match[2]!);
      continue;
    }
    if (machine.length !== 1) {
      fail(
        machine.length === 0
          ? `--output ${value} needs a file reporter: add --reporter junit or --reporter json`
          : `--output ${value} is ambiguous with --reporter ${machine.join(',')}: write --output junit=FILE and --output json=FILE`,
      );
    }
    outputs[machine[0]!] = resolve(value);
  }
  const toStdout = machine.filter((r) => outputs[r] === undefined);
  if (toStdout.length > 0 && reporters.length > 1) {
    fail(`--reporter ${toStdout[0]} writes to stdout only when it is the only reporter; give --output ${toStdout[0]}=FILE`);
  }
  return outputs;
}

function flagFromEnv(env: NodeJS.ProcessEnv, name: string, flag: string): boolean {
  const value = env[name]?.trim().toLowerCase();
  if (value === undefined || value === '' || value === '0' || value === 'false' || value === 'no') return false;
  if (value === '1' || value === 'true' || value === 'yes') return true;
  return fail(`${name} (for ${flag}) must be 1/true/yes or 0/false/no, got ${JSON.stringify(env[name])}`);
}

function fail(message: string): never {
  throw new CliUsageError(message);
}

/** The flag that sets an option, e.g. `--base-url` for baseUrl. */
function flagOf(option: keyof ConformanceOptions): string {
  if (option in CREDENTIAL_INFO) return CREDENTIAL_INFO[option as keyof typeof CREDENTIAL_INFO].flag;
  return `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
