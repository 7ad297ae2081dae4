import { createAjv } from '../../contracts/openapi/load-spec.ts';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { PERMISSIONS, ROLES } from '../service/permissions.ts';
import type { StoreDocument, StoredKey, StoredUser } from './store-document.ts';
import { specSchema, storedKeySchema } from './stored-key.ts';

// What a loaded snapshot or journal line must look like before the mock trusts
// it: one that does not match stops the start (never silently reset data).
// Keys are the spec's ApiKeyResponse plus the stored-only fields (stored-key.ts);
// ids and times are the spec's Uuid and Timestamp; users are the mock's own.
function schemas() {
  const uuid = specSchema('Uuid');
  const user = {
    type: 'object',
    required: ['userId', 'name', 'role', 'permissions'],
    properties: {
      userId: uuid,
      name: { type: 'string' },
      role: { enum: [...ROLES] },
      permissions: { type: ['array', 'null'], items: { enum: [...PERMISSIONS] } },
    },
  };
  const key = storedKeySchema();
  const deletedIds = { type: 'array', items: uuid };
  const document = {
    type: 'object',
    required: ['version', 'users', 'keys'],
    properties: {
      version: { const: 1 },
      users: { type: 'object', additionalProperties: user },
      keys: { type: 'object', additionalProperties: key },
      // Optional: stores written before it reserved no ids.
      deletedIds,
    },
  };
  const lastUsedAt = { type: 'object', additionalProperties: specSchema('Timestamp') };
  return { document, key, user, lastUsedAt, deletedIds };
}

type Validators = { [Name in keyof ReturnType<typeof schemas>]: ValidateFunction };
let validators: Validators | undefined;

/** Compiled once, on first use. */
function validator(name: keyof Validators): ValidateFunction {
  if (!validators) {
    const ajv = createAjv();
    validators = Object.fromEntries(Object.entries(schemas()).map(([n, schema]) => [n, ajv.compile(schema)])) as Validators;
  }
  return validators[name];
}

function check(name: keyof Validators, data: unknown, subject: string): void {
  const validate = validator(name);
  if (!validate(data)) throw new Error(formatErrors(validate.errors, subject));
}

/** Throws a message naming what is wrong when `data` is not a store document. */
export function assertStoreDocument(data: unknown, subject = 'document'): asserts data is StoreDocument {
  check('document', data, subject);
}

export function assertStoredKey(data: unknown, subject: string): asserts data is StoredKey {
  check('key', data, subject);
}

export function assertStoredUser(data: unknown, subject: string): asserts data is StoredUser {
  check('user', data, subject);
}

/** A touch line's `{ apiKeyId: lastUsedAt }` map. */
export function assertLastUsedMap(data: unknown, subject: string): asserts data is Record<string, number> {
  check('lastUsedAt', data, subject);
}

/** A list of reserved ids of deleted keys. */
export function assertDeletedIds(data: unknown, subject: string): asserts data is string[] {
  check('deletedIds', data, subject);
}
