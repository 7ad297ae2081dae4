import { createAjv } from '../../contracts/openapi/load-spec.ts';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import { PERMISSIONS, ROLES } from '../service/permissions.ts';
import type { StoreDocument, StoredKey, StoredUser } from './store-document.ts';

// What a loaded snapshot or journal line must look like before the mock trusts
// it: one that does not match stops the start (never silently reset data).
const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
const ms = { type: 'integer', minimum: 0 };
const nullableMs = { type: ['integer', 'null'], minimum: 0 };
const userSchema = {
  type: 'object',
  required: ['userId', 'name', 'role', 'permissions'],
  properties: {
    userId: uuid,
    name: { type: 'string' },
    role: { enum: [...ROLES] },
    permissions: { type: ['array', 'null'], items: { enum: [...PERMISSIONS] } },
  },
};
const keySchema = {
  type: 'object',
  required: [
    'apiKeyId',
    'userId',
    'keyPrefix',
    'keyHash',
    'status',
    'labels',
    'expiresAt',
    'lastUsedAt',
    'createdAt',
    'updatedAt',
    'createdById',
    'updatedById',
  ],
  properties: {
    apiKeyId: uuid,
    userId: uuid,
    keyPrefix: { type: 'string' },
    keyHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
    status: { enum: ['ACTIVE', 'INACTIVE'] },
    labels: { type: ['object', 'null'], additionalProperties: { type: 'string' } },
    expiresAt: nullableMs,
    lastUsedAt: nullableMs,
    createdAt: ms,
    updatedAt: ms,
    createdById: uuid,
    updatedById: uuid,
    // Optional: stores written before it existed are numbered at load (number-keys.ts).
    seq: { type: 'integer', minimum: 1 },
  },
};
const deletedIdsSchema = { type: 'array', items: uuid };
const documentSchema = {
  type: 'object',
  required: ['version', 'users', 'keys'],
  properties: {
    version: { const: 1 },
    users: { type: 'object', additionalProperties: userSchema },
    keys: { type: 'object', additionalProperties: keySchema },
    // Optional: stores written before it reserved no ids.
    deletedIds: deletedIdsSchema,
  },
};

const ajv = createAjv();
const validateDocument = ajv.compile(documentSchema);
const validateKey = ajv.compile(keySchema);
const validateUser = ajv.compile(userSchema);
const validateLastUsed = ajv.compile({ type: 'object', additionalProperties: ms });
const validateDeletedIds = ajv.compile(deletedIdsSchema);

/** Throws a message naming what is wrong when `data` is not a store document. */
export function assertStoreDocument(data: unknown, subject = 'document'): asserts data is StoreDocument {
  if (!validateDocument(data)) throw new Error(formatErrors(validateDocument.errors, subject));
}

export function assertStoredKey(data: unknown, subject: string): asserts data is StoredKey {
  if (!validateKey(data)) throw new Error(formatErrors(validateKey.errors, subject));
}

export function assertStoredUser(data: unknown, subject: string): asserts data is StoredUser {
  if (!validateUser(data)) throw new Error(formatErrors(validateUser.errors, subject));
}

/** A touch line's `{ apiKeyId: lastUsedAt }` map. */
export function assertLastUsedMap(data: unknown, subject: string): asserts data is Record<string, number> {
  if (!validateLastUsed(data)) throw new Error(formatErrors(validateLastUsed.errors, subject));
}

/** A list of reserved ids of deleted keys. */
export function assertDeletedIds(data: unknown, subject: string): asserts data is string[] {
  if (!validateDeletedIds(data)) throw new Error(formatErrors(validateDeletedIds.errors, subject));
}
