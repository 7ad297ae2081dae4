/**
 * The package's embedding API for JavaScript and TypeScript test suites
 * (`import { startMock } from 'apikeys-mock'`): the stateful mock, in-process.
 * Only what is exported here is public; the files behind it may move.
 *
 * @example
 * const mock = await startMock();            // in memory, 127.0.0.1, a free port
 * await fetch(`${mock.url}/v1/apikeys`, { headers: { 'x-api-key': mock.devKeys.alice } });
 * await mock.reset();                        // back to the seed between tests
 * await mock.close();
 */
import { createMock } from './create-mock.ts';

export { createMock, type MockOptions } from './create-mock.ts';
export { startMock, type RunningMock, type StartMockOptions } from './start-mock.ts';
export { DEFAULT_SEED, DEV_KEYS } from './seed/default-seed.ts';
export { loadSeed } from './seed/load-seed.ts';
export type { Seed, SeedUser } from './seed/seed.ts';
export { DEFAULT_CHOICES, STRICT_CHOICES, type MockChoices } from './service/mock-choices.ts';
export type { ProfileInput } from './resolve-choices.ts';
/** What createMock/startMock throw for a profile, choice or value that does not exist (the message names the valid ones). */
export { ProfileError } from '../contracts/common/server-profile.ts';
export { MockClock, type Clock } from './service/clock.ts';

/** Everything `createMock()` wires together: the Express app, store, service, clock, faults, seed, reset. */
export type Mock = Awaited<ReturnType<typeof createMock>>;
