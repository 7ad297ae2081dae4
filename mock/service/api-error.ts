/**
 * The one typed error of the mock (README "Architecture": one error catalog): the service throws it, the
 * error middleware turns it into `{"error": message}` with `status`.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Every error the mock answers with, in one list. */
export const errors = {
  unauthorized: () => new ApiError(401, 'UNAUTHENTICATED', 'missing or invalid API key'),
  invalidId: (id: string) =>
    new ApiError(400, 'INVALID_ID', `path parameter id must be a UUID, got ${JSON.stringify(id.length > 64 ? `${id.slice(0, 64)}…` : id)}`),
  invalidBody: (message: string) => new ApiError(400, 'INVALID_ARGUMENT', message),
  forbidden: (permission: string) => new ApiError(403, 'PERMISSION_DENIED', `missing permission ${permission}`),
  notFound: (id: string) => new ApiError(404, 'NOT_FOUND', `API key ${id} not found`),
  /** A client-chosen apiKeyId already in use by any key (GoodMem's ALREADY_EXISTS). */
  conflict: (id: string) => new ApiError(409, 'ALREADY_EXISTS', `API key ${id} already exists`),
  routeNotFound: (method: string, path: string) => new ApiError(404, 'ROUTE_NOT_FOUND', `no route ${method} ${path}`),
  methodNotAllowed: (method: string, allowed: string[]) =>
    new ApiError(405, 'METHOD_NOT_ALLOWED', `method ${method} not allowed; allowed: ${allowed.join(', ')}`),
  payloadTooLarge: (limit: string) => new ApiError(413, 'PAYLOAD_TOO_LARGE', `request body larger than ${limit}`),
  storageFailed: () => new ApiError(503, 'STORAGE_FAILED', 'the change could not be saved; nothing was changed'),
  internal: () => new ApiError(500, 'INTERNAL', 'internal error'),
} as const;
