import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { createMock, type MockOptions } from '../../mock/create-mock.ts';
import { closeServer, createServer, listen } from '../../mock/http/create-server.ts';
import { createLogger } from '../../mock/http/logger.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { startMock, type StartMockOptions } from '../../mock/start-mock.ts';
import type { Store } from '../../mock/store/create-store.ts';
import { loadStore } from '../../mock/store/load-store.ts';
import { httpClient } from '../hardening/support/http-client.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';

/**
 * The one helper for "a running mock" in tests, in the three ways tests need it:
 *
 * - `testMock`: built in-process, not listening (`supertest(mock.app)`);
 * - `fileMock`: listening on 127.0.0.1:0 through the node:http front (or only
 *   Express, `front: 'express'`), on a JSON file in a fresh temp dir, every
 *   log line captured;
 * - `spawnMock` / `runMockUntilExit`: the CLI as a child process, as users start it.
 *
 * Everything is closed, killed or removed when the current test finishes.
 */

export const KEYS = DEV_KEYS;
export const USERS = {
  admin: '00000000-0000-4000-8000-000000000001',
  alice: '00000000-0000-4000-8000-000000000002',
  bob: '00000000-0000-4000-8000-000000000003',
  nobody: '00000000-0000-4000-8000-000000000004',
} as const;
export const ADMIN_TOKEN = 'hardening-admin-token';

/** What a client could ever see of a store: the user count and every key, without lastUsedAt (authentication itself moves it). */
export function stateOf(store: Store): string {
  return JSON.stringify({ users: store.userCount, keys: store.allKeys().map(({ lastUsedAt: _, ...key }) => key) });
}

/** Requests with `x-api-key: key` to the server at `base`, each answered as status and parsed JSON. */
export function jsonRequests(base: string, key: string) {
  const client = httpClient(base);
  return async (method: string, path: string, body?: unknown) => {
    const reply = await client.send({ method, path, headers: { 'x-api-key': key }, body });
    return { status: reply.status, json: reply.json as any };
  };
}

/** A fresh in-memory mock, not listening. */
export async function testMock(options: MockOptions = {}) {
  const mock = await createMock({ inMemory: true, logLevel: 'silent', ...options });
  return { ...mock, snapshot: () => stateOf(mock.store) };
}

export interface FileMockOptions extends StartMockOptions {
  /** Which adapter of the pipeline answers the socket: the node:http front (what the CLI runs, default) or Express alone. */
  front?: 'node' | 'express';
}

/** The mock listening on 127.0.0.1:0, backed by a JSON file in a fresh temp dir (the real storage path). */
export async function fileMock(options: FileMockOptions = {}) {
  const dir = tempDir();
  const dbPath = options.dbPath ?? join(dir, 'db.json');
  const logLines: string[] = [];
  const { front = 'node', ...rest } = options;
  const startOptions = { dbPath, adminToken: ADMIN_TOKEN, logger: createLogger('debug', (line) => logLines.push(line)), ...rest };
  const mock = front === 'node' ? await startMock(startOptions) : await startExpressOnly(startOptions);
  onTestFinished(() => mock.close());
  const client = httpClient(mock.url);
  return {
    ...mock,
    dir,
    dbPath,
    logLines,
    send: client.send,
    /** What is on disk now, read by the store's own loader (snapshot + journal), as JSON. */
    fileText: () => JSON.stringify(loadStore(dbPath).document),
    /** The in-memory document as the store holds it (users and keys, every field). */
    memoryText: () => JSON.stringify({ users: mock.store.userCount, keys: mock.store.allKeys() }),
    stateText: () => stateOf(mock.store),
  };
}

export type FileMock = Awaited<ReturnType<typeof fileMock>>;

/** startMock's shape with Express answering every request (no node:http front): the other adapter of the pipeline. */
async function startExpressOnly(options: StartMockOptions): Promise<Awaited<ReturnType<typeof startMock>>> {
  const mock = await createMock({ inMemory: options.dbPath === undefined, logLevel: 'silent', ...options });
  const server = createServer(mock.app, { logger: mock.logger, limits: options.limits, errorReply: mock.errorReply });
  const port = await listen(server, 0, '127.0.0.1');
  return {
    ...mock,
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    adminToken: mock.adminToken ?? '',
    devKeys: DEV_KEYS,
    async close() {
      await closeServer(server);
      await mock.store.close();
    },
  };
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = 'mock/bin.js';
const READY = /listening on (http:\/\/\S+)/;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface SpawnOptions {
  /** Extra environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Bound on the wait for the "listening on" line (the CLI starts in well under a second when idle). */
  readyTimeoutMs?: number;
}

/** The mock's CLI running as a real child process, as a user would start it. */
export interface MockProcess {
  url: string;
  port: number;
  pid: number;
  /** Everything the process wrote so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Exit>;
  /** Sends the signal and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<Exit>;
  isRunning(): boolean;
}

function start(args: string[], env: SpawnOptions['env']) {
  const childEnv: NodeJS.ProcessEnv = {};
  // Flags under test must not be overridden by a developer's APIKEYS_MOCK_* variables.
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('APIKEYS_MOCK_')) childEnv[name] = value;
  for (const [name, value] of Object.entries(env ?? {})) {
    if (value === undefined) delete childEnv[name];
    else childEnv[name] = value;
  }
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let running = true;
  void exited.then(() => (running = false));
  // Never leave a mock behind, also when the test fails half-way.
  onTestFinished(async () => {
    if (running) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  return { child, exited, stdout: () => stdout, stderr: () => stderr, isRunning: () => running };
}

/**
 * Starts `node mock/bin.js ...args` and resolves once it prints its URL.
 * Call inside a test: the process is SIGKILLed when the test finishes.
 *
 * @example
 * const mock = await spawnMock(['--port', '0', '--db', dbPath, '--log-level', 'info']);
 * await mock.kill('SIGKILL');
 */
export async function spawnMock(args: string[], options: SpawnOptions = {}): Promise<MockProcess> {
  const { child, exited, stdout, stderr, isRunning } = start(args, options.env);
  const timeoutMs = options.readyTimeoutMs ?? 20_000;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => fail(`no "listening on" line within ${timeoutMs} ms`), timeoutMs);
    const onData = () => {
      const match = READY.exec(stdout());
      if (match?.[1]) {
        cleanup();
        resolve(match[1]);
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal}) before listening`);
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    }
    function fail(why: string) {
      cleanup();
      reject(new Error(`mock ${args.join(' ')} ${why}\nstdout: ${stdout()}\nstderr: ${stderr()}`));
    }
    child.stdout.on('data', onData);
    child.on('exit', onExit);
    onData();
  });
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    stdout,
    stderr,
    exited,
    isRunning,
    async kill(signal = 'SIGKILL') {
      if (isRunning()) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the CLI with `args` until it exits by itself (bounded), e.g. to see a start-up refused. */
export async function runMockUntilExit(args: string[], options: SpawnOptions & { timeoutMs?: number } = {}) {
  const { child, exited, stdout, stderr } = start(args, options.env);
  const timeoutMs = options.timeoutMs ?? 20_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
  const result = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    child.kill('SIGKILL');
    await exited;
    throw new Error(`mock ${args.join(' ')} still running after ${timeoutMs} ms; stdout: ${stdout()}`);
  }
  return { ...result, stdout: stdout(), stderr: stderr() };
}
