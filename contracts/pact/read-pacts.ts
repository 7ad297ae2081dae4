import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface PactSummary {
  file: string;
  consumer: string;
  provider: string;
  interactions: { description: string; states: string[] }[];
}

export class PactFileError extends Error {
  override name = 'PactFileError';
}

/**
 * The pact files behind the given paths (a file, or every `*.json` in a
 * folder, sorted), each with its interactions' descriptions and provider
 * states, so the verifier can check it has a handler and the credentials for
 * every state before it starts. Relative paths are taken from the cwd.
 */
export function readPacts(paths: readonly string[]): PactSummary[] {
  const files = paths.flatMap((path) => pactFilesAt(resolve(path)));
  if (files.length === 0) throw new PactFileError(`no pact files (*.json) in ${paths.join(', ')}`);
  return files.map(summarise);
}

function pactFilesAt(path: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new PactFileError(`no such pact file or folder: ${path}`);
  }
  if (!isDirectory) return [path];
  return readdirSync(path)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(path, name));
}

function summarise(file: string): PactSummary {
  let pact: {
    consumer?: { name?: string };
    provider?: { name?: string };
    interactions?: { description?: string; providerState?: string; providerStates?: { name?: string }[] }[];
  };
  try {
    pact = JSON.parse(readFileSync(file, 'utf8')) as typeof pact;
  } catch (error) {
    throw new PactFileError(`${file} is not a readable JSON pact file: ${(error as Error).message}`);
  }
  if (!Array.isArray(pact.interactions)) throw new PactFileError(`${file} has no interactions array; is it a pact file?`);
  return {
    file,
    consumer: pact.consumer?.name ?? '(unnamed consumer)',
    provider: pact.provider?.name ?? '(unnamed provider)',
    interactions: pact.interactions.map((interaction) => ({
      description: interaction.description ?? '',
      // V3/V4 list states; V2 has a single `providerState` string.
      states: (interaction.providerStates?.map((state) => state.name ?? '') ?? [interaction.providerState ?? '']).filter(Boolean),
    })),
  };
}
