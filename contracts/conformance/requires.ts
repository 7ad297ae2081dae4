import { CheckSkipped } from './check-failure.ts';
import { CREDENTIAL_INFO, type Credential } from './conformance-options.ts';
import type { CheckContext } from './check-context.ts';

/**
 * A precondition beyond credentials: the mock's control plane, permission to wait,
 * or a run that probes the server's legal choices (`probing`: --mock or --profile-out).
 */
export type Precondition = Credential | 'mock' | 'mockClock' | 'mockClockOrSlow' | 'probing';

/**
 * Turns a missing credential or precondition into a reported skip, never a pass.
 *
 * @example
 * requires(ctx, 'otherApiKey'); // skipped with "needs --other-api-key (a second ordinary user)"
 */
export function requires(ctx: CheckContext, ...preconditions: Precondition[]): void {
  for (const precondition of preconditions) {
    const reason = missing(ctx, precondition);
    if (reason) throw new CheckSkipped(reason);
  }
}

function missing(ctx: CheckContext, precondition: Precondition): string | null {
  const { options } = ctx;
  switch (precondition) {
    case 'mock':
      return options.mock ? null : 'a mock\'s choice (contracts/CONTRACT.md "Mock\'s choices"): runs only with --mock';
    case 'probing':
      return options.mock || options.profiling
        ? null
        : 'a mock\'s choice (contracts/CONTRACT.md "Mock\'s choices"): runs only with --mock or --profile-out';
    case 'mockClock':
      return options.mock && options.adminToken ? null : "needs --mock with --admin-token (the mock's clock)";
    case 'mockClockOrSlow':
      return (options.mock && options.adminToken) || options.slow
        ? null
        : "needs --mock with --admin-token (the mock's clock) or --slow (waits in real time)";
    default:
      return options[precondition] ? null : `needs ${CREDENTIAL_INFO[precondition].flag} (${CREDENTIAL_INFO[precondition].role})`;
  }
}
