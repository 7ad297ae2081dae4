/**
 * The behaviours API-CONTRACT.md marks "mock's choice". The defaults are the
 * mock's; each can be flipped to the other legal way, which the conformance
 * suite's own tests use as "a correct server that is not the mock".
 */
export interface MockChoices {
  /** Unknown fields in a create body: 400 (default) or silently ignored. (On update they are always 400.) */
  rejectUnknownFields: boolean;
  listOrder: 'oldest-first' | 'newest-first';
  /** Updating/deleting someone else's key without the _ANY permission. */
  foreignKeyStatus: 403 | 404;
  /** Whether an update that changes nothing still moves updatedAt. */
  touchUpdatedAtOnNoop: boolean;
}

export const DEFAULT_CHOICES: MockChoices = {
  rejectUnknownFields: true,
  listOrder: 'oldest-first',
  foreignKeyStatus: 403,
  touchUpdatedAtOnNoop: false,
};
