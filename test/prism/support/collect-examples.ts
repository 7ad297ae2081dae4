import type { ValidateFunction } from 'ajv';
import { createAjv } from '../../../contracts/openapi/load-spec.ts';

export interface DocumentedExample {
  /** JSON pointer of the example inside the document, e.g. `/paths/~1v1~1apikeys/post/…/examples/empty/value`. */
  where: string;
  value: unknown;
  /** Validates `value` against the schema the example illustrates. */
  validate: ValidateFunction;
}

// Keywords whose values are data, never schemas or OpenAPI objects.
const DATA = new Set(['example', 'examples', 'value', 'default', 'const', 'enum']);
const SPEC_ID = 'prism-examples.yaml';

/**
 * Every example of an OpenAPI 3.1 document, found by walking it rather than
 * listed by hand: media-type, parameter and header examples (`example` or the
 * `examples` map, checked against the object's `schema`) and JSON Schema
 * `examples` arrays (checked against the schema that holds them). Prism serves
 * these in its static mock and prints path-parameter examples at start-up.
 */
export function collectExamples(document: object): DocumentedExample[] {
  const ajv = createAjv();
  // The whole document, so `$ref`s inside compiled fragments resolve as written;
  // its top-level OpenAPI fields are declared so strict mode accepts the root.
  for (const key of Object.keys(document)) if (!ajv.RULES.keywords[key]) ajv.addKeyword(key);
  ajv.addSchema({ ...document, $id: SPEC_ID } as object);
  const validatorAt = (pointer: string) => ajv.compile({ $ref: `${SPEC_ID}#${pointer}` });
  const found: DocumentedExample[] = [];

  const walk = (node: unknown, pointer: string, inSchema: boolean): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((child, i) => walk(child, `${pointer}/${i}`, inSchema));
    const record = node as Record<string, unknown>;
    if (!inSchema && record.schema && typeof record.schema === 'object') {
      // A media type, parameter or header object.
      const examples =
        record.example !== undefined
          ? [['example', record.example]]
          : Object.entries(record.examples ?? {}).map(([name, ex]) => [
              `examples/${escape(name)}/value`,
              (ex as { value?: unknown }).value,
            ]);
      for (const [where, value] of examples)
        found.push({ where: `${pointer}/${String(where)}`, value, validate: validatorAt(`${pointer}/schema`) });
    }
    if (inSchema && Array.isArray(record.examples)) {
      record.examples.forEach((value, i) => found.push({ where: `${pointer}/examples/${i}`, value, validate: validatorAt(pointer) }));
    }
    for (const [key, child] of Object.entries(record)) {
      if (DATA.has(key)) continue;
      walk(child, `${pointer}/${escape(key)}`, inSchema || key === 'schema' || key === 'schemas');
    }
  };
  walk(document, '', false);
  return found;
}

function escape(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
