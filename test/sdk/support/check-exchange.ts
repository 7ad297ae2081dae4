import { formatErrors } from '../../../contracts/openapi/format-errors.ts';
import type { CompiledOperation, Spec } from '../../../contracts/openapi/load-spec.ts';
import type { Exchange } from './recording-proxy.ts';

/**
 * What an SDK's recorded exchange looks like to `openapi.yaml`, through the project's compiled
 * validators (contracts/openapi/): the operation it hits, whether its request is one the spec
 * calls valid, and whether the answer is one the spec documents. Each function returns the
 * problems found, as readable lines; none is an empty list.
 */

const isJson = (contentType: string | undefined) => /^application\/json\b/i.test(contentType ?? '');
const header = (headers: Exchange['headers'], name: string) => [headers[name]].flat()[0];

export function operationOf(spec: Spec, exchange: Exchange): CompiledOperation | undefined {
  const { pathname } = new URL(exchange.url, 'http://sdk.invalid');
  return spec.operations.find((op) => op.method === exchange.method.toLowerCase() && op.match(pathname));
}

/** The header the spec's `apiKey` security scheme names (`x-api-key`). */
export function apiKeyHeader(spec: Spec): string {
  const schemes = (spec.document.components as unknown as { securitySchemes: Record<string, { type: string; in?: string; name?: string }> })
    .securitySchemes;
  const scheme = Object.values(schemes).find((s) => s.type === 'apiKey' && s.in === 'header');
  return scheme!.name!.toLowerCase();
}

/** How the request is framed: a JSON content type exactly when it has a body, `Accept: application/json` when a JSON answer is documented. */
export function framingProblems(spec: Spec, exchange: Exchange): string[] {
  const op = operationOf(spec, exchange);
  if (!op) return [`${exchange.method} ${exchange.url}: no operation of the spec`];
  const problems: string[] = [];
  const contentType = header(exchange.headers, 'content-type');
  if (op.requestBody) {
    if (!isJson(contentType)) problems.push(`${op.operationId}: content-type ${contentType ?? '(none)'}, not application/json`);
  } else if (exchange.body !== '') problems.push(`${op.operationId}: a body on an operation that takes none`);
  const answersJson = [...op.responses.values()].some((r) => r.status < 300 && r.validate);
  if (answersJson && !/application\/json/i.test(header(exchange.headers, 'accept') ?? '')) {
    problems.push(`${op.operationId}: accept ${header(exchange.headers, 'accept') ?? '(none)'}`);
  }
  return problems;
}

/** The request's path parameters and JSON body against the spec's schemas. */
export function requestSchemaProblems(spec: Spec, exchange: Exchange): string[] {
  const op = operationOf(spec, exchange);
  if (!op) return [`${exchange.method} ${exchange.url}: no operation of the spec`];
  const problems: string[] = [];
  const params = op.match(new URL(exchange.url, 'http://sdk.invalid').pathname) ?? {};
  for (const { name, validate } of op.pathParams) {
    if (!validate(params[name])) problems.push(formatErrors(validate.errors, `path parameter ${name}`));
  }
  if (op.requestBody) {
    let body: unknown;
    try {
      body = JSON.parse(exchange.body);
    } catch {
      return [...problems, `${op.operationId}: request body is not JSON: ${exchange.body.slice(0, 80)}`];
    }
    if (!op.requestBody.validate(body)) problems.push(formatErrors(op.requestBody.validate.errors, 'request body'));
  }
  return problems;
}

/** JSON paths of every `null` in the request body (an SDK that sends unset fields as null shows here). */
export function nullFields(exchange: Exchange): string[] {
  if (exchange.body === '') return [];
  const found: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (value === null) found.push(path);
    else if (typeof value === 'object') for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
  };
  walk(JSON.parse(exchange.body), '$');
  return found;
}

/** The answer against the documented statuses, headers and body schemas. */
export function responseProblems(spec: Spec, exchange: Exchange): string[] {
  const op = operationOf(spec, exchange);
  if (!op) return [`${exchange.method} ${exchange.url}: no operation of the spec`];
  const { status, headers, body } = exchange.response;
  const documented = op.responses.get(status);
  if (!documented) return [`${op.operationId}: status ${status} is not documented (${op.statuses.join(', ')})`];
  const problems: string[] = [];
  for (const h of documented.headers) {
    const value = header(headers, h.name);
    if (value === undefined ? h.required : !h.validate(value))
      problems.push(`${op.operationId} ${status}: header ${h.name} ${value ?? 'missing'}`);
  }
  if (!documented.validate) {
    if (body !== '') problems.push(`${op.operationId} ${status}: a body where none is documented`);
    return problems;
  }
  if (!isJson(header(headers, 'content-type')))
    problems.push(`${op.operationId} ${status}: content-type ${header(headers, 'content-type')}`);
  try {
    const json: unknown = JSON.parse(body);
    if (!documented.validate(json)) problems.push(formatErrors(documented.validate.errors, `${op.operationId} ${status} body`));
  } catch {
    problems.push(`${op.operationId} ${status}: body is not JSON`);
  }
  return problems;
}

/** The component schema the spec names for the JSON body of `status` (e.g. `CreateApiKeyResponse`), if any. */
export function responseSchemaName(spec: Spec, op: CompiledOperation, status: number): string | undefined {
  const paths = spec.document.paths as Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>
  >;
  const ref = paths[op.path]?.[op.method]?.responses[String(status)]?.content?.['application/json']?.schema?.$ref;
  return ref?.split('/').pop();
}
