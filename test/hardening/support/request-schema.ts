import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';

/** A JSON Schema node of openapi.yaml, as written. */
export type SchemaNode = Record<string, unknown>;

/** Follows local `$ref`s within openapi.yaml. */
export function resolveNode(node: unknown): SchemaNode {
  let current = node as SchemaNode;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`reference cycle at ${String(current.$ref)}`);
    let target: unknown = loadSpec().document;
    for (const part of (current.$ref as string).slice(2).split('/')) target = (target as SchemaNode)[part];
    current = target as SchemaNode;
  }
  return current;
}

/** The request-body schema of an operation (resolved), or undefined when it takes no body. */
export function requestBodySchema(operationId: OperationId): SchemaNode | undefined {
  const op = loadSpec().byId[operationId];
  const item = loadSpec().document.paths[op.path] as Record<string, SchemaNode>;
  const body = item[op.method]?.requestBody;
  if (!body) return undefined;
  const content = resolveNode(body).content as Record<string, { schema: unknown }>;
  return resolveNode(content['application/json']?.schema);
}

/** The alternatives a property accepts: its `oneOf`/`anyOf` branches, or itself. */
export function alternatives(node: unknown): SchemaNode[] {
  const schema = resolveNode(node);
  const branches = (schema.oneOf ?? schema.anyOf) as unknown[] | undefined;
  return branches ? branches.flatMap(alternatives) : [schema];
}

export type JsonType = 'null' | 'boolean' | 'integer' | 'number' | 'string' | 'array' | 'object';
export const JSON_TYPES: JsonType[] = ['null', 'boolean', 'integer', 'number', 'string', 'array', 'object'];

/** The JSON types some alternative of the property accepts (`number` means non-integer numbers here). */
export function acceptedTypes(node: unknown): Set<JsonType> {
  const accepted = new Set<JsonType>();
  for (const alt of alternatives(node)) {
    const types = alt.type === undefined ? [] : ([] as string[]).concat(alt.type as string | string[]);
    for (const type of types) {
      if (type === 'number') accepted.add('number').add('integer');
      else accepted.add(type as JsonType);
    }
    for (const value of (alt.enum as unknown[] | undefined) ?? []) accepted.add(value === null ? 'null' : (typeof value as JsonType));
  }
  return accepted;
}
