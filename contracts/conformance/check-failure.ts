/**
 * What a check throws when the server departs from the contract (after
 * Schemathesis' checks): the operation, what was expected, what came back and a
 * hint that points at the rule.
 */
export class CheckFailure extends Error {
  override name = 'CheckFailure';
  readonly operation: string;
  readonly expected: string;
  readonly actual: string;
  readonly hint?: string;

  constructor(details: { operation: string; expected: string; actual: string; hint?: string }) {
    super(`${details.operation}: expected ${details.expected}; got ${details.actual}${details.hint ? `\n  hint: ${details.hint}` : ''}`);
    this.operation = details.operation;
    this.expected = details.expected;
    this.actual = details.actual;
    this.hint = details.hint;
  }
}

/** An unmet precondition: the check is reported as skipped, never as passed. */
export class CheckSkipped extends Error {
  override name = 'CheckSkipped';
}

/** The run was aborted (SIGINT, `signal`) before this request was sent. */
export class RunInterrupted extends Error {
  override name = 'RunInterrupted';
  constructor() {
    super('the run was interrupted before this check finished');
  }
}
