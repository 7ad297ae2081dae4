import type { ErrorRequestHandler } from 'express';
import { ApiError, errors } from '../service/api-error.ts';
import { StorageWriteError } from '../store/write-queue.ts';
import type { Logger } from './logger.ts';

/**
 * The one place that turns errors into responses: `{"error": message}` with a
 * JSON content type, never HTML or a stack trace. Errors from body-parser and
 * the router carry a 4xx `status`; anything else is logged and becomes a 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err, logger);
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    if (apiError.status === 405 && err instanceof MethodNotAllowed) res.set('Allow', err.allowed.join(', '));
    res.status(apiError.status).json({ error: apiError.message });
  };
}

export class MethodNotAllowed extends ApiError {
  override name = 'MethodNotAllowed';
  constructor(
    method: string,
    readonly allowed: string[],
  ) {
    const { status, code, message } = errors.methodNotAllowed(method, allowed);
    super(status, code, message);
  }
}

/** Any thrown value as the ApiError to answer with (shared by the fast path). */
export function toApiError(err: unknown, logger: Logger): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StorageWriteError) {
    logger.error(err.message);
    return errors.storageFailed();
  }
  const e = err as { type?: string; status?: number; expose?: boolean; message?: string; limit?: number };
  switch (e.type) {
    case 'entity.parse.failed':
      return errors.invalidBody(`request body is not valid JSON: ${e.message ?? 'parse error'}`);
    case 'entity.too.large':
      return errors.payloadTooLarge('1 MiB');
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return errors.invalidBody(`request body: ${e.message ?? 'unsupported encoding'}; send UTF-8 JSON`);
    case 'request.aborted':
      return errors.invalidBody('request body was aborted');
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose !== false) {
    return errors.invalidBody(e.message ?? 'bad request');
  }
  logger.error(`unexpected error: ${(err as Error)?.stack ?? String(err)}`);
  return errors.internal();
}
