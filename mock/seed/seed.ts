import { createHash } from 'node:crypto';
import { displayPrefix, hashOfRawKey, DISPLAY_PREFIX_LENGTH } from '../service/key-material.ts';
import type { Permission, Role } from '../service/permissions.ts';
import type { StoreDocument } from '../store/store-document.ts';
import { newKeyRecord } from '../service/new-key-record.ts';

/** The identities the mock starts with: users and each one's raw dev key. */
export interface Seed {
  users: SeedUser[];
}

export interface SeedUser {
  userId: string;
  name: string;
  role: Role;
  /** An explicit permission set replacing the role's (`[]` = no permissions). */
  permissions?: Permission[] | null;
  /** The user's well-known raw key: `gm_` + 26 base32 characters. */
  apiKey: string;
}

/**
 * The store document for a seed. Each dev key becomes an ordinary key record
 * owned by its user, with an id derived from the key so that a reset or a
 * fresh start always yields the same ids. Their display prefix has the length
 * the mock shows (`keyPrefixLength`), but is always shorter than the dev key.
 */
export function seedDocument(seed: Seed, now: number, keyPrefixLength: number = DISPLAY_PREFIX_LENGTH): StoreDocument {
  const document: StoreDocument = { version: 1, users: {}, keys: {}, deletedIds: [] };
  for (const [index, user] of seed.users.entries()) {
    const keyHash = hashOfRawKey(user.apiKey);
    if (!keyHash) throw new Error(`seed user ${user.name}: apiKey is not a valid raw key`);
    document.users[user.userId] = { userId: user.userId, name: user.name, role: user.role, permissions: user.permissions ?? null };
    const apiKeyId = uuidFrom(keyHash);
    const key = newKeyRecord({
      apiKeyId,
      userId: user.userId,
      keyPrefix: displayPrefix(user.apiKey, keyPrefixLength),
      keyHash,
      labels: {},
      expiresAt: null,
      now,
    });
    // Numbered in seed order: the dev keys share one createdAt and list in this order.
    document.keys[apiKeyId] = { ...key, seq: index + 1 };
  }
  return document;
}

/** A version-4-shaped UUID derived from a key hash (never from the raw key itself). */
function uuidFrom(keyHash: string): string {
  const hex = createHash('sha256').update(`seed-key-id:${keyHash}`).digest('hex');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
