import { canonicalUuid } from '../../contracts/openapi/canonical-uuid.ts';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import type { CompiledOperation } from '../../contracts/openapi/load-spec.ts';
import { errors } from '../service/api-error.ts';

/**
 * The path id, checked against the spec's parameter schema (contracts/CONTRACT.md
 * "Ids": a UUID with all four hyphens or none, any case), as canonical lower-case
 * 8-4-4-4-12; anything else is a 400.
 */
export function canonicalId(op: CompiledOperation, raw: string): string {
  const param = op.pathParams[0];
  const canonical = param?.validate(raw) ? canonicalUuid(raw) : null;
  if (canonical === null) throw errors.invalidId(raw, formatErrors(param?.validate.errors, 'path parameter id'));
  return canonical;
}
