import type { ErrorRequestHandler } from 'express';
import type { Logger } from './logger.ts';
import { errorReply, writeReply } from './reply.ts';
import { toApiError } from './to-api-error.ts';

/** Express's one error middleware: `{"error": message}` through the catalog, written like every other reply. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err, logger);
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    writeReply(req, res, errorReply(apiError));
  };
}
