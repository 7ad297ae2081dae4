/**
 * The mock's side of the legal-choice table (contracts/common/server-choices.ts):
 * every behaviour contracts/CONTRACT.md marks "mock's choice" that is not a
 * schema constraint (those sit in openapi.yaml's `x-mock-choice` blocks). The
 * defaults are the mock's; each can be switched to another legal value, which
 * the conformance suite's own tests use as "a correct server that is not the mock".
 */
export { DEFAULT_CHOICES, STRICT_CHOICES, type ServerChoices as MockChoices } from '../../contracts/common/server-choices.ts';
