import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../../contracts/pact/bin.js', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, ANSI colours removed: what a person reads. */
  output: string;
}

/**
 * Runs `apikeys-pact-verify` as a user would, in a child process: Pact core
 * prints its results natively to fd 1, which only a child's pipe can capture.
 * The environment is the parent's minus every APIKEYS_PACT_ variable, plus `env`.
 */
export function runVerifierCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; timeoutMs?: number } = {},
): Promise<CliRun> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('APIKEYS_PACT_')));
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...inherited, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // Bounded: a hung verifier fails the test instead of holding the suite.
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 25_000);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      // eslint-disable-next-line no-control-regex
      const output = `${stdout}\n${stderr}`.replace(/\u001b\[[0-9;]*m/g, '');
      resolve({ code, stdout, stderr, output });
    });
  });
}
