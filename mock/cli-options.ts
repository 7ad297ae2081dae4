import { Command, InvalidArgumentError, Option } from 'commander';
import { parseWithEnv } from '../contracts/cli/parse-with-env.ts';
import { LOG_LEVELS, type LogLevel } from './http/logger.ts';

/** Everything the CLI reads from flags and environment, read once and validated. */
export interface CliOptions {
  port: number;
  host: string;
  db: string;
  inMemory: boolean;
  seed?: string;
  adminToken?: string;
  controlPlane: boolean;
  logLevel: LogLevel;
  /** Journal bytes that start a background compaction; undefined: the store's default. */
  compactAfter?: number;
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

/**
 * Parses argv (flags win over environment variables).
 *
 * @example
 * parseCliOptions(['node', 'apikeys-mock', '--port', '0', '--in-memory']);
 */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
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
    .showHelpAfterError()
    .exitOverride((err) => process.exit(err.exitCode));
  parseWithEnv(program, argv, env);
  const o = program.opts<Omit<CliOptions, 'inMemory'> & { inMemory: boolean | string }>();
  if (o.adminToken !== undefined && o.adminToken.length < 8) program.error('error: option --admin-token must be at least 8 characters');
  // From the environment a flag arrives as text: APIKEYS_MOCK_IN_MEMORY=1.
  return { ...o, inMemory: o.inMemory === true || o.inMemory === 'true' || o.inMemory === '1' };
}
