export interface InteractionFailure {
  /** The interaction as the verifier names it: `Given <states> - <description>`. */
  interaction: string;
  /** One readable line per mismatch, e.g. `status: expected 201 but was 200`. */
  problems: string[];
}

export interface ParsedVerifierResult {
  interactionCount: number;
  failures: InteractionFailure[];
  /** Set when the core did not produce a result at all. */
  error?: string;
}

// The shape of Pact core's verification JSON (pactffi_verifier_json), as far as it is read here.
interface VerifierJson {
  result?: boolean;
  interactionResults?: unknown[];
  errors?: { interaction?: string; mismatch?: MismatchGroup }[];
  pendingErrors?: unknown[];
}
type MismatchGroup =
  { type: 'mismatches'; mismatches?: Mismatch[] } | { type: 'error'; message?: string } | { type?: string; message?: string };
interface Mismatch {
  type?: string;
  path?: string;
  key?: string;
  mismatch?: string;
  expected?: unknown;
  actual?: unknown;
}

/**
 * Reads what pact-js hands back (the core's JSON on success, an Error whose
 * message is that JSON on failure, or a plain message when the core could not
 * run) and turns it into failures with one readable line per mismatch.
 */
export function parseVerifierResult(result: unknown): ParsedVerifierResult {
  let json: VerifierJson;
  try {
    json = (typeof result === 'string' ? JSON.parse(result) : result) as VerifierJson;
  } catch {
    return { interactionCount: 0, failures: [], error: `Pact verifier: ${String(result)}` };
  }
  if (json === null || typeof json !== 'object' || !Array.isArray(json.interactionResults)) {
    return { interactionCount: 0, failures: [], error: `Pact verifier gave no results: ${String(result).slice(0, 500)}` };
  }
  const failures = (json.errors ?? []).map((error) => ({
    // "Verifying a pact between C and P [Given S ]- D" → "[Given S - ]D"
    interaction: (error.interaction ?? '(unnamed interaction)').replace(/^Verifying a pact between .+? and .+? (- )?/, ''),
    problems: summarise(describeGroup(error.mismatch)),
  }));
  return { interactionCount: json.interactionResults.length, failures };
}

function describeGroup(group: MismatchGroup | undefined): string[] {
  if (!group) return ['failed (no details from the verifier)'];
  if (group.type === 'mismatches' && 'mismatches' in group) {
    // Status first: a wrong status usually explains the header and body lines after it.
    return [...(group.mismatches ?? [])].sort((a, b) => rank(a) - rank(b)).map(describeMismatch);
  }
  return [`request failed: ${'message' in group && group.message ? group.message : JSON.stringify(group)}`];
}

/**
 * The same mismatch on every item of a list is said once: indices become
 * `[*]` and repeats are counted (the core reports them in no fixed order).
 */
function summarise(problems: string[]): string[] {
  const counts = new Map<string, number>();
  for (const problem of problems) {
    const general = problem.replace(/\[\d+\]/g, '[*]');
    counts.set(general, (counts.get(general) ?? 0) + 1);
  }
  return [...counts].map(([problem, count]) => (count > 1 ? `${problem} (${count} times)` : problem));
}

function rank(m: Mismatch): number {
  return m.type === 'StatusMismatch' ? 0 : m.type === 'HeaderMismatch' ? 1 : 2;
}

function describeMismatch(m: Mismatch): string {
  switch (m.type) {
    case 'StatusMismatch':
      return `status: expected ${String(m.expected)} but was ${String(m.actual)}${m.mismatch && !/^expected \d+ but was/i.test(m.mismatch) ? ` (${m.mismatch})` : ''}`;
    case 'HeaderMismatch':
      return `header ${m.key ?? ''}: ${m.mismatch ?? `expected ${JSON.stringify(m.expected)} but was ${JSON.stringify(m.actual)}`}`;
    case 'BodyMismatch':
    case 'BodyTypeMismatch':
      return (
        unexpectedField(m) ??
        `body ${m.path ?? '$'}: ${m.mismatch ?? `expected ${JSON.stringify(m.expected)} but was ${JSON.stringify(m.actual)}`}`
      );
    default:
      return `${m.type ?? 'mismatch'}: ${m.mismatch ?? JSON.stringify(m)}`;
  }
}

/**
 * The pacts forbid unknown fields with an `eachKey` regex of the allowed names
 * (Pact has no `additionalProperties: false`); the core words a breach as
 * "Expected 'rawApiKey' to match '^(a|b|c)$'". Say what it means instead.
 */
function unexpectedField(m: Mismatch): string | undefined {
  const match = /^Expected '(.+)' to match '\^\((.+)\)\$'$/.exec(m.mismatch ?? '');
  if (!match || !m.path?.endsWith(`.${match[1]}`)) return undefined;
  const object = m.path.slice(0, -(match[1]!.length + 1)) || '$';
  return `body ${object}: unexpected field ${match[1]} (allowed: ${match[2]!.split('|').join(', ')})`;
}
