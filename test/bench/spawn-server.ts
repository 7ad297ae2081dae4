import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { trackChild } from './child-processes.ts';
import { peakRssKib } from './proc-status.ts';

export interface ServerLaunch {
  /** Shown in progress lines and errors. */
  name: string;
  /** Arguments to `node` (process.execPath): node flags, the script, its flags. */
  nodeArgs: string[];
  cwd: string;
  /**
   * How to know it is up: a stdout line whose group 1 is the base URL, or a
   * port chosen beforehand (see test/support/free-port.ts) that starts accepting connections.
   */
  ready: { line: RegExp } | { port: number };
  /** Give up after this long (default 60 s). */
  timeoutMs?: number;
}

export interface RunningServer {
  name: string;
  pid: number;
  url: string;
  /** From spawn to the ready line (or the first accepted connection), ms. */
  startupMs: number;
  /** Peak RSS so far (VmHWM), KiB. */
  peakRssKib(): number | null;
  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, as a crash: no shutdown handler runs. Resolves once it has exited. */
  crash(): Promise<void>;
  /** The last few KB of its stdout and stderr. */
  output(): string;
}

/**
 * Starts a server as its own node process, so that every server is measured
 * the same way (load from this process over loopback, RSS from /proc) and
 * none shares a heap or an event loop with the load generator. Output is
 * always drained (a full pipe would stall the server) and its tail kept for
 * error messages.
 */
export async function spawnServer(launch: ServerLaunch): Promise<RunningServer> {
  const started = performance.now();
  // NODE_ENV as a user's shell would have it: unset (vitest sets "test").
  const { NODE_ENV: _, ...env } = process.env;
  const child = spawn(process.execPath, launch.nodeArgs, { cwd: launch.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stderr.on('data', keep);
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(`exited (${signal ?? code})`)));

  const ready = new Promise<string>((resolve, reject) => {
    if ('line' in launch.ready) {
      const pattern = launch.ready.line;
      child.stdout.on('data', (chunk: Buffer) => {
        keep(chunk);
        const url = pattern.exec(output)?.[1];
        if (url) resolve(url);
      });
    } else {
      child.stdout.on('data', keep);
      const port = launch.ready.port;
      const poll = () => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(`http://127.0.0.1:${port}`);
        });
        socket.once('error', () => {
          socket.destroy();
          if (child.exitCode === null) setTimeout(poll, 25);
        });
      };
      poll();
    }
    void exited.then((how) => reject(new Error(`${launch.name} ${how} before it was ready:\n${output}`)));
  });
  const timeoutMs = launch.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${launch.name} was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
  });
  let url: string;
  try {
    url = await Promise.race([ready, timedOut]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  } finally {
    clearTimeout(timer);
  }
  const startupMs = performance.now() - started;
  const pid = child.pid!;
  return {
    name: launch.name,
    pid,
    url,
    startupMs,
    peakRssKib: () => peakRssKib(pid),
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(kill);
    },
    async crash() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    output: () => output,
  };
}
