/**
 * The behaviours contracts/CONTRACT.md marks "mock's choice" that are not a
 * schema constraint (those sit in openapi.yaml's `x-mock-choice` blocks). The
 * defaults are the mock's; each can be flipped to the other legal way, which
 * the conformance suite's own tests use as "a correct server that is not the mock".
 */
export interface MockChoices {
  /** Unknown fields in a create or update body: 400 (default) or dropped before validation (200, nothing changed). */
  rejectUnknownFields: boolean;
  listOrder: 'oldest-first' | 'newest-first';
  /** Updating/deleting someone else's key without the _ANY permission. */
  foreignKeyStatus: 403 | 404;
  /** Whether an update that changes nothing still moves updatedAt. */
  touchUpdatedAtOnNoop: boolean;
  /**
   * Whether the id of a deleted key stays taken (a create naming it is 409).
   * Default false: a deleted key's id may be chosen again. Kept in memory only.
   */
  reserveDeletedIds: boolean;
}

export const DEFAULT_CHOICES: MockChoices = {
  rejectUnknownFields: true,
  listOrder: 'oldest-first',
  foreignKeyStatus: 403,
  touchUpdatedAtOnNoop: false,
  reserveDeletedIds: false,
};
