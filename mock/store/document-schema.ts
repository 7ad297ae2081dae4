import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { createAjv } from '../../contracts/openapi/load-spec.ts';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
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
  const deletedId = uuid;
  const document = {
    type: 'object',
    required: ['version', 'users', 'keys'],
    properties: {
      version: { const: 1 },
      users: { type: 'object', additionalProperties: user },
      keys: { type: 'object', additionalProperties: key },
      // Optional: stores written before it reserved no ids.
      deletedIds: { type: 'array', items: deletedId },
      // The writer's checksum (write-snapshot.ts); checked only in the writer's own layout.
      integrity: { type: 'object' },
    },
  };
  const lastUsedAt = { type: 'object', additionalProperties: specSchema('Timestamp') };
  return { document, key, user, lastUsedAt, deletedId };
}

type Name = keyof ReturnType<typeof schemas>;
interface Compilation {
  ajv: Ajv2020;
  validators: Partial<Record<Name, ValidateFunction>>;
}
let all: ReturnType<typeof schemas> | undefined;
let fast: Compilation | undefined;
let explaining: Compilation | undefined;

/**
 * Two compilations of the same schemas, each on first use. Start-up checks
 * every record of a big store (100,000 keys), so the one that decides stops at
 * the first error and skips `format` (the spec's ids carry a stricter
 * `pattern` beside `format: uuid`, its times `type: integer` and `minimum`);
 * only a record it refuses is checked again, with every error, to say what is wrong.
 */
function compiled(name: Name, which: 'fast' | 'explaining'): ValidateFunction {
  const compilation =
    which === 'fast' ? (fast ??= { ajv: fastAjv(), validators: {} }) : (explaining ??= { ajv: createAjv(), validators: {} });
  all ??= schemas();
  return (compilation.validators[name] ??= compilation.ajv.compile(all[name]));
}

function fastAjv(): Ajv2020 {
  const { Ajv2020: Ajv } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const ajv = new Ajv({ strict: true, strictRequired: false, validateFormats: false });
  // OpenAPI keywords that may sit beside JSON Schema keywords (as createAjv allows).
  ajv.addVocabulary(['components', 'example', 'discriminator', 'xml', 'externalDocs']);
  return ajv;
}

/** Whether a record of a snapshot section is valid (the writer's check; it says nothing of why). */
export function isValidRecord(kind: 'user' | 'key' | 'deletedId', data: unknown): boolean {
  return compiled(kind, 'fast')(data) as boolean;
}

let fingerprint: string | undefined;

/**
 * A short hash of the schemas records are checked against: a snapshot written
 * under other schemas (another version of openapi.yaml) is checked record by
 * record, whatever its checksum says.
 */
export function schemaFingerprint(): string {
  all ??= schemas();
  const { key, user, deletedId } = all;
  fingerprint ??= createHash('sha256').update(JSON.stringify({ key, user, deletedId })).digest('hex').slice(0, 16);
  return fingerprint;
}

function check(name: Name, data: unknown, subject: string): void {
  if (compiled(name, 'fast')(data)) return;
  const explain = compiled(name, 'explaining');
  explain(data);
  throw new Error(formatErrors(explain.errors, subject));
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

/** One reserved id of a deleted key. */
export function assertDeletedId(data: unknown, subject: string): asserts data is string {
  check('deletedId', data, subject);
}
