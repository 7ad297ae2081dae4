import express, { type Express } from 'express';
import type { Spec } from '../contracts/spec/load-spec.ts';
import { errors } from './service/api-error.ts';
import type { ApiKeyService } from './service/api-key-service.ts';
import type { MockClock } from './service/clock.ts';
import type { MockChoices } from './service/mock-choices.ts';
import type { Store } from './store/create-store.ts';
import { apiRoutes } from './http/api-routes.ts';
import { controlRoutes } from './http/control-routes.ts';
import { errorHandler } from './http/error-handler.ts';
import type { FaultRegistry } from './http/fault-registry.ts';
import type { Logger } from './http/logger.ts';

export interface AppOptions {
  spec: Spec;
  store: Store;
  service: ApiKeyService;
  clock: MockClock;
  faults: FaultRegistry;
  choices: MockChoices;
  logger: Logger;
  /** The control plane's token; null switches `/_mock/` off. */
  adminToken: string | null;
  reset: () => Promise<void>;
}

/**
 * Builds the Express app; never listens (the CLI and startMock do).
 * Layers point one way: HTTP (here) → service → store.
 */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Weak ETags cost a hash of every body and no client of this API uses them.
  app.set('etag', false);
  // RFC 9112 §3.2: an HTTP/1.1 request without Host is a 400 (in JSON, like every error).
  app.use((req, _res, next) =>
    next(
      req.httpVersion === '1.1' && req.headers.host === undefined
        ? errors.invalidBody('an HTTP/1.1 request needs a Host header')
        : undefined,
    ),
  );
  if (options.adminToken !== null) app.use('/_mock', controlRoutes({ ...options, adminToken: options.adminToken }));
  app.use(apiRoutes(options));
  app.use((req) => {
    throw errors.routeNotFound(req.method, req.path);
  });
  app.use(errorHandler(options.logger));
  return app;
}
