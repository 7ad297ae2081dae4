import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANY_RAW_KEY_IN_TEXT } from '../service/key-material.ts';
import type { Logger } from './logger.ts';

/**
 * One log line per request: method, path, status, duration. Headers (keys!) are
 * never logged. Attached by the server, so every request is logged alike;
 * null when the level hides request lines.
 */
export function requestLog(logger: Logger, secrets: string[] = []): ((req: IncomingMessage, res: ServerResponse) => void) | null {
  if (!logger.enabled('info')) return null;
  return (req, res) => {
    const started = process.hrtime.bigint();
    const url = req.url ?? '';
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(`${req.method} ${redactedUrl(url, secrets)} ${res.statusCode} ${ms.toFixed(1)}ms`);
    });
  };
}

/**
 * The URL as it may be logged: percent-decoded first (so `gm%5F…` is caught as
 * `gm_…`), raw keys and the given secrets replaced, then control characters
 * escaped again so a request cannot forge log lines.
 */
export function redactedUrl(url: string, secrets: string[] = []): string {
  let text = url.replace(/(%[0-9a-f]{2})+/gi, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
  // A raw key of any length sent in the URL by mistake (as the id, or as ?api_key=) must not reach the log.
  text = text.replace(ANY_RAW_KEY_IN_TEXT, 'gm_[redacted]');
  for (const secret of secrets) if (secret) text = text.split(secret).join('[redacted]');
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\s]/g, (c) => encodeURIComponent(c));
}
