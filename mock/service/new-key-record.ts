import type { Labels, NewKey } from '../store/store-document.ts';
import { withUnsetFields } from '../store/stored-key.ts';

/**
 * A fresh key record: ACTIVE, never used, created and last changed by its owner
 * now (contracts/CONTRACT.md "Create": a created key always belongs to the caller).
 * Every other field of the spec's ApiKeyResponse is null until something sets it.
 */
export function newKeyRecord(fields: {
  apiKeyId: string;
  userId: string;
  keyPrefix: string;
  keyHash: string;
  labels: Labels;
  expiresAt: number | null;
  now: number;
}): NewKey {
  // Field by field, never a spread: nothing else (a raw key!) may reach the store.
  const { apiKeyId, userId, keyPrefix, keyHash, labels, expiresAt, now } = fields;
  return withUnsetFields({
    apiKeyId,
    userId,
    keyPrefix,
    keyHash,
    status: 'ACTIVE' as const,
    labels,
    expiresAt,
    lastUsedAt: null,
    createdAt: now,
    updatedAt: now,
    createdById: userId,
    updatedById: userId,
  });
}
