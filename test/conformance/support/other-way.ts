import { CHOICE_NAMES, SERVER_CHOICES, type ServerChoices } from '../../../contracts/common/server-choices.ts';
import type { Timers } from '../../../contracts/conformance/timers.ts';
import type { RunningMock } from '../../../mock/start-mock.ts';

/**
 * Every legal choice of contracts/common/server-choices.ts taken another way than the
 * mock's default, read from the table: an enum's other value, a length twice the default
 * (the prefix still shorter than the key). A mock started with these is a correct server
 * that differs from the default mock everywhere the contract leaves room.
 */
export const OTHER_WAY = Object.fromEntries(
  CHOICE_NAMES.map((name) => {
    const row = SERVER_CHOICES[name];
    return [name, row.kind === 'integer' ? row.default * 2 : row.values.find((value) => value !== row.default)];
  }),
) as ServerChoices;

/** The suite's waits as moves of a mock's own clock: background effects show without real time passing. */
export function mockClockTimers(mock: Pick<RunningMock, 'clock'>): Timers {
  return { now: () => mock.clock.now(), sleep: async (ms) => mock.clock.advance(ms) };
}
