/**
 * What `specmatic test` printed, read back: its totals and every exchange it logged whose
 * status differs from the one it expected. Each failure is then named by the one known kind
 * it belongs to, or by none (see KNOWN_FAILURES). The exchanges are read from its request
 * and response log (each request carries the status it expects in `Specmatic-Response-Code`):
 * the failure reports of Specmatic 2.55 sometimes print the exchange of the neighbouring
 * scenario under a scenario's reason, so the reasons are not used.
 */

export interface SpecmaticFailure {
  method: string;
  path: string;
  expected: number;
  actual: number;
  /** The `error` of the server's JSON answer ('' when there is none). */
  error: string;
}

export interface SpecmaticRun {
  testsRun: number;
  successes: number;
  failures: number;
  /** Every distinct logged exchange (each is printed again under its failure). */
  exchanges: number;
  failed: SpecmaticFailure[];
}

export function readSpecmaticRun(output: string): SpecmaticRun {
  const totals = /Tests run: (\d+), Successes: (\d+), Failures: (\d+)/.exec(output);
  const log = output.split('\nUnsuccessful Scenarios:')[0]!;
  const parts = log.split(/\n\s*Request to (\S+ at [^\n]+)\n/);
  const exchanges = new Map<string, SpecmaticFailure>();
  for (let i = 1; i < parts.length; i += 2) {
    const [request = '', response = ''] = parts[i + 1]!.split(/\n\s*Response at [^\n]*\n/);
    const [, method = '', path = ''] = /^\s*(\w+) (\S+)/.exec(request) ?? [];
    exchanges.set(parts[i]!, {
      method,
      path,
      expected: Number(/Specmatic-Response-Code: (\d+)/.exec(request)?.[1] ?? NaN),
      actual: Number(/^\s*(\d{3})\b/.exec(response)?.[1] ?? NaN),
      error: /"error": "((?:[^"\\]|\\.)*)"/.exec(response)?.[1] ?? '',
    });
  }
  return {
    testsRun: Number(totals?.[1] ?? NaN),
    successes: Number(totals?.[2] ?? NaN),
    failures: Number(totals?.[3] ?? NaN),
    exchanges: exchanges.size,
    failed: [...exchanges.values()].filter((exchange) => exchange.actual !== exchange.expected),
  };
}

interface KnownFailure {
  kind: string;
  /** Why a correct, stateful server fails this generated test. */
  why: string;
  matches: (failure: SpecmaticFailure) => boolean;
}

/**
 * The only ways Specmatic's generated tests may fail against the mock. Specmatic makes every
 * request up from the schema alone, one at a time and without state, so a correct stateful
 * server refuses some of them exactly as contracts/CONTRACT.md says it must.
 */
export const KNOWN_FAILURES: KnownFailure[] = [
  {
    kind: 'an id Specmatic made up',
    why: 'an update or delete of a random id that names no key: 404 (CONTRACT.md "Update", "Delete"); a stateless tool never creates the key first',
    matches: (f) =>
      ((f.method === 'PUT' && f.expected === 200) || (f.method === 'DELETE' && f.expected === 204)) &&
      f.actual === 404 &&
      /not found/.test(f.error),
  },
  {
    kind: 'an expiresAt in the past',
    why: 'expiresAt 0 (the schema minimum) is in the past: 400 (CONTRACT.md "Create"); no JSON Schema can say "later than now"',
    matches: (f) => f.method === 'POST' && f.expected === 201 && f.actual === 400 && /expiresAt must be in the future/.test(f.error),
  },
  {
    kind: "a value beyond the mock's bounds",
    why: 'an expiresAt after year 9999, a label key or value of a length the mock refuses, or a path id with only some of its hyphens: its choices (x-mock-choice blocks), absent from the contract layer Specmatic reads',
    matches: (f) =>
      (f.method === 'POST' || f.method === 'PUT' || f.method === 'DELETE') &&
      f.actual === 400 &&
      /expiresAt must be <= \d+|property labels\b.* must NOT have (?:fewer|more) than \d+ characters|^path parameter id must be a UUID \(32 hex digits, with all four hyphens or none, any case\)/.test(
        f.error,
      ),
  },
  {
    kind: 'both label fields',
    why: 'replaceLabels with mergeLabels is 400 (CONTRACT.md "Update"); the spec says so with `not`, which Specmatic does not apply when it generates a body',
    matches: (f) =>
      f.method === 'PUT' && f.expected === 200 && f.actual === 400 && /must not have replaceLabels and mergeLabels together/.test(f.error),
  },
];

/** The kind of a failure, or undefined when it is none of the known ones. */
export function knownKind(failure: SpecmaticFailure): string | undefined {
  return KNOWN_FAILURES.find((known) => known.matches(failure))?.kind;
}
