import type { CheckDefinition } from '../check-definition.ts';
import { authChecks } from './auth-checks.ts';
import { behaviourChecks } from './behaviour-checks.ts';
import { clientIdChecks } from './client-id-checks.ts';
import { isolationChecks } from './isolation-checks.ts';
import { mockChoiceChecks } from './mock-choice-checks.ts';
import { negativeChecks } from './negative-checks.ts';
import { transportChecks } from './transport-checks.ts';

export { responseChecks } from './response-checks.ts';

/** Every check that sends its own requests, by family. */
export const allChecks: readonly CheckDefinition[] = [
  ...transportChecks,
  ...authChecks,
  ...behaviourChecks,
  ...clientIdChecks,
  ...negativeChecks,
  ...isolationChecks,
  ...mockChoiceChecks,
];
