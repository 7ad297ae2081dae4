import { loadSpec, type OperationId, type Spec } from './load-spec.ts';

/**
 * What openapi.yaml says a request may hold, read from the schemas as written:
 * the one derivation of request-side facts (which JSON types a field accepts,
 * which fields an update takes, a valid value of a field) that the conformance
 * suite's negative checks and the test corpus both build their requests from.
 */

/** A JSON Schema node of openapi.yaml, as written. */
export type SchemaNode = Record<string, unknown>;

/** Follows local `$ref`s within the spec (default: the full layer; the types of both layers are the same). */
export function resolveNode(node: unknown, spec: Spec = loadSpec()): SchemaNode {
  let current = node as SchemaNode;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`reference cycle at ${String(current.$ref)}`);
    let target: unknown = spec.document;
    for (const part of (current.$ref as string).slice(2).split('/')) target = (target as SchemaNode)[part];
    current = target as SchemaNode;
  }
  return current;
}

/** The request-body schema of an operation (resolved), or undefined when it takes no body. */
export function requestBodySchema(operationId: OperationId, spec: Spec = loadSpec()): SchemaNode | undefined {
  const op = spec.byId[operationId];
  const item = spec.document.paths[op.path] as Record<string, SchemaNode>;
  const body = item[op.method]?.requestBody;
  if (!body) return undefined;
  const content = resolveNode(body, spec).content as Record<string, { schema: unknown }>;
  return resolveNode(content['application/json']?.schema, spec);
}

/** The top-level properties of a component schema or a request body, by name (unresolved). */
export function propertiesOf(schema: SchemaNode | undefined): Record<string, unknown> {
  return (schema?.properties ?? {}) as Record<string, unknown>;
}

/** The alternatives a property accepts: its `oneOf`/`anyOf` branches, or itself. */
export function alternatives(node: unknown, spec: Spec = loadSpec()): SchemaNode[] {
  const schema = resolveNode(node, spec);
  const branches = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  return branches ? branches.flatMap((branch) => alternatives(branch, spec)) : [schema];
}

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
export const JSON_TYPES: JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

/** The JSON types some alternative of the property accepts (`number` means non-integer numbers here). */
export function acceptedTypes(node: unknown, spec: Spec = loadSpec()): Set<JsonType> {
  const accepted = new Set<JsonType>();
  for (const alt of alternatives(node, spec)) {
    const types = alt.type === undefined ? [] : ([] as string[]).concat(alt.type as string | string[]);
    for (const type of types) {
      if (type === 'number') accepted.add('number').add('integer');
      else accepted.add(type as JsonType);
    }
    for (const value of (alt.enum as unknown[] | undefined) ?? []) accepted.add(value === null ? 'null' : (typeof value as JsonType));
  }
  return accepted;
}

/** The JSON types a property does not accept: each a "field of the wrong type". */
export function wrongTypes(node: unknown, spec: Spec = loadSpec()): JsonType[] {
  const accepted = acceptedTypes(node, spec);
  return JSON_TYPES.filter((type) => !accepted.has(type));
}

/**
 * The fields a key's metadata, its create request or its create response name that an
 * update does not take (contracts/CONTRACT.md "Update": id, owner, key material, audit
 * fields, and create-only fields such as `labels`), each with the schema it has there.
 */
export function nonUpdatableFields(spec: Spec = loadSpec()): Record<string, unknown> {
  const schemas = spec.document.components.schemas as Record<string, SchemaNode>;
  const updatable = new Set(Object.keys(propertiesOf(requestBodySchema('updateApiKey', spec))));
  const named: Record<string, unknown> = {
    ...propertiesOf(requestBodySchema('createApiKey', spec)),
    ...propertiesOf(schemas.ApiKeyResponse),
    ...propertiesOf(schemas.CreateApiKeyResponse),
  };
  // The create response's wrapper is no field of a key.
  delete named.apiKeyMetadata;
  return Object.fromEntries(Object.entries(named).filter(([name]) => !updatable.has(name)));
}

/** A value the property accepts: the first documented example of its first non-null alternative. */
export function exampleOf(node: unknown, spec: Spec = loadSpec()): unknown {
  for (const alt of alternatives(node, spec)) {
    const examples = alt.examples as unknown[] | undefined;
    if (examples?.length) return examples[0];
    if (alt.example !== undefined) return alt.example;
  }
  throw new Error(`openapi.yaml documents no example for ${JSON.stringify(node)}`);
}

/** Whether some alternative of the property is a UUID (`format: uuid` or a UUID input). */
export function isUuidField(node: unknown, spec: Spec = loadSpec()): boolean {
  return alternatives(node, spec).some((alt) => alt.format === 'uuid' || /UUID/i.test(String(alt.title ?? '')));
}
