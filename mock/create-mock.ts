import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import { loadSpec } from '../contracts/openapi/load-spec.ts';
import { createApp } from './create-app.ts';
import { FaultRegistry } from './http/fault-registry.ts';
import type { Wait } from './http/forced-reply.ts';
import { createLogger, type Logger, type LogLevel } from './http/logger.ts';
import { errorReplier } from './http/reply.ts';
import { createV1Pipeline } from './http/v1-pipeline.ts';
import { resolveChoices, type ChoiceOptions } from './resolve-choices.ts';
import { createApiKeyService } from './service/api-key-service.ts';
import { MockClock } from './service/clock.ts';
import { DEFAULT_SEED } from './seed/default-seed.ts';
import { seedDocument, type Seed } from './seed/seed.ts';
import { createStore } from './store/create-store.ts';
import type { StoreFiles } from './store/store-files.ts';

export interface MockOptions extends ChoiceOptions {
  /** JSON file of the store; omitted or with inMemory: memory only. */
  dbPath?: string;
  inMemory?: boolean;
  /** The file layer the store writes its snapshot and journal through (tests inject failing storage). */
  adapter?: StoreFiles;
  /** Journal size that starts a background compaction (default: the larger of 8 MiB and the snapshot). */
  compactAfterBytes?: number;
  seed?: Seed;
  /** Control-plane token; random when omitted. */
  adminToken?: string;
  /** false switches the `/_mock/` control plane off. */
  controlPlane?: boolean;
  logLevel?: LogLevel;
  logger?: Logger;
  clock?: MockClock;
  random?: (size: number) => Uint8Array;
  /** How injected latency faults wait (default: a timer); tests record instead of sleeping. */
  wait?: Wait;
}

/**
 * Everything a running mock is made of, wired together but not listening.
 * Its legal choices come from `choices`, `profile` and `strict`
 * (resolve-choices.ts); a wrong one throws a ProfileError naming it.
 *
 * @example
 * const mock = await createMock({ inMemory: true });
 * await request(mock.app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.alice).expect(200);
 * const likeStaging = await createMock({ inMemory: true, profile: 'staging.profile.json' });
 */
export async function createMock(options: MockOptions = {}) {
  const choices = resolveChoices(options);
  // The full layer as these choices make it: an x-mock-choice keyword a non-default choice overrides is lifted.
  const spec = loadSpec({ choices });
  const clock = options.clock ?? new MockClock();
  const seed = options.seed ?? DEFAULT_SEED;
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const store = await createStore({
    path: options.inMemory ? undefined : options.dbPath,
    files: options.adapter,
    compactAfterBytes: options.compactAfterBytes,
    log: logger,
    initial: () => seedDocument(seed, clock.now(), choices.keyPrefixLength),
  });
  const service = createApiKeyService({ store, clock, choices, random: options.random });
  const faults = new FaultRegistry();
  const adminToken = options.controlPlane === false ? null : (options.adminToken ?? randomBytes(18).toString('base64url'));
  const reset = async () => {
    clock.reset();
    faults.clear();
    service.forgetUses();
    await store.replaceDocument(seedDocument(seed, clock.now(), choices.keyPrefixLength));
  };
  // Every error body, /v1 and control plane and protocol answers alike, in the shape the choices ask for.
  const errorReply = errorReplier(choices, () => clock.now());
  // The one /v1 pipeline, shared by both adapters: Express (`app`, for supertest)
  // and the node:http front of createServer (real sockets, without Express's cost).
  const v1 = createV1Pipeline({ spec, service, faults, choices, logger, errorReply, wait: options.wait });
  // Express is built on first use (the control plane, supertest, a 404): a CLI start that only
  // serves /v1 never loads it.
  let app: Express | undefined;
  return {
    get app(): Express {
      return (app ??= createApp({ spec, store, service, clock, faults, logger, v1, adminToken, errorReply, reset }));
    },
    v1,
    store,
    service,
    clock,
    faults,
    seed,
    adminToken,
    logger,
    reset,
    choices,
    errorReply,
  };
}
