import { randomBytes } from 'node:crypto';
import { loadSpec } from '../contracts/spec/load-spec.ts';
import { createApp } from './create-app.ts';
import { FaultRegistry } from './http/fault-registry.ts';
import { fastV1 } from './http/fast-v1.ts';
import { createLogger, type Logger, type LogLevel } from './http/logger.ts';
import { createApiKeyService } from './service/api-key-service.ts';
import { MockClock } from './service/clock.ts';
import { DEFAULT_CHOICES, type MockChoices } from './service/mock-choices.ts';
import { DEFAULT_SEED } from './seed/default-seed.ts';
import { seedDocument, type Seed } from './seed/seed.ts';
import { createStore } from './store/create-store.ts';
import type { StoreFiles } from './store/store-files.ts';

export interface MockOptions {
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
  choices?: Partial<MockChoices>;
  random?: (size: number) => Uint8Array;
  /** false sends every request through Express (the fast path is an optimisation only). */
  fastPath?: boolean;
}

/**
 * Everything a running mock is made of, wired together but not listening.
 *
 * @example
 * const mock = await createMock({ inMemory: true });
 * await request(mock.app).get('/v1/apikeys').set('x-api-key', DEV_KEYS.alice).expect(200);
 */
export async function createMock(options: MockOptions = {}) {
  const spec = loadSpec();
  const clock = options.clock ?? new MockClock();
  const seed = options.seed ?? DEFAULT_SEED;
  const choices: MockChoices = { ...DEFAULT_CHOICES, ...options.choices };
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const store = await createStore({
    path: options.inMemory ? undefined : options.dbPath,
    files: options.adapter,
    compactAfterBytes: options.compactAfterBytes,
    log: logger,
    initial: () => seedDocument(seed, clock.now()),
  });
  const service = createApiKeyService({ store, clock, choices, random: options.random });
  const faults = new FaultRegistry();
  const adminToken = options.controlPlane === false ? null : (options.adminToken ?? randomBytes(18).toString('base64url'));
  const reset = async () => {
    clock.reset();
    faults.clear();
    await store.replaceDocument(seedDocument(seed, clock.now()));
  };
  const app = createApp({ spec, store, service, clock, faults, choices, logger, adminToken, reset });
  // The hot /v1 path without Express's per-request cost (test/bench: Express alone
  // caps this machine at ~20% of bare node:http); Express answers everything else.
  const fast = options.fastPath === false ? undefined : fastV1({ spec, service, faults, choices, logger });
  return { app, fast, store, service, clock, faults, seed, adminToken, logger, reset };
}

export type Mock = Awaited<ReturnType<typeof createMock>>;
