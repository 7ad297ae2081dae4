import { canonicalUuid } from '../../contracts/openapi/canonical-uuid.ts';
import { fieldErrors, formatErrors } from '../../contracts/openapi/format-errors.ts';
import type { CompiledOperation } from '../../contracts/openapi/load-spec.ts';
import { errors } from '../service/api-error.ts';
import type { MockChoices } from '../service/mock-choices.ts';

/**
 * The path id, checked against the spec's parameter schema (contracts/CONTRACT.md
 * "Ids": a UUID with all four hyphens or none, any case), as canonical lower-case
 * 8-4-4-4-12; anything else is a 400. With `partialHyphenIds: 'accepted'` the id
 * is read as the 2025 GoodMem server reads it: every hyphen stripped first, so
 * only the 32 hex digits have to pass the same schema.
 */
export function canonicalId(op: CompiledOperation, raw: string, partialHyphenIds: MockChoices['partialHyphenIds']): string {
  const param = op.pathParams[0];
  const read = partialHyphenIds === 'accepted' ? raw.replace(/-/g, '') : raw;
  const canonical = param?.validate(read) ? canonicalUuid(read) : null;
  if (canonical === null) {
    const problems = fieldErrors(param?.validate.errors, 'id');
    throw errors.invalidId(raw, formatErrors(param?.validate.errors, 'path parameter id'), problems?.map((p) => p.message).join('; '));
  }
  return canonical;
}
