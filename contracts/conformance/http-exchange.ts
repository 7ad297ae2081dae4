import { loadSpec, type OperationId } from '../openapi/load-spec.ts';

/** One request the suite sent and the response it got, as the checks see it. */
export interface Exchange {
  /** The operation of openapi.yaml the request addressed, or null (unknown path, control plane). */
  operationId: OperationId | null;
  method: string;
  path: string;
  /** The check that sent it (`cleanup` for the suite's own clean-up). */
  sentBy: string;
  requestBody?: string;
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON, else undefined. */
  json: unknown;
  /** Order of arrival within the run. */
  sequence: number;
}

export interface HttpRequest {
  method: string;
  /** Path below the base URL, e.g. `/v1/apikeys`. */
  path: string;
  /** Raw key for `x-api-key`; omitted means no key at all. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent verbatim (malformed JSON), with `application/json` unless headers say otherwise. */
  rawBody?: string;
}

/** The operation a request addresses, by method and path (null when openapi.yaml has none). */
export function operationOf(method: string, path: string): OperationId | null {
  const pathname = path.split('?')[0] ?? path;
  for (const op of loadSpec().operations) {
    if (op.method === method.toLowerCase() && op.match(pathname)) return op.operationId;
  }
  return null;
}

/** The path of an operation from openapi.yaml, with `{id}` filled in; never restated by hand. */
export function pathOf(operationId: OperationId, id?: string): string {
  const template = loadSpec().byId[operationId].path;
  return id === undefined ? template : template.replace(/\{[^}]+\}/, encodeURIComponent(id));
}

/** One line naming a request, for failure messages. */
export function describeRequest(exchange: Pick<Exchange, 'method' | 'path' | 'requestBody'>): string {
  const body = exchange.requestBody === undefined ? '' : ` ${truncate(exchange.requestBody, 120)}`;
  return `${exchange.method} ${exchange.path}${body}`;
}

/** One line naming a response, for failure messages. */
export function describeResponse(exchange: Pick<Exchange, 'status' | 'headers' | 'text'>): string {
  const type = exchange.headers.get('content-type') ?? 'no content type';
  return `${exchange.status} (${type}) ${truncate(exchange.text, 200) || '<empty body>'}`;
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * Sends one request with the given fetch and reads the whole response. Never
 * retries: a real server must not see a request twice.
 */
export async function sendRequest(
  fetchImpl: typeof fetch,
  baseUrl: string,
  request: HttpRequest,
  init: { timeoutMs: number; sentBy: string; sequence: () => number },
): Promise<Exchange> {
  const headers: Record<string, string> = { accept: 'application/json', ...lowerCaseKeys(request.headers ?? {}) };
  if (request.apiKey !== undefined) headers['x-api-key'] = request.apiKey;
  let requestBody: string | undefined;
  if (request.rawBody !== undefined) requestBody = request.rawBody;
  else if (request.body !== undefined) requestBody = JSON.stringify(request.body);
  if (requestBody !== undefined) headers['content-type'] ??= 'application/json';
  const response = await fetchImpl(`${baseUrl}${request.path}`, {
    method: request.method,
    headers,
    body: requestBody,
    redirect: 'manual',
    signal: AbortSignal.timeout(init.timeoutMs),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return {
    operationId: operationOf(request.method, request.path),
    method: request.method.toUpperCase(),
    path: request.path,
    sentBy: init.sentBy,
    requestBody,
    status: response.status,
    headers: response.headers,
    text,
    json,
    sequence: init.sequence(),
  };
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
