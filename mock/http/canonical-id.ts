import { canonicalUuid } from '../../contracts/openapi/canonical-uuid.ts';
import { fieldErrors, formatErrors } from '../../contracts/openapi/format-errors.ts';
import type { CompiledOperation } from '../../contracts/openapi/load-spec.ts';
import { errors } from '../service/api-error.ts';

/**
 * The path id, checked against the spec's parameter schema, as canonical
 * lower-case 8-4-4-4-12; anything the schema refuses is a 400. The schema is the
 * full layer the mock's choices make (contracts/CONTRACT.md "Ids"): by default a
 * UUID with all four hyphens or none, any case; with `partialHyphenIds: 'accepted'`
 * that x-mock-choice pattern is lifted and hyphens may sit anywhere between the 32
 * digits, read as the 2025 GoodMem server reads them (every hyphen dropped).
 */
export function canonicalId(op: CompiledOperation, raw: string): string {
  const param = op.pathParams[0];
  const canonical = param?.validate(raw) ? canonicalUuid(raw) : null;
  if (canonical === null) {
    const problems = fieldErrors(param?.validate.errors, 'id');
    throw errors.invalidId(raw, formatErrors(param?.validate.errors, 'path parameter id'), problems?.map((p) => p.message).join('; '));
  }
  return canonical;
}
