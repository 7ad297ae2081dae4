import type { ChoiceName, ChoiceValue } from '../common/server-choices.ts';

/** One value a server was seen to take for a choice, and the checks (`operation/check`) that saw it. */
export interface Sighting {
  value: string | number;
  seenBy: string[];
}

/**
 * What the checks of one run saw a server choose where the contract leaves
 * room (contracts/common/server-choices.ts). Checks record as they go; a run's
 * profile is built from it at the end (build-profile.ts).
 */
export class ChoiceObservations {
  readonly #seen = new Map<ChoiceName, Map<string | number, Set<string>>>();

  record<N extends ChoiceName>(name: N, value: ChoiceValue<N>, checkId: string): void {
    const values = this.#seen.get(name) ?? new Map<string | number, Set<string>>();
    this.#seen.set(name, values);
    const key = value as string | number;
    const seenBy = values.get(key) ?? new Set<string>();
    values.set(key, seenBy.add(checkId));
  }

  /** The values seen for a choice (one, unless the server answered alike requests differently). */
  of(name: ChoiceName): Sighting[] {
    return [...(this.#seen.get(name) ?? new Map<string | number, Set<string>>())].map(([value, seenBy]) => ({
      value,
      seenBy: [...seenBy].sort(),
    }));
  }
}
