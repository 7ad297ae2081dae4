import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
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
