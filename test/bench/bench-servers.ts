import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../support/free-port.ts';
import { spawnServer, type RunningServer } from './spawn-server.ts';

// How each contender is started: as a user would start it, as its own node
// process, on 127.0.0.1, with logging at its quietest so that no server pays
// for writing a line per request (ours: `error`; Prism: `-v error`).
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const LISTENING = /listening on (http:\/\/\S+)/;

function binOf(pkg: string, name: string): string {
  const manifest = require.resolve(`${pkg}/package.json`);
  const bin = (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin[name];
  if (!bin) throw new Error(`${pkg} has no bin ${name}`);
  return join(dirname(manifest), bin);
}

/**
 * Our mock's CLI on a JSON-file store (`mock/bin.js`, which loads tsx in the
 * same process, so the pid is the server's). With `cpuProfileDir`, under
 * `node --cpu-prof`: written when the mock exits on SIGTERM, one file per
 * thread (tsx's module hooks run on a thread of their own).
 */
export function startOurMock(
  dbPath: string,
  options: { cpuProfileDir?: string; adminToken?: string; args?: string[] } = {},
): Promise<RunningServer> {
  const profiling = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const token = options.adminToken ? ['--admin-token', options.adminToken] : [];
  return spawnServer({
    name: 'our mock',
    nodeArgs: [
      ...profiling,
      join(ROOT, 'mock/bin.js'),
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--db',
      dbPath,
      '--log-level',
      'error',
      ...token,
      ...(options.args ?? []),
    ],
    cwd: ROOT,
    ready: { line: LISTENING },
  });
}

/**
 * Prism's stateless mock of the same openapi.yaml (static examples). At
 * `-v error` it no longer prints its URL, so it gets a free port and is up
 * when the port accepts connections.
 */
export async function startPrism(): Promise<RunningServer> {
  const port = await freePort();
  return spawnServer({
    name: 'Prism',
    nodeArgs: [
      binOf('@stoplight/prism-cli', 'prism'),
      'mock',
      join(ROOT, 'openapi.yaml'),
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '-v',
      'error',
    ],
    cwd: ROOT,
    ready: { port },
  });
}

/**
 * json-server's own CLI on a db file, preloaded with loopback-listen.mjs:
 * json-server binds every interface whatever its --host says.
 */
export function startJsonServer(dbPath: string): Promise<RunningServer> {
  return spawnServer({
    name: 'json-server',
    nodeArgs: [
      '--import',
      join(ROOT, 'test/bench/servers/loopback-listen.mjs'),
      binOf('json-server', 'json-server'),
      '--port',
      '0',
      dbPath,
    ],
    cwd: dirname(dbPath),
    ready: { line: LISTENING },
  });
}

/** node:http answering every request with the bytes of `bodyPath`: the ceiling. */
export function startBare(bodyPath: string): Promise<RunningServer> {
  return spawnServer({
    name: 'bare node:http',
    nodeArgs: [join(ROOT, 'test/bench/servers/bare-server.mjs'), bodyPath],
    cwd: ROOT,
    ready: { line: LISTENING },
  });
}
