import { isJsonObject as isObject } from './is-json-object.ts';
import { MOCK_CHOICE_KEY } from './spec-layer.ts';

/** The layer a constraint belongs to, as contracts/CONTRACT.md names it. */
export type ConstraintLayer = 'contract' | "mock's choice";

/** One keyword of one schema of `openapi.yaml`, e.g. `Timestamp` `minimum: 0` (contract). */
export interface SchemaConstraint {
  /** Where it applies: a component schema and the property path below it, e.g. `ApiKeyResponse.keyPrefix`, `Labels (keys)`. */
  where: string;
  /** The keyword and its value as one line, e.g. `maxProperties: 10`. */
  constraint: string;
  layer: ConstraintLayer;
}

// Words that say nothing a server must do: documentation, examples, vendor keys.
const ANNOTATIONS = new Set(['description', 'summary', 'title', 'examples', 'example', 'deprecated', '$comment']);

/**
 * Every constraint of the document, each with its layer: what a schema-driven
 * tool holds a server to. Walks the component schemas, path parameters,
 * response headers and whether a request body is required. A `$ref` is listed
 * as the name it refers to; that schema's own constraints are listed under its name.
 * Used to keep contracts/CONTRACT.md "Schema constraints" in step with the spec.
 */
export function schemaConstraints(document: SpecDocument): SchemaConstraint[] {
  const found: SchemaConstraint[] = [];
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) visit(schema, name, 'contract', found);
  for (const parameter of Object.values(document.components?.parameters ?? {})) {
    visit(parameter.schema, `${parameter.in} parameter ${parameter.name}`, 'contract', found);
  }
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      if (!isObject(operation) || typeof operation.operationId !== 'string') continue;
      const id = operation.operationId;
      const body = operation.requestBody as { required?: boolean } | undefined;
      if (body?.required !== undefined)
        found.push({ where: `${id} request body`, constraint: `required: ${body.required}`, layer: 'contract' });
      for (const [status, response] of Object.entries(
        (operation.responses ?? {}) as Record<string, { headers?: Record<string, Header> }>,
      )) {
        for (const [header, definition] of Object.entries(response.headers ?? {})) {
          const where = `${id} ${status} ${header} header`;
          if (definition.required !== undefined) found.push({ where, constraint: `required: ${definition.required}`, layer: 'contract' });
          visit(definition.schema, where, 'contract', found);
        }
      }
    }
  }
  return found;
}

/** A constraint as one table cell, the way contracts/CONTRACT.md writes it. */
function describeValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (isObject(value) && typeof value.$ref === 'string') return refName(value.$ref);
  if (isObject(value) && value.type === 'null' && Object.keys(value).length === 1) return 'null';
  if (isObject(value)) return JSON.stringify(withoutAnnotations(value));
  return String(value);
}

function visit(schema: unknown, where: string, layer: ConstraintLayer, found: SchemaConstraint[]): void {
  if (!isObject(schema)) return;
  for (const [keyword, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(keyword)) continue;
    if (keyword === MOCK_CHOICE_KEY) visit(value, where, "mock's choice", found);
    else if (keyword.startsWith('x-')) continue;
    else if (keyword === 'properties')
      for (const [name, sub] of Object.entries(value as object)) visit(sub, `${where}.${name}`, layer, found);
    else if (keyword === 'items') visit(value, `${where}[]`, layer, found);
    else if (keyword === 'propertyNames') visit(value, `${where} (keys)`, layer, found);
    else if (keyword === 'additionalProperties' && isObject(value)) visit(value, `${where} (values)`, layer, found);
    else if (keyword === '$ref') found.push({ where, constraint: `$ref: ${refName(value as string)}`, layer });
    else found.push({ where, constraint: `${keyword}: ${describeValue(value)}`, layer });
  }
}

function withoutAnnotations(schema: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!ANNOTATIONS.has(key)) out[key] = isObject(value) ? withoutAnnotations(value) : value;
  }
  return out;
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

interface Header {
  required?: boolean;
  schema?: unknown;
}

/** The parts of an OpenAPI document the inventory reads. */
export interface SpecDocument {
  paths?: Record<string, Record<string, unknown>>;
  components?: {
    schemas?: Record<string, unknown>;
    parameters?: Record<string, { name: string; in: string; schema?: unknown }>;
  };
}
