import { Command, InvalidArgumentError, Option } from 'commander';
import { parseWithEnv } from '../contracts/common/parse-with-env.ts';
import type { SpecLayer } from '../contracts/openapi/spec-layer.ts';
import { LOG_LEVELS, type LogLevel } from './http/logger.ts';
import { DEFAULT_SERVER_LIMITS, type ServerLimits } from './http/server-limits.ts';

/** Everything the CLI reads from flags and environment, read once and validated. */
export interface MockCliOptions {
  port: number;
  host: string;
  db: string;
  inMemory: boolean;
  seed?: string;
  adminToken?: string;
  controlPlane: boolean;
  logLevel: LogLevel;
  limits: ServerLimits;
  /** Journal bytes that start a background compaction; undefined: the store's default. */
  compactAfter?: number;
  /** Print this layer of openapi.yaml as a standalone document and exit, instead of starting. */
  printSpec?: SpecLayer;
  /** A deployment's profile (JSON) whose observed choices the mock adopts. */
  profile?: string;
  /** Every leniency off (numbers sent as strings refused); wins over the profile. */
  strict: boolean;
}

function bytes(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of bytes, at least 1.');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be an integer from 0 to 65535.');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer.');
  return n;
}

/**
 * Parses argv (flags win over environment variables).
 *
 * @example
 * parseMockCliOptions(['node', 'apikeys-mock', '--port', '0', '--in-memory']);
 */
export function parseMockCliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): MockCliOptions {
  const program = new Command('apikeys-mock')
    .description('Stateful mock of the API Keys REST API (openapi.yaml), backed by a lowdb JSON file.')
    .addOption(
      new Option('-p, --port <port>', 'port to listen on (0 = any free port)').env('APIKEYS_MOCK_PORT').default(8080).argParser(port),
    )
    .addOption(new Option('--host <host>', 'address to listen on').env('APIKEYS_MOCK_HOST').default('127.0.0.1'))
    .addOption(new Option('--db <file>', 'lowdb JSON file holding the state').env('APIKEYS_MOCK_DB').default('.data/apikeys.json'))
    .addOption(new Option('--in-memory', 'keep state in memory only (nothing is written)').env('APIKEYS_MOCK_IN_MEMORY').default(false))
    .addOption(new Option('--seed <file>', 'JSON file of users and their dev keys (default: the built-in seed)').env('APIKEYS_MOCK_SEED'))
    .addOption(
      new Option('--admin-token <token>', 'token for the /_mock/ control plane (default: random, printed at start)').env(
        'APIKEYS_MOCK_ADMIN_TOKEN',
      ),
    )
    .addOption(new Option('--no-control-plane', 'switch the /_mock/ control plane off'))
    .addOption(
      new Option('--compact-after <bytes>', 'journal size that folds it into the snapshot (default: the larger of 8 MiB and the snapshot)')
        .env('APIKEYS_MOCK_COMPACT_AFTER')
        .argParser(bytes),
    )
    .addOption(
      new Option('--log-level <level>', 'how much to log')
        .choices([...LOG_LEVELS])
        .env('APIKEYS_MOCK_LOG_LEVEL')
        .default('info'),
    )
    .addOption(
      new Option('--headers-timeout <ms>', 'a request whose headers are not in within this time gets 408')
        .env('APIKEYS_MOCK_HEADERS_TIMEOUT')
        .default(DEFAULT_SERVER_LIMITS.headersTimeoutMs)
        .argParser(positiveInteger),
    )
    .addOption(
      new Option('--request-timeout <ms>', 'a request not completely in (headers and body) within this time gets 408')
        .env('APIKEYS_MOCK_REQUEST_TIMEOUT')
        .default(DEFAULT_SERVER_LIMITS.requestTimeoutMs)
        .argParser(positiveInteger),
    )
    .addOption(
      new Option(
        '--max-connections <n>',
        'at most this many open connections: a new one closes the oldest that has sent no complete request (408)',
      )
        .env('APIKEYS_MOCK_MAX_CONNECTIONS')
        .default(DEFAULT_SERVER_LIMITS.maxConnections)
        .argParser(positiveInteger),
    )
    .addOption(
      new Option(
        '--profile <file>',
        "a server's profile (apikeys-conformance --profile-out): adopt every choice it observed; the others keep the defaults",
      ).env('APIKEYS_MOCK_PROFILE'),
    )
    .addOption(
      new Option(
        '--strict',
        "refuse what GoodMem's server leniently accepts (numbers sent as strings) with a 400 naming the field; wins over --profile",
      )
        .env('APIKEYS_MOCK_STRICT')
        .default(false),
    )
    .addOption(
      new Option(
        '--print-spec [layer]',
        "print openapi.yaml as a standalone document for generic tools and exit: 'full' (what this mock enforces, the default; with --profile, as its choices make it) or 'contract' (what any server must do)",
      ).choices(['full', 'contract']),
    )
    .showHelpAfterError()
    .exitOverride((err) => process.exit(err.exitCode));
  parseWithEnv(program, argv, env);
  const { headersTimeout, requestTimeout, maxConnections, printSpec, ...o } = program.opts<
    Omit<MockCliOptions, 'inMemory' | 'strict' | 'limits' | 'printSpec'> & {
      printSpec?: SpecLayer | true;
      inMemory: boolean | string;
      strict: boolean | string;
      headersTimeout: number;
      requestTimeout: number;
      maxConnections: number;
    }
  >();
  if (o.adminToken !== undefined && o.adminToken.length < 8) program.error('error: option --admin-token must be at least 8 characters');
  if (headersTimeout > requestTimeout)
    program.error(`error: option --headers-timeout (${headersTimeout}) must not be greater than --request-timeout (${requestTimeout})`);
  const limits = { ...DEFAULT_SERVER_LIMITS, headersTimeoutMs: headersTimeout, requestTimeoutMs: requestTimeout, maxConnections };
  // From the environment a flag arrives as text: APIKEYS_MOCK_IN_MEMORY=1.
  const on = (flag: boolean | string) => flag === true || flag === 'true' || flag === '1';
  return {
    ...o,
    limits,
    inMemory: on(o.inMemory),
    strict: on(o.strict),
    ...(printSpec === undefined ? {} : { printSpec: printSpec === true ? 'full' : printSpec }),
  };
}
