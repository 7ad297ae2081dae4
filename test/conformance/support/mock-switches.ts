import { DEFAULT_CHOICES, type ChoiceName, type ServerChoices } from '../../../contracts/common/server-choices.ts';

/**
 * The legal choices the mock of this branch can be switched to (`createMock({ choices })`).
 * The others (bearer, error shapes, Location, wrong method, key lengths, id forms, lastUsedAt
 * timing, updatedAt on use, numbers sent as strings) are being wired into the mock on another
 * branch; a round trip through the mock runs for every legal server whose choices are all here.
 */
export const MOCK_SWITCHES: readonly ChoiceName[] = ['listOrder', 'foreignKeyStatus', 'unknownFields', 'noopUpdate', 'deletedIds'];

/**
 * What the mock shows with no choices given: the table's defaults, except that this branch's
 * mock still refuses numbers sent as strings (it reads them once `numericStrings` is wired).
 */
export const MOCK_AS_IS: ServerChoices = { ...DEFAULT_CHOICES, numericStrings: 'refused' };
