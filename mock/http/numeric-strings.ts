import type { Spec } from '../../contracts/openapi/load-spec.ts';
import { requestBodySchema, resolveNode } from '../../contracts/openapi/request-schema.ts';
import { echo, errors } from '../service/api-error.ts';
import type { MockChoices } from '../service/mock-choices.ts';

/** A property path of a body; `*` stands for every key of a map or every item of an array. */
type Path = readonly string[];

/** A decimal integer, as Jackson reads one from a string where an integer belongs. */
const NUMERIC = /^-?\d+$/;

/**
 * Numbers sent as strings (contracts/CONTRACT.md "Transport"): GoodMem's server
 * reads bodies with Jackson, whose default reads `"expiresAt": "1735689600000"`
 * as the integer it spells. The mock does the same (`numericStrings:
 * 'accepted'`, the default) or refuses it with a 400 naming the field
 * (`'refused'`, `--strict`).
 *
 * Which fields this concerns is read from the operation's body schema in
 * openapi.yaml, once: every position whose schema admits an integer and not a
 * string. The returned function runs before validation, on every body, so the
 * validator, the rules and the store all see the number.
 *
 * @example
 * const coerce = numericStrings(spec, spec.byId.createApiKey, 'accepted');
 * coerce({ expiresAt: '1735689600000' }); // { expiresAt: 1735689600000 }
 */
export function numericStrings(
  spec: Spec,
  op: Spec['operations'][number],
  choice: MockChoices['numericStrings'],
): (body: unknown) => unknown {
  const schema = requestBodySchema(op.operationId, spec);
  const paths = schema === undefined ? [] : integerPaths(spec, schema);
  if (paths.length === 0) return (body) => body;
  return (body) => {
    for (const path of paths) body = coerceAt(body, path, [], choice);
    return body;
  };
}

function coerceAt(value: unknown, path: Path, at: string[], choice: MockChoices['numericStrings']): unknown {
  if (path.length === 0) {
    if (typeof value !== 'string' || !NUMERIC.test(value)) return value;
    const field = at.join('.');
    if (choice === 'refused')
      throw errors.invalidField(
        field,
        `must be an integer, not the string ${echo(value)}: numbers sent as strings are refused here (--strict, or numericStrings: refused); GoodMem's server reads such a string as the number`,
      );
    const number = Number(value);
    // Past 2^53 a double cannot hold the integer the text spells: never store a neighbour of it.
    if (!Number.isSafeInteger(number))
      throw errors.invalidField(field, `must be an integer of at most ${Number.MAX_SAFE_INTEGER}, got ${echo(value)}`);
    return number;
  }
  if (value === null || typeof value !== 'object') return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (Array.isArray(value)) return head === '*' ? value.map((item, i) => coerceAt(item, rest, [...at, String(i)], choice)) : value;
  const object = value as Record<string, unknown>;
  const names = head === '*' ? Object.keys(object) : Object.hasOwn(object, head) ? [head] : [];
  if (names.length === 0) return value;
  // A copy with own properties only: a key named __proto__ stays data.
  const copy: Record<string, unknown> = Object.fromEntries(Object.entries(object));
  for (const name of names) {
    const coerced = coerceAt(object[name], rest, [...at, name], choice);
    if (coerced !== object[name])
      Object.defineProperty(copy, name, { value: coerced, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

/**
 * Every path under `schema` at which an integer is admitted and a string is
 * not. A position counts its types over all the alternatives that apply there
 * (oneOf, anyOf, allOf), so a field that may be a string is never touched.
 */
function integerPaths(spec: Spec, schema: unknown): Path[] {
  const types = new Map<string, { path: Path; types: Set<string> }>();
  const visit = (node: unknown, path: Path, depth: number) => {
    if (!node || typeof node !== 'object' || depth > 16) return;
    const s = resolveNode(node, spec);
    const key = path.join('\u0000');
    const entry = types.get(key) ?? { path, types: new Set<string>() };
    types.set(key, entry);
    const declared = s.type;
    for (const type of Array.isArray(declared) ? declared : declared === undefined ? [] : [declared]) entry.types.add(String(type));
    for (const combinator of ['oneOf', 'anyOf', 'allOf'] as const)
      for (const branch of (s[combinator] as unknown[] | undefined) ?? []) visit(branch, path, depth + 1);
    for (const [name, sub] of Object.entries((s.properties as Record<string, unknown> | undefined) ?? {}))
      visit(sub, [...path, name], depth + 1);
    if (s.additionalProperties && typeof s.additionalProperties === 'object') visit(s.additionalProperties, [...path, '*'], depth + 1);
    if (s.items && typeof s.items === 'object') visit(s.items, [...path, '*'], depth + 1);
  };
  visit(schema, [], 0);
  return [...types.values()]
    .filter(({ path, types: t }) => path.length > 0 && t.has('integer') && !t.has('string'))
    .map(({ path }) => path);
}
