import type { components } from '../../contracts/generated/openapi.js';
import type { Permission, Role } from '../service/permissions.ts';
import type { ApiKeyResponse, StoredOnly } from './stored-key.ts';

type Schemas = components['schemas'];
export type Labels = Schemas['Labels'];

/**
 * One API key as stored: every field of the spec's `ApiKeyResponse`, each
 * present (an unset optional one is null, so every response holds every
 * field), plus the fields only the store keeps (stored-key.ts). Records are
 * replaced, never edited in place (except lastUsedAt), so an undo is "put the
 * old object back".
 */
export type StoredKey = Required<ApiKeyResponse> & StoredOnly;

/** A key before the store numbers it (insertKey gives it its `seq`). */
export type NewKey = Omit<StoredKey, 'seq'>;

export interface StoredUser {
  userId: string;
  name: string;
  role: Role;
  /** An explicit permission set; null means the role's permissions. */
  permissions: Permission[] | null;
}

/**
 * The whole persisted document: lowdb's `db.data` (the snapshot; changes
 * since it are in the journal beside it). Keys and users are keyed by their id.
 */
export interface StoreDocument {
  version: 1;
  users: Record<string, StoredUser>;
  keys: Record<string, StoredKey>;
  /**
   * Ids of deleted keys that stay taken (the `deletedIds: 'reserved'`
   * choice), oldest first: state like any other, journalled with the delete,
   * snapshotted, cleared by a reset. Absent in stores written before it (= none).
   */
  deletedIds: string[];
}
