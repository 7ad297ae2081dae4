import { createRequire } from 'node:module';
import type express from 'express';
import type { Express } from 'express';
import type { Spec } from '../contracts/openapi/load-spec.ts';
import { errors } from './service/api-error.ts';
import type { ApiKeyService } from './service/api-key-service.ts';
import type { MockClock } from './service/clock.ts';
import type { Store } from './store/create-store.ts';
import { controlRoutes } from './http/control-routes.ts';
import { errorHandler } from './http/error-handler.ts';
import type { FaultRegistry } from './http/fault-registry.ts';
import type { Logger } from './http/logger.ts';
import { writeWhenReady, type ErrorReplier } from './http/reply.ts';
import type { V1Pipeline } from './http/v1-pipeline.ts';

export interface AppOptions {
  spec: Spec;
  store: Store;
  service: ApiKeyService;
  clock: MockClock;
  faults: FaultRegistry;
  logger: Logger;
  /** The one `/v1` pipeline (shared with the node:http front). */
  v1: V1Pipeline;
  /** The control plane's token; null switches `/_mock/` off. */
  adminToken: string | null;
  /** The one error-body writer (the pipeline's too): every error of the app in the chosen shape. */
  errorReply: ErrorReplier;
  reset: () => Promise<void>;
}

/**
 * Builds the Express app; never listens (the CLI and startMock do). Express is
 * an adapter: `/v1` goes to the one pipeline; Express itself keeps only what
 * nothing else does — the control plane, the JSON 404, a missing Host.
 */
export function createApp(options: AppOptions): Express {
  // Loaded here, not at import: Express costs ~100 ms to load, and a mock that only
  // answers /v1 (the node:http front) never needs it (docs/performance.md, start-up).
  const app = (createRequire(import.meta.url)('express') as typeof express)();
  app.disable('x-powered-by');
  // Weak ETags cost a hash of every body and no client of this API uses them.
  app.set('etag', false);
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400 (in JSON, like every error).
  app.use((req, _res, next) =>
    next(
      req.httpVersion === '1.1' && req.headers.host === undefined
        ? errors.badRequest('an HTTP/1.1 request needs a Host header')
        : undefined,
    ),
  );
  if (options.adminToken !== null) app.use('/_mock', controlRoutes({ ...options, adminToken: options.adminToken }));
  app.use((req, res, next) => {
    const reply = options.v1(req);
    if (!reply) return next();
    return writeWhenReady(req, res, reply);
  });
  app.use((req) => {
    throw errors.routeNotFound(req.method, req.path);
  });
  app.use(errorHandler(options.logger, options.errorReply));
  return app;
}
