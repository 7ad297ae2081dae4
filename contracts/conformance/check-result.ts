import type { CleanupReport } from '../cleanup/cleanup-ledger.ts';
import type { ServerProfile } from '../common/server-profile.ts';
import type { CoverageMatrix } from './coverage-matrix.ts';

/** The check families of the issue ("Checks"), plus transport rules that belong to no operation. */
export const FAMILIES = ['response', 'auth', 'behaviour', 'negative', 'isolation', 'mock-choice'] as const;
export type Family = (typeof FAMILIES)[number];

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface FailureDetails {
  /** `operationId METHOD path body`, or what failed when no request is to blame. */
  request: string;
  expected: string;
  actual: string;
  hint?: string;
  /** Response checks: how many responses broke the rule, of how many. */
  count?: { failed: number; of: number };
}

export interface CheckResult {
  /** Unique within a run: `operation/check`. */
  id: string;
  check: string;
  family: Family;
  /** An operationId of openapi.yaml, or `transport` for rules about no single operation. */
  operation: string;
  description: string;
  /** The section of contracts/CONTRACT.md the check enforces. */
  rule: string;
  status: CheckStatus;
  /** Why it failed (expected, actual, hint) or why it was skipped; empty when it passed. */
  message: string;
  /** A failure's parts, for one-line reports: the request, what was expected, what came back. */
  failure?: FailureDetails;
  durationMs: number;
}

// What clean-up did: the cleanup ledger's own report, shared with the Pact verifier.
export type { CleanupReport } from '../cleanup/cleanup-ledger.ts';

export interface ConformanceReport {
  /** True only when no check failed, nothing leaked and the run was not interrupted. */
  ok: boolean;
  interrupted: boolean;
  results: CheckResult[];
  coverage: CoverageMatrix;
  cleanup: CleanupReport;
  counts: Record<CheckStatus, number>;
  durationMs: number;
  baseUrl: string;
  /**
   * The legal choices the server was seen to make (contracts/common/server-profile.ts):
   * what `--profile-out` writes. Complete only with `profiling` (the informational probes).
   */
  profile: ServerProfile;
}
