import type { IncomingMessage, ServerResponse } from 'node:http';
import { RAW_KEY_PATTERN } from '../service/key-material.ts';
import type { Logger } from './logger.ts';

// A raw key sent in the URL by mistake (as the id, or as ?api_key=) must not reach the log.
const RAW_KEY_IN_TEXT = new RegExp(RAW_KEY_PATTERN.source.replace(/^\^|\$$/g, ''), 'g');

/**
 * One log line per request: method, path, status, duration. Headers (keys!) are
 * never logged. Attached by the server, so both request paths (the fast path
 * and Express) are logged alike; null when the level hides request lines.
 */
export function requestLog(logger: Logger): ((req: IncomingMessage, res: ServerResponse) => void) | null {
  if (!logger.enabled('info')) return null;
  return (req, res) => {
    const started = process.hrtime.bigint();
    const url = req.url ?? '';
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(`${req.method} ${url.replace(RAW_KEY_IN_TEXT, 'gm_[redacted]')} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
  };
}
