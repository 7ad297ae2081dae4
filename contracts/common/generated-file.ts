import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

/**
 * Writes a file generated from the project's own sources, or with `--check`
 * (as `npm run lint` runs it) only compares: a file that differs from what its
 * generator makes is named with the command that fixes it, and the process
 * exits 1. One behaviour for every generated file (like `openapi-typescript --check`).
 *
 * @example
 * writeGeneratedFile('contracts/conformance/server-profile.schema.json', text, 'npm run profile:schema', process.argv);
 */
export function writeGeneratedFile(path: string, content: string, command: string, argv: readonly string[]): void {
  const name = relative(process.cwd(), path);
  if (!argv.includes('--check')) {
    writeFileSync(path, content);
    process.stdout.write(`${name} written\n`);
    return;
  }
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) return;
  process.stderr.write(`${name} ${current === undefined ? 'is missing' : 'differs from what its generator makes'}: run ${command}\n`);
  process.exitCode = 1;
}
