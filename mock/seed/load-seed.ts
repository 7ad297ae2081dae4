import { readFileSync } from 'node:fs';
import { createAjv } from '../../contracts/openapi/load-spec.ts';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import { RAW_KEY_PATTERN, hashOfRawKey } from '../service/key-material.ts';
import { PERMISSIONS, ROLES } from '../service/permissions.ts';
import type { Seed } from './seed.ts';

const validate = createAjv().compile({
  type: 'object',
  required: ['users'],
  additionalProperties: false,
  properties: {
    users: {
      type: 'array',
      items: {
        type: 'object',
        required: ['userId', 'name', 'role', 'apiKey'],
        additionalProperties: false,
        properties: {
          userId: { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' },
          name: { type: 'string', minLength: 1 },
          role: { enum: [...ROLES] },
          permissions: { type: ['array', 'null'], items: { enum: [...PERMISSIONS] } },
          apiKey: { type: 'string', pattern: RAW_KEY_PATTERN.source },
        },
      },
    },
  },
});

/** Reads and checks a `--seed FILE`; the error names the file and what is wrong. */
export function loadSeed(path: string): Seed {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`--seed ${path}: ${(error as Error).message}`);
  }
  if (!validate(data)) throw new Error(`--seed ${path}: ${formatErrors(validate.errors, 'seed')}`);
  const seed = data as Seed;
  const seen = new Set<string>();
  for (const user of seed.users) {
    if (!hashOfRawKey(user.apiKey))
      throw new Error(`--seed ${path}: user ${user.name} has an apiKey that is not canonical base32 of 16 bytes`);
    for (const unique of [`id:${user.userId}`, `key:${user.apiKey}`]) {
      if (seen.has(unique)) throw new Error(`--seed ${path}: duplicate ${unique.split(':')[0]} for user ${user.name}`);
      seen.add(unique);
    }
  }
  return seed;
}
