import { ApiError, errors } from '../service/api-error.ts';
import { StorageWriteError } from '../store/write-queue.ts';
import type { Logger } from './logger.ts';

/**
 * Any thrown value as the ApiError to answer with: an ApiError as is, a failed
 * write as the catalog's 503, a framework's 4xx as a 400; anything else is a
 * bug: logged, and answered 500 without details.
 */
export function toApiError(err: unknown, logger: Logger): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof StorageWriteError) {
    logger.error(err.message);
    return errors.storageFailed();
  }
  const e = err as { status?: number; expose?: boolean; message?: string };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose !== false)
    return errors.badRequest(e.message ?? 'bad request');
  logger.error(`unexpected error: ${(err as Error)?.stack ?? String(err)}`);
  return errors.internal();
}
