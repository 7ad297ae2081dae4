import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler, type Router } from 'express';
import { createAjv, type Spec } from '../../contracts/openapi/load-spec.ts';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import { errors } from '../service/api-error.ts';
import type { ApiKeyService } from '../service/api-key-service.ts';
import type { MockClock } from '../service/clock.ts';
import { PERMISSIONS, ROLES } from '../service/permissions.ts';
import type { Store } from '../store/create-store.ts';
import type { FaultRegistry } from './fault-registry.ts';
import { CONTROL_BODY_LIMIT, readJsonBody } from './read-json-body.ts';
import { jsonReply, writeReply, type PipelineReply } from './reply.ts';

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

/** The body, read like every body (read-json-body.ts) under the control plane's own limit, and validated. */
async function body<T>(req: IncomingMessage, validate: (typeof schemas)[keyof typeof schemas]): Promise<T> {
  const value: unknown = (await readJsonBody(req, { limit: CONTROL_BODY_LIMIT, required: false })) ?? {};
  if (!validate(value)) throw errors.invalidBody(formatErrors(validate.errors, 'request body'));
  return value as T;
}

/** An endpoint whose reply is written like the pipeline's (same bytes, same early-answer handling). */
const replying =
  (handler: (req: IncomingMessage) => Promise<PipelineReply> | PipelineReply): RequestHandler =>
  async (req, res) =>
    writeReply(req, res, await handler(req));

/**
 * The mock-only control plane under `/_mock/` (docs/configuration.md "Control plane"): health, reset, users,
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
    next(ok ? undefined : errors.adminTokenRequired(ADMIN_TOKEN_HEADER));
  };
  router.use(requireToken);

  router.get(
    '/health',
    replying(() => jsonReply(200, { status: 'ok', keys: store.keyCount, users: store.userCount, now: clock.now() })),
  );
  router.post(
    '/reset',
    replying(async () => {
      await options.reset();
      return jsonReply(200, { status: 'reset', keys: store.keyCount, users: store.userCount });
    }),
  );
  router.post(
    '/users',
    replying(async (req) => jsonReply(201, await service.createUser(await body(req, schemas.user)))),
  );
  router.get(
    '/clock',
    replying(() => jsonReply(200, { now: clock.now(), offsetMs: clock.offsetMs })),
  );
  router.post(
    '/clock',
    replying(async (req) => {
      const input = await body<{ now?: number; advanceMs?: number }>(req, schemas.clock);
      if (input.now !== undefined) clock.set(input.now);
      if (input.advanceMs !== undefined) clock.advance(input.advanceMs);
      return jsonReply(200, { now: clock.now(), offsetMs: clock.offsetMs });
    }),
  );
  router.get(
    '/faults',
    replying(() => jsonReply(200, { faults: faults.list() })),
  );
  router.post(
    '/faults',
    replying(async (req) => {
      const input = await body<{ operationId?: string; status?: number }>(req, schemas.fault);
      if (input.operationId !== undefined && !(input.operationId in spec.byId)) {
        throw errors.invalidBody(`operationId must be one of ${Object.keys(spec.byId).join(', ')}`);
      }
      return jsonReply(201, faults.add(input));
    }),
  );
  router.delete(
    '/faults',
    replying(() => {
      faults.clear();
      return { status: 204, headers: {} };
    }),
  );
  return router;
}
