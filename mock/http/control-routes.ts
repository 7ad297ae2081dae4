import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { createAjv, type Spec } from '../../contracts/spec/load-spec.ts';
import { formatErrors } from '../../contracts/spec/format-errors.ts';
import { ApiError, errors } from '../service/api-error.ts';
import type { ApiKeyService } from '../service/api-key-service.ts';
import type { MockClock } from '../service/clock.ts';
import { PERMISSIONS, ROLES } from '../service/permissions.ts';
import type { Store } from '../store/create-store.ts';
import type { FaultRegistry } from './fault-registry.ts';

export interface ControlRoutesOptions {
  spec: Spec;
  adminToken: string;
  store: Store;
  service: ApiKeyService;
  clock: MockClock;
  faults: FaultRegistry;
  /** Puts the store back to the seed. */
  reset: () => Promise<void>;
}

export const ADMIN_TOKEN_HEADER = 'x-admin-token';

const ajv = createAjv();
const schemas = {
  user: ajv.compile({
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string', minLength: 1, maxLength: 128 },
      role: { enum: [...ROLES] },
      permissions: { type: ['array', 'null'], uniqueItems: true, items: { enum: [...PERMISSIONS] } },
    },
  }),
  clock: ajv.compile({
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    maxProperties: 1,
    properties: { now: { type: 'integer', minimum: 0 }, advanceMs: { type: 'integer' } },
  }),
  fault: ajv.compile({
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      operationId: { type: 'string' },
      method: { type: 'string', pattern: '^[A-Za-z]+$' },
      path: { type: 'string', pattern: '^/' },
      status: { type: 'integer', minimum: 200, maximum: 599 },
      latencyMs: { type: 'integer', minimum: 0, maximum: 60000 },
      count: { type: 'integer', minimum: 1, maximum: 1000000 },
    },
  }),
};

function body<T>(req: Request, validate: (typeof schemas)[keyof typeof schemas]): T {
  const value: unknown = req.body ?? {};
  if (!validate(value)) throw errors.invalidBody(formatErrors(validate.errors, 'request body'));
  return value as T;
}

/**
 * The mock-only control plane under `/_mock/` (DESIGN.md): health, reset, users,
 * clock, faults. Every endpoint needs the admin token, compared in constant
 * time (hashing both sides first makes the lengths equal too).
 */
export function controlRoutes(options: ControlRoutesOptions): Router {
  const { spec, store, service, clock, faults } = options;
  const router = express.Router();
  const expected = createHash('sha256').update(options.adminToken).digest();
  const requireToken: RequestHandler = (req, _res, next) => {
    const given = req.headersDistinct[ADMIN_TOKEN_HEADER];
    const digest = createHash('sha256')
      .update(given?.length === 1 ? given[0]! : '')
      .digest();
    const ok = timingSafeEqual(digest, expected) && given?.length === 1;
    next(ok ? undefined : new ApiError(401, 'ADMIN_TOKEN', `missing or wrong ${ADMIN_TOKEN_HEADER} header`));
  };
  router.use(requireToken, express.json({ limit: '64kb' }));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok', keys: store.keyCount, users: store.userCount, now: clock.now() });
  });
  router.post('/reset', async (_req, res) => {
    await options.reset();
    res.json({ status: 'reset', keys: store.keyCount, users: store.userCount });
  });
  router.post('/users', async (req, res) => {
    const created = await service.createUser(body(req, schemas.user));
    res.status(201).json(created);
  });
  router.get('/clock', (_req, res) => {
    res.json({ now: clock.now(), offsetMs: clock.offsetMs });
  });
  router.post('/clock', (req, res) => {
    const input = body<{ now?: number; advanceMs?: number }>(req, schemas.clock);
    if (input.now !== undefined) clock.set(input.now);
    if (input.advanceMs !== undefined) clock.advance(input.advanceMs);
    res.json({ now: clock.now(), offsetMs: clock.offsetMs });
  });
  router.get('/faults', (_req, res) => {
    res.json({ faults: faults.list() });
  });
  router.post('/faults', (req, res) => {
    const input = body<{ operationId?: string; status?: number }>(req, schemas.fault);
    if (input.operationId !== undefined && !(input.operationId in spec.byId)) {
      throw errors.invalidBody(`operationId must be one of ${Object.keys(spec.byId).join(', ')}`);
    }
    res.status(201).json(faults.add(input));
  });
  router.delete('/faults', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  return router;
}
