import { readFileSync } from 'node:fs';
import { CHOICE_NAMES, choiceValueProblem, SERVER_CHOICES, type ChoiceName, type ServerChoices } from './server-choices.ts';

/**
 * A deployment's profile: for every legal choice (server-choices.ts), the value a
 * conformance run saw the server take and the checks that saw it, or why no check
 * could tell. `apikeys-conformance --profile-out` writes it, `apikeys-mock --profile`
 * adopts its observed values, `apikeys-conformance --mock --profile` holds the mock to it.
 */
export const PROFILE_VERSION = 1;

export type ObservedChoice<V = unknown> = { observed: true; value: V; seenBy: string[] } | { observed: false; reason: string };

export interface ServerProfile {
  profileVersion: typeof PROFILE_VERSION;
  /** The base URL the run was pointed at. */
  server: string;
  /** When the run ended (ISO 8601). */
  recordedAt: string;
  choices: { [N in ChoiceName]: ObservedChoice<ServerChoices[N]> };
}

/** The JSON Schema of a profile, derived from the choice table (the shipped schema file is this, written out). */
export function profileJsonSchema(): Record<string, unknown> {
  const valueSchema = (name: ChoiceName) => {
    const row = SERVER_CHOICES[name];
    return row.kind === 'integer' ? { type: 'integer', minimum: row.min, maximum: row.max } : { enum: [...row.values] };
  };
  const choice = (name: ChoiceName) => ({
    description: SERVER_CHOICES[name].description,
    oneOf: [
      {
        type: 'object',
        additionalProperties: false,
        required: ['observed', 'value', 'seenBy'],
        properties: {
          observed: { const: true },
          value: valueSchema(name),
          seenBy: { type: 'array', items: { type: 'string' }, minItems: 1 },
        },
      },
      {
        type: 'object',
        additionalProperties: false,
        required: ['observed', 'reason'],
        properties: { observed: { const: false }, reason: { type: 'string', minLength: 1 } },
      },
    ],
  });
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://apikeys-mock.local/server-profile.v${PROFILE_VERSION}.schema.json`,
    title: `API Keys server profile, version ${PROFILE_VERSION}`,
    type: 'object',
    additionalProperties: false,
    required: ['profileVersion', 'server', 'recordedAt', 'choices'],
    properties: {
      $schema: { type: 'string' },
      profileVersion: { const: PROFILE_VERSION },
      server: { type: 'string' },
      recordedAt: { type: 'string' },
      choices: {
        type: 'object',
        additionalProperties: false,
        required: CHOICE_NAMES,
        properties: Object.fromEntries(CHOICE_NAMES.map((name) => [name, choice(name)])),
      },
    },
  };
}

export class ProfileError extends Error {
  override name = 'ProfileError';
}

/**
 * The observed values of a profile, checked choice by choice so a hand-edited
 * profile gets a message naming the choice and its valid values, never a crash.
 * A choice a profile leaves out or marks unobserved keeps the mock's default.
 *
 * @example
 * const choices = profileChoices(readFileSync('staging.profile.json', 'utf8'), 'staging.profile.json');
 */
export function profileChoices(text: string, source: string): Partial<ServerChoices> {
  let profile: unknown;
  try {
    profile = JSON.parse(text);
  } catch (error) {
    throw new ProfileError(`${source} is not JSON: ${(error as Error).message}`);
  }
  if (typeof profile !== 'object' || profile === null || Array.isArray(profile))
    throw new ProfileError(`${source} must hold a JSON object with "profileVersion" and "choices"`);
  const { profileVersion, choices } = profile as { profileVersion?: unknown; choices?: unknown };
  if (profileVersion !== PROFILE_VERSION)
    throw new ProfileError(`${source}: profileVersion must be ${PROFILE_VERSION}, got ${JSON.stringify(profileVersion)}`);
  if (typeof choices !== 'object' || choices === null || Array.isArray(choices))
    throw new ProfileError(`${source}: "choices" must be an object of choice name → { observed, value }`);
  const adopted: Record<string, unknown> = {};
  for (const [name, entry] of Object.entries(choices)) {
    const unknownName = choiceValueProblem(name, SERVER_CHOICES[name as ChoiceName]?.default);
    if (unknownName) throw new ProfileError(`${source}: ${unknownName}`);
    if (typeof entry !== 'object' || entry === null || typeof (entry as { observed?: unknown }).observed !== 'boolean')
      throw new ProfileError(`${source}: choice ${name} must be { "observed": true, "value": … } or { "observed": false, "reason": … }`);
    const { observed, value } = entry as { observed: boolean; value?: unknown };
    if (!observed) continue;
    const problem = choiceValueProblem(name, value);
    if (problem) throw new ProfileError(`${source}: ${problem}`);
    adopted[name] = value;
  }
  return adopted as Partial<ServerChoices>;
}

/**
 * The observed values of the profile file at `path` (profileChoices); a file that cannot be
 * read is a ProfileError too. `source` names it in every message (default: the path).
 */
export function readProfileFile(path: string, source = path): Partial<ServerChoices> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ProfileError(`${source} cannot be read: ${(error as Error).message}`);
  }
  return profileChoices(text, source);
}
