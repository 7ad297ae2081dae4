import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

/** The repository root: every documentation path below is relative to it. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The text of a documentation file, e.g. `docSection`'s `file`: `README.md`, `docs/fixtures.md`. */
export function readDoc(file: string): string {
  return readFileSync(join(REPO, file), 'utf8');
}

/**
 * The text of the `## heading` section of a documentation file, up to the next `## `
 * heading (its `###` subsections included). Fails the test, naming file and heading,
 * when the section is not there: tests that run or compare documented text follow it.
 *
 * @example
 * docSection('docs/configuration.md', 'Control plane');
 */
export function docSection(file: string, heading: string): string {
  const text = readDoc(file);
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start, `${file} has a "## ${heading}" section`).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Every fenced block of `language` in `text`, in order, without its fences. */
export function fencedBlocks(text: string, language: string): string[] {
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);
}
