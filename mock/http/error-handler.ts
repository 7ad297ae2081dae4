import type { ErrorRequestHandler } from 'express';
import type { Logger } from './logger.ts';
import { writeReply, type ErrorReplier } from './reply.ts';
import { toApiError } from './to-api-error.ts';

/** Express's one error middleware: the catalog's error in the chosen error body, written like every other reply. */
export function errorHandler(logger: Logger, errorReply: ErrorReplier): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const apiError = toApiError(err, logger);
    if (res.headersSent) {
      req.socket.destroy();
      return;
    }
    writeReply(req, res, errorReply(apiError));
  };
}
