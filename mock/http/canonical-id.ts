import type { CompiledOperation } from '../../contracts/spec/load-spec.ts';
import { errors } from '../service/api-error.ts';

/**
 * The path id, checked against the spec's parameter pattern (contracts/CONTRACT.md
 * "Ids": a UUID with or without hyphens, any case), as canonical lower-case
 * 8-4-4-4-12; anything else is a 400.
 */
export function canonicalId(op: CompiledOperation, raw: string): string {
  const param = op.pathParams[0];
  if (!param || !param.validate(raw)) throw errors.invalidId(raw);
  const hex = raw.replace(/-/g, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
