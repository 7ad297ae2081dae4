import { ProfileError, profileChoices, readProfileFile, type ServerProfile } from '../contracts/common/server-profile.ts';
import { choiceValueProblem } from '../contracts/common/server-choices.ts';
import { DEFAULT_CHOICES, STRICT_CHOICES, type MockChoices } from './service/mock-choices.ts';

/** A profile as `--profile-out` writes it; choices it leaves out keep the defaults. */
export type ProfileInput = Omit<ServerProfile, 'choices' | 'server' | 'recordedAt'> &
  Partial<Pick<ServerProfile, 'server' | 'recordedAt'>> & { choices: Partial<ServerProfile['choices']> };

export interface ChoiceOptions {
  /** Single choices, e.g. `{ listOrder: 'newest-first' }`; they win over a profile's. */
  choices?: Partial<MockChoices>;
  /**
   * A deployment's profile (`apikeys-conformance --profile-out`): the path of
   * its JSON file, or the profile itself. Every observed choice is adopted;
   * unobserved ones keep the defaults.
   */
  profile?: string | ProfileInput;
  /** Every leniency off (STRICT_CHOICES): wins over a profile and over `choices`. */
  strict?: boolean;
}

/**
 * The choices a mock runs with: the defaults, then a profile's observed
 * values, then single `choices`, then `strict`. Every value is checked against
 * the choice table, so a wrong one stops the start with a message naming the
 * choice and its valid values (ProfileError), never a mock that half-obeys.
 *
 * @example
 * resolveChoices({ profile: 'staging.profile.json', strict: true });
 */
export function resolveChoices(options: ChoiceOptions = {}): MockChoices {
  const fromProfile = options.profile === undefined ? {} : readProfile(options.profile);
  for (const [name, value] of Object.entries(options.choices ?? {})) {
    const problem = choiceValueProblem(name, value);
    if (problem) throw new ProfileError(`choices: ${problem}`);
  }
  const choices: MockChoices = { ...DEFAULT_CHOICES, ...fromProfile, ...options.choices, ...(options.strict ? STRICT_CHOICES : {}) };
  // contracts/CONTRACT.md "Key material": the display prefix is shorter than the raw key. A
  // prefix length asked for must say so; the default one is cut short for a very short key.
  const prefixAsked = fromProfile.keyPrefixLength !== undefined || options.choices?.keyPrefixLength !== undefined;
  if (prefixAsked && choices.keyPrefixLength >= choices.rawKeyLength)
    throw new ProfileError(
      `choice keyPrefixLength (${choices.keyPrefixLength}) must be less than rawKeyLength (${choices.rawKeyLength}): a display prefix is shorter than the key`,
    );
  return choices;
}

function readProfile(profile: string | ProfileInput): Partial<MockChoices> {
  return typeof profile === 'string' ? readProfileFile(profile) : profileChoices(JSON.stringify(profile), 'the profile');
}
