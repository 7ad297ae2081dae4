import type { components } from '../../contracts/generated/openapi.js';
import type { Permission, Role } from '../service/permissions.ts';

type Schemas = components['schemas'];
export type Labels = Schemas['Labels'];
export type KeyStatus = Schemas['ApiKeyStatus'];

/**
 * One API key as stored: the response's metadata plus the SHA3-256 hash of the
 * key bytes (never the raw key). Records are replaced, never edited in place,
 * so an undo is "put the old object back".
 */
export interface StoredKey {
  apiKeyId: string;
  userId: string;
  keyPrefix: string;
  keyHash: string;
  status: KeyStatus;
  labels: Labels | null;
  expiresAt: number | null;
  lastUsedAt: number | null;
  createdAt: number;
  updatedAt: number;
  createdById: string;
  updatedById: string;
  /**
   * Stored only: the key's creation number in this store, never reused while
   * the key exists. Lists are ordered by createdAt, then by it, so the order
   * is a property of the data (the journal and the snapshot carry it), not of
   * the history of writes and rollbacks that led there.
   */
  seq: number;
}

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
