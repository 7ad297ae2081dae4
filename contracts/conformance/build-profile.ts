import { CHOICE_NAMES, type ChoiceName } from '../common/server-choices.ts';
import { PROFILE_VERSION, type ObservedChoice, type ServerProfile } from '../common/server-profile.ts';
import type { CheckResult } from './check-result.ts';
import type { ChoiceObservations } from './choice-observations.ts';

/**
 * The profile of one run (`apikeys-conformance --profile-out`): for every
 * choice the value the server showed and the checks that saw it; where no
 * check could tell, or the server showed two values, why not.
 *
 * @example
 * buildProfile({ observations, results, observers, server: 'http://127.0.0.1:8080', recordedAt: new Date() });
 */
export function buildProfile(run: {
  observations: ChoiceObservations;
  results: readonly CheckResult[];
  /** Per choice, the ids of the checks that can observe it. */
  observers: ReadonlyMap<ChoiceName, readonly string[]>;
  server: string;
  recordedAt: Date;
}): ServerProfile {
  const byId = new Map(run.results.map((r) => [r.id, r]));
  const entry = (name: ChoiceName): ObservedChoice => {
    const sightings = run.observations.of(name);
    if (sightings.length === 1) return { observed: true, value: sightings[0]!.value, seenBy: sightings[0]!.seenBy };
    if (sightings.length > 1) {
      const values = sightings.map((s) => `${JSON.stringify(s.value)} (${s.seenBy.join(', ')})`).join('; ');
      return { observed: false, reason: `the server showed more than one value: ${values}` };
    }
    return { observed: false, reason: whyUnseen(run.observers.get(name) ?? [], byId) };
  };
  return {
    profileVersion: PROFILE_VERSION,
    server: run.server,
    recordedAt: run.recordedAt.toISOString(),
    choices: Object.fromEntries(CHOICE_NAMES.map((name) => [name, entry(name)])) as ServerProfile['choices'],
  };
}

/** Why the checks that can see a choice did not: each check's skip reason or outcome, grouped by reason. */
function whyUnseen(observers: readonly string[], results: ReadonlyMap<string, CheckResult>): string {
  if (observers.length === 0) return 'no check of this suite observes it';
  const byReason = new Map<string, string[]>();
  for (const id of observers) {
    const result = results.get(id);
    const reason = !result
      ? 'did not run'
      : result.status === 'skipped'
        ? `skipped: ${result.message}`
        : result.status === 'failed'
          ? 'failed'
          : 'ran without telling';
    byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  }
  return `no check could tell (${[...byReason].map(([reason, ids]) => `${ids.join(', ')} ${reason}`).join('; ')})`;
}

/** A profile as the file `--profile-out` writes: indented JSON with a final newline. */
export function profileText(profile: ServerProfile): string {
  return `${JSON.stringify(profile, null, 2)}\n`;
}
