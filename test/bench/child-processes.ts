import type { ChildProcess } from 'node:child_process';

// Every server the benchmark starts, until it has exited. Killed on any way
// out of the run: normal end, a thrown error, Ctrl-C, SIGTERM.
const live = new Set<ChildProcess>();

export function trackChild(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** SIGKILLs every child still running (synchronous: safe inside an 'exit' handler). */
export function killAllChildren(): void {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** SIGKILLs every child and waits (at most `boundMs`) until each has exited, so no pid outlives the run. */
export async function stopAllChildren(boundMs = 3000): Promise<void> {
  const exits = [...live].map((child) => new Promise((resolve) => child.once('exit', resolve)));
  killAllChildren();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(exits), new Promise((resolve) => (timer = setTimeout(resolve, boundMs)))]);
  clearTimeout(timer);
}

/**
 * Kills the children when this process ends, also on SIGINT/SIGTERM (then
 * runs `cleanUp` and exits 130/143 as a shell would).
 */
export function killChildrenOnExit(cleanUp: () => void): void {
  process.once('exit', killAllChildren);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const) {
    process.once(signal, () => {
      process.stderr.write(`\nbench: ${signal}: stopping the servers\n`);
      void stopAllChildren().finally(() => {
        cleanUp();
        process.exit(code);
      });
    });
  }
}
