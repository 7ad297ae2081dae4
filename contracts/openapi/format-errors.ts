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
  if (!errors || errors.length === 0) return `${subject} is invalid`;
  const byPath = new Map<string, { types: string[]; others: string[] }>();
  for (const error of errors) {
    if (error.keyword === 'oneOf' || error.keyword === 'anyOf' || error.keyword === 'propertyNames') continue;
    const entry = byPath.get(error.instancePath) ?? { types: [], others: [] };
    byPath.set(error.instancePath, entry);
    if (error.keyword === 'type') {
      const expected = (error.params as { type: string | string[] }).type;
      entry.types.push(...(Array.isArray(expected) ? expected : [expected]));
    } else {
      entry.others.push(describe(error));
    }
  }
  const sentences: string[] = [];
  const paths = [...byPath.keys()];
  for (const [path, entry] of byPath) {
    // The `null` branch of a nullable property fails for every non-null value:
    // when the value's own branch reported something more specific, that wins.
    const explainedElsewhere = entry.others.length > 0 || paths.some((p) => p.startsWith(`${path}/`));
    const types = explainedElsewhere ? entry.types.filter((t) => t !== 'null') : entry.types;
    const messages = types.length > 0 ? [`must be ${[...new Set(types)].join(' or ')}`] : entry.others;
    for (const message of new Set(messages)) sentences.push(`${where(subject, path)} ${message}`);
  }
  return sentences.length > 0 ? sentences.join('; ') : `${subject} is invalid`;
}

function where(subject: string, instancePath: string): string {
  if (instancePath === '') return subject;
  const dotted = instancePath
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  return `${subject} property ${dotted}`;
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
