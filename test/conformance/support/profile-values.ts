import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ServerProfile } from '../../../contracts/common/server-profile.ts';

/** The observed value of every choice a profile observed. */
export function observedValues(profile: ServerProfile): Record<string, unknown> {
  return Object.fromEntries(Object.entries(profile.choices).flatMap(([name, entry]) => (entry.observed ? [[name, entry.value]] : [])));
}

/** The JSON Schema the package ships for profiles (contracts/conformance/server-profile.schema.json), compiled. */
export const validateProfile = new Ajv2020({ strict: true }).compile(
  JSON.parse(
    readFileSync(fileURLToPath(new URL('../../../contracts/conformance/server-profile.schema.json', import.meta.url)), 'utf8'),
  ) as object,
);
