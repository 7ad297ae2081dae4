import type { Command } from 'commander';

/**
 * `command.parse(argv)` with `env` standing in for process.env: commander reads
 * the environment for `Option.env()` itself and takes no injected one, so the
 * three CLIs' tests could not otherwise pass their own variables.
 */
export function parseWithEnv(command: Command, argv: string[], env: NodeJS.ProcessEnv): void {
  const saved = process.env;
  process.env = env;
  try {
    command.parse(argv);
  } finally {
    process.env = saved;
  }
}
