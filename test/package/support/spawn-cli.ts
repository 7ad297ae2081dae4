import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface RunningCli {
  /** The first line the process wrote to stdout. */
  firstLine: string;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** SIGTERM to the whole process group (npx starts the bin as a grandchild), SIGKILL after 5 s. */
  stop(): Promise<void>;
}

/**
 * Starts a command in its own process group and resolves with its first stdout line.
 * Rejects, with what it printed, if it exits or stays silent for `timeoutMs`.
 */
export function spawnCli(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return kill('SIGKILL');
    const hard = setTimeout(() => kill('SIGKILL'), 5000);
    kill('SIGTERM');
    await exited;
    clearTimeout(hard);
    kill('SIGKILL');
  };
  const output = () => `${stdout}${stderr ? `\n[stderr]\n${stderr}` : ''}`;
  (child.stderr as Readable).setEncoding('utf8').on('data', (text: string) => (stderr += text));
  return new Promise<RunningCli>((resolve, reject) => {
    const timer = setTimeout(() => fail(`printed no line within ${options.timeoutMs ?? 60_000} ms`), options.timeoutMs ?? 60_000);
    function fail(why: string) {
      clearTimeout(timer);
      void stop();
      reject(new Error(`${command} ${args.join(' ')} ${why}:\n${output()}`));
    }
    const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal}) before its first line`);
    child.once('exit', onExit);
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    let settled = false;
    (child.stdout as Readable).setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const end = stdout.indexOf('\n');
      if (end < 0 || settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ firstLine: stdout.slice(0, end), output, stop });
    });
  });
}
