import { createAjv } from '../../contracts/spec/load-spec.ts';
import { formatErrors } from '../../contracts/spec/format-errors.ts';
import { PERMISSIONS, ROLES } from '../service/permissions.ts';
import type { StoreDocument } from './store-document.ts';

// What a loaded db file must look like before the mock trusts it: a file that
// does not match stops the start (DESIGN.md: never silently reset data).
const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };
const ms = { type: 'integer', minimum: 0 };
const nullableMs = { type: ['integer', 'null'], minimum: 0 };
const schema = {
  type: 'object',
  required: ['version', 'users', 'keys'],
  properties: {
    version: { const: 1 },
    users: {
      type: 'object',
      additionalProperties: {
        type: 'object',
        required: ['userId', 'name', 'role', 'permissions'],
        properties: {
          userId: uuid,
          name: { type: 'string' },
          role: { enum: [...ROLES] },
          permissions: { type: ['array', 'null'], items: { enum: [...PERMISSIONS] } },
        },
      },
    },
    keys: {
      type: 'object',
      additionalProperties: {
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
        },
      },
    },
  },
};

const validate = createAjv().compile(schema);

/** Throws a message naming what is wrong when `data` is not a store document. */
export function assertStoreDocument(data: unknown): asserts data is StoreDocument {
  if (!validate(data)) throw new Error(formatErrors(validate.errors, 'document'));
}
