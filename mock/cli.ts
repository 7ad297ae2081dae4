import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CHOICE_NAMES, describeChoice, type ChoiceName } from '../contracts/common/server-choices.ts';
import { ProfileError } from '../contracts/common/server-profile.ts';
import { parseMockCliOptions } from './mock-cli-options.ts';
import { createMock } from './create-mock.ts';
import { resolveChoices } from './resolve-choices.ts';
import { DEFAULT_CHOICES } from './service/mock-choices.ts';
import { closeServer, listen } from './http/create-server.ts';
import { createMockServer } from './start-mock.ts';
import { loadSeed } from './seed/load-seed.ts';

// The CLI is the only place that reads configuration and listens (docs/architecture.md).
const options = parseMockCliOptions(process.argv);
if (options.printSpec) {
  const { specLayerText } = await import('../contracts/openapi/spec-layer-text.ts');
  // The full layer of this mock: with --profile or --strict, the one its choices make.
  let choices;
  try {
    choices = resolveChoices({ profile: options.profile, strict: options.strict });
  } catch (error) {
    process.stderr.write(`apikeys-mock: cannot print the spec with --profile: ${(error as Error).message}\n`);
    process.exit(1);
  }
  // Exit only once the text is out: a pipe on some platforms is written asynchronously.
  await new Promise((done) => process.stdout.write(specLayerText(options.printSpec!, choices), done));
  process.exit(0);
}
const started = performance.now();
const dbPath = options.inMemory ? undefined : resolve(options.db);
let mock: Awaited<ReturnType<typeof createMock>>;
try {
  if (dbPath) mkdirSync(dirname(dbPath), { recursive: true });
  mock = await createMock({
    dbPath,
    inMemory: options.inMemory,
    seed: options.seed ? loadSeed(options.seed) : undefined,
    adminToken: options.adminToken,
    controlPlane: options.controlPlane,
    logLevel: options.logLevel,
    compactAfterBytes: options.compactAfter,
    profile: options.profile,
    strict: options.strict,
  });
} catch (error) {
  // A wrong profile stops the start before anything listens or is written.
  const where = error instanceof ProfileError ? ' with --profile' : dbPath ? ` with --db ${dbPath}` : '';
  process.stderr.write(`apikeys-mock: cannot start${where}: ${(error as Error).message}\n`);
  process.exit(1);
}

const server = createMockServer(mock, options.limits);
let port: number;
try {
  port = await listen(server, options.port, options.host);
} catch (error) {
  process.stderr.write(`apikeys-mock: cannot listen on ${options.host}:${options.port}: ${(error as Error).message}\n`);
  process.exit(1);
}

const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
const lines = [
  `apikeys-mock listening on ${url} (ready in ${Math.round(performance.now() - started)} ms)`,
  `  store: ${dbPath ?? 'in memory'} (${mock.store.keyCount} keys, ${mock.store.userCount} users)`,
  `  choices: ${choicesLine(mock.choices)}`,
  mock.adminToken ? `  control plane: ${url}/_mock/ with header x-admin-token: ${mock.adminToken}` : '  control plane: off',
  '  dev keys (x-api-key):',
  ...mock.seed.users.map(
    (u) => `    ${u.name.padEnd(8)} ${u.role.padEnd(6)} ${u.apiKey}${u.permissions ? ` permissions: [${u.permissions.join(', ')}]` : ''}`,
  ),
];
if (options.logLevel !== 'silent') process.stdout.write(`${lines.join('\n')}\n`);

/** The choices that differ from the defaults, as a summary phrases them; where they came from. */
function choicesLine(choices: typeof mock.choices): string {
  const changed = CHOICE_NAMES.filter((name) => choices[name] !== DEFAULT_CHOICES[name]).map(<N extends ChoiceName>(name: N) =>
    describeChoice(name, choices[name]),
  );
  const from = [options.profile && `--profile ${options.profile}`, options.strict && '--strict'].filter(Boolean).join(', ');
  return `${changed.length === 0 ? 'the defaults' : changed.join(' · ')}${from ? ` (${from})` : ''}`;
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  mock.logger.info(`${signal}: closing; flushing writes`);
  await closeServer(server);
  await mock.store.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
