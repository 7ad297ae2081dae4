import type { ChoiceName } from '../common/server-choices.ts';
import type { OperationId, Spec } from '../openapi/load-spec.ts';
import type { CheckContext } from './check-context.ts';
import type { ResolvedOptions } from './conformance-options.ts';
import type { Family } from './check-result.ts';
import type { Exchange } from './http-exchange.ts';

/** Rules about no single operation of the spec (unknown paths, wrong methods). */
export const TRANSPORT = 'transport';
export type Target = OperationId | typeof TRANSPORT;

/**
 * A check: one behaviour, one name (after Schemathesis' checks). Planned once
 * per operation it lists; `run` throws a CheckFailure, or a CheckSkipped
 * through `requires(...)`.
 */
export interface CheckDefinition {
  name: string;
  family: Family;
  operations: readonly Target[];
  /** One sentence: what a conforming server does. */
  description: string;
  /** The section of contracts/CONTRACT.md the check enforces, e.g. `Create` or `Client-chosen ids`. */
  rule: string;
  /**
   * The legal choices (contracts/common/server-choices.ts) the check can tell a
   * server's value of, recorded with `ctx.observe` for the run's profile.
   */
  observes?: readonly ChoiceName[];
  /** Runs alone after the others when it changes something server-wide (the mock's clock). */
  exclusive?: (options: ResolvedOptions) => boolean;
  run(ctx: CheckContext, operation: Target): Promise<void>;
}

/** What a response check may consult besides the exchange itself. */
export interface ResponseCheckContext {
  /** Raw keys seen in create responses, with the sequence number of the response that showed them. */
  rawKeys: ReadonlyMap<string, number>;
  /** The contract layer of openapi.yaml: what every server is judged by. */
  contract: Spec;
  /**
   * With --mock, the full layer (contract + mock's choice) as the choices the mock is
   * held to make it: a non-default value's x-mock-choice keywords lifted; else null.
   */
  full: Spec | null;
  /** The server's base URL, against which a relative `Location` is resolved. */
  baseUrl: string;
}

/**
 * A check applied to every response the run received (Schemathesis'
 * `status_code_conformance` and friends). Results are reported per operation.
 */
export interface ResponseCheck {
  name: string;
  family: Family;
  description: string;
  /** The section of contracts/CONTRACT.md the check enforces. */
  rule: string;
  /** Throws a CheckFailure for a response that breaks the rule. */
  apply(ctx: ResponseCheckContext, exchange: Exchange): void;
}

export function defineCheck(check: CheckDefinition): CheckDefinition {
  return check;
}
