import type { ErrorObject } from 'ajv';

/**
 * Turns ajv errors into one sentence that begins with the path, e.g.
 * `request body property labels.x must be string`.
 *
 * ajv reports every branch of a nullable `oneOf` ("must be object", "must be
 * null", "must match exactly one schema"). Per path, a type mismatch explains
 * the rest away, so it is reported alone and its types are merged
 * ("must be object or null"); the oneOf wrapper itself is never reported.
 */
export function formatErrors(errors: ErrorObject[] | null | undefined, subject: string): string {
  const problems = describeErrors(errors);
  if (problems.length === 0) return `${subject} is invalid`;
  return problems.map(({ path, message }) => `${where(subject, path)} ${message}`).join('; ');
}

/** One problem ajv found: where (a JSON pointer into the instance, '' for the whole of it) and what. */
interface Problem {
  path: string;
  message: string;
  keyword: string;
}

/**
 * The same problems as one entry per field, for a server that answers field
 * validation as `{"errors": [{"field", "message"}]}` (contracts/CONTRACT.md
 * "Transport"): `field` is the dotted property path (`labels.x`). Null when a
 * problem is not about one field (the whole body, or an unknown field, which a
 * Jackson-based server refuses while reading the body, before any validation).
 * `self` names the instance itself when it is one field (a path parameter).
 */
export function fieldErrors(errors: ErrorObject[] | null | undefined, self?: string): { field: string; message: string }[] | null {
  const problems = describeErrors(errors);
  const named = (path: string) => (path === '' ? self : dotted(path));
  if (problems.length === 0 || problems.some((p) => named(p.path) === undefined || p.keyword === 'additionalProperties')) return null;
  return problems.map(({ path, message }) => ({ field: named(path)!, message }));
}

function describeErrors(errors: ErrorObject[] | null | undefined): Problem[] {
  if (!errors || errors.length === 0) return [];
  const byPath = new Map<string, { types: string[]; others: { message: string; keyword: string }[] }>();
  for (const error of withoutDisplaced(errors)) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'propertyNames') continue;
    const entry = byPath.get(error.instancePath) ?? { types: [], others: [] };
    byPath.set(error.instancePath, entry);
    if (error.keyword === 'type') {
      const expected = (error.params as { type: string | string[] }).type;
      entry.types.push(...(Array.isArray(expected) ? expected : [expected]));
    } else {
      entry.others.push({ message: describe(error), keyword: error.keyword });
    }
  }
  const problems: Problem[] = [];
  const paths = [...byPath.keys()];
  for (const [path, entry] of byPath) {
    // The `null` branch of a nullable property fails for every non-null value:
    // when the value's own branch reported something more specific, that wins.
    const explainedElsewhere = entry.others.length > 0 || paths.some((p) => p.startsWith(`${path}/`));
    const types = explainedElsewhere ? entry.types.filter((t) => t !== 'null') : entry.types;
    const messages = types.length > 0 ? [{ message: `must be ${[...new Set(types)].join(' or ')}`, keyword: 'type' }] : entry.others;
    const seen = new Set<string>();
    for (const { message, keyword } of messages) {
      if (seen.has(message)) continue;
      seen.add(message);
      problems.push({ path, message, keyword });
    }
  }
  return problems;
}

/**
 * Where the full layer tightens a contract keyword, the contract's value sits in
 * `allOf` beside the mock's (spec-layer.ts); a value that breaks both is reported
 * once, by the tighter mock's keyword, whose message says all.
 */
function withoutDisplaced(errors: ErrorObject[]): ErrorObject[] {
  const at = new Set(errors.map((e) => `${e.instancePath} ${e.schemaPath}`));
  return errors.filter((e) => {
    const displaced = /^(.*)\/allOf\/\d+\/([^/]+)$/.exec(e.schemaPath);
    return !(displaced && displaced[2] === e.keyword && at.has(`${e.instancePath} ${displaced[1]}/${displaced[2]}`));
  });
}

function where(subject: string, instancePath: string): string {
  return instancePath === '' ? subject : `${subject} property ${dotted(instancePath)}`;
}

/** `/labels/a~1b` → `labels.a/b`. */
function dotted(instancePath: string): string {
  return instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  // Errors raised inside `propertyNames` carry the offending key.
  const key = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (key !== undefined)
    return `has a key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)} that ${error.message ?? 'is invalid'}`;
  switch (error.keyword) {
    case 'additionalProperties':
      return `must not have property ${String(params.additionalProperty)}`;
    case 'required':
      return `must have property ${String(params.missingProperty)}`;
    case 'pattern': {
      // A pattern says little to a reader; the schema's title says what it means.
      const title = (error.parentSchema as { title?: string } | undefined)?.title;
      return title ? `must be ${title}` : (error.message ?? 'is invalid');
    }
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not': {
      const description = (error.parentSchema as { not?: { description?: string } } | undefined)?.not?.description;
      return description ? `must not have ${description}` : 'must not match the excluded schema';
    }
    default:
      return error.message ?? 'is invalid';
  }
}
