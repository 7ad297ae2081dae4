/** One field a request got wrong, as a server answering `{"errors": [{"field", "message"}]}` names it. */
export interface FieldError {
  /** The dotted property path (`expiresAt`, `labels.x`), or the path parameter's name (`id`). */
  field: string;
  message: string;
}

/**
 * The one typed error of the mock (docs/architecture.md): the service and the
 * HTTP layer throw it, one function (reply.ts `errorReplier`) turns it into the
 * error body the mock's choices ask for, `{"error": message}` by default, with
 * `status` (and `headers`, e.g. `Allow` on a 405). `fields` is set when the
 * error is about named fields of the request (field validation).
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly fields?: readonly FieldError[],
  ) {
    // A backstop for every message, whoever words it: echoed input (a 300 KB
    // field name, a thousand unknown fields) never comes back whole.
    const capped = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}… (message cut at ${MAX_MESSAGE} characters)` : message;
    super(capped);
  }
}

const MAX_MESSAGE = 1000;
const MAX_ECHO = 64;

/** A piece of the request quoted in a message, cut to 64 characters. */
export function echo(value: string): string {
  return JSON.stringify(value.length > MAX_ECHO ? `${value.slice(0, MAX_ECHO)}…` : value);
}

/** A byte count as the docs state limits: `64 KiB`, `1 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/** Every error the mock answers with, in one list. */
export const errors = {
  unauthorized: () => new ApiError(401, 'UNAUTHENTICATED', 'missing or invalid API key'),
  adminTokenRequired: (header: string) => new ApiError(401, 'ADMIN_TOKEN', `missing or wrong ${header} header`),
  /**
   * `problem` is the spec's reason (see `formatErrors`), e.g. `path parameter id must be a UUID (…)`;
   * `fieldProblem` the same without the subject (`must be a UUID (…)`), for an answer naming the field `id`.
   */
  invalidId: (id: string, problem = 'path parameter id must be a UUID', fieldProblem?: string) =>
    new ApiError(
      400,
      'INVALID_ID',
      `${problem}, got ${echo(id)}`,
      {},
      fieldProblem === undefined ? undefined : [{ field: 'id', message: `${fieldProblem}, got ${echo(id)}` }],
    ),
  /** A body the spec or a rule refuses; `fields` when the fault lies in named fields (not in the body as a whole). */
  invalidBody: (message: string, fields?: readonly FieldError[]) => new ApiError(400, 'INVALID_ARGUMENT', message, {}, fields),
  /** One field that breaks a rule no schema states (e.g. an expiry in the past). */
  invalidField: (field: string, problem: string) =>
    new ApiError(400, 'INVALID_ARGUMENT', `request body property ${field} ${problem}`, {}, [{ field, message: problem }]),
  badRequest: (message: string) => new ApiError(400, 'BAD_REQUEST', message),
  forbidden: (permission: string) => new ApiError(403, 'PERMISSION_DENIED', `missing permission ${permission}`),
  notFound: (id: string) => new ApiError(404, 'NOT_FOUND', `API key ${id} not found`),
  routeNotFound: (method: string, path: string) => new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${echo(method)} ${echo(path)}`),
  /** A client-chosen apiKeyId already in use by any key (GoodMem's ALREADY_EXISTS). */
  conflict: (id: string) => new ApiError(409, 'ALREADY_EXISTS', `API key ${id} already exists`),
  methodNotAllowed: (method: string, allowed: string[]) =>
    new ApiError(405, 'METHOD_NOT_ALLOWED', `method ${echo(method)} not allowed; allowed: ${allowed.join(', ')}`, {
      Allow: allowed.join(', '),
    }),
  /**
   * A connection that had not sent a complete request when every connection
   * was taken: closed to make room for a new one (server-limits.ts).
   */
  connectionEvicted: (limit: number) =>
    new ApiError(
      408,
      'REQUEST_TIMEOUT',
      `no complete request received on this connection while all ${limit} connections were open; closed to make room for a new one`,
    ),
  requestTimeout: (headersMs: number, requestMs: number) =>
    new ApiError(
      408,
      'REQUEST_TIMEOUT',
      `request not received in time (headers within ${headersMs} ms, the whole request within ${requestMs} ms)`,
    ),
  payloadTooLarge: (limitBytes: number) =>
    new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${formatBytes(limitBytes)}, the limit of this endpoint`),
  expectationFailed: (expect: string) =>
    new ApiError(417, 'EXPECTATION_FAILED', `Expect: ${echo(expect)} is not supported; send no Expect header or Expect: 100-continue`),
  headersTooLarge: () => new ApiError(431, 'HEADERS_TOO_LARGE', 'request headers too large'),
  malformedRequest: (code: string) => new ApiError(400, 'MALFORMED_HTTP', `malformed HTTP request (${code})`),
  /** A control-plane fault forcing a status the operation does not document (any status the tester asked for). */
  injectedFault: (status: number) => new ApiError(status, 'INJECTED_FAULT', `fault injected by the mock's control plane (${status})`),
  storageFailed: () => new ApiError(503, 'STORAGE_FAILED', 'the change could not be saved; nothing was changed'),
  internal: () => new ApiError(500, 'INTERNAL', 'internal error'),
  /** A raw-key length so short (rawKeyLength) that every key of it is taken. */
  keySpaceExhausted: (length: number) =>
    new ApiError(
      500,
      'KEY_SPACE_EXHAUSTED',
      `no unused raw key of ${length} characters is left; start the mock with a longer rawKeyLength`,
    ),
} as const;
