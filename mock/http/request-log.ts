import type { RequestHandler } from 'express';
import type { Logger } from './logger.ts';

/** One log line per request: method, path, status, duration. Headers (keys!) are never logged. */
export function requestLog(logger: Logger): RequestHandler | null {
  if (!logger.enabled('info')) return null;
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(`${req.method} ${req.originalUrl} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
    next();
  };
}
