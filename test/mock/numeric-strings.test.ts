import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { numericStrings } from '../../mock/http/numeric-strings.ts';
import type { ProfileInput } from '../../mock/resolve-choices.ts';
import { MockClock } from '../../mock/service/clock.ts';
import { fileMock, KEYS } from '../support/running-mock.ts';

// contracts/CONTRACT.md "Transport": GoodMem's server reads bodies with Jackson, which reads
// a numeric string where an integer belongs as that integer. The mock does the same by
// default; --strict (and numericStrings: 'refused') refuses it with a 400 naming the field.
const T0 = Date.UTC(2026, 0, 1);
const FUTURE = T0 + 86_400_000;
const create = (body: unknown) => ({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': KEYS.alice }, body });

describe('numbers sent as strings', () => {
  it('are read as the number by default: 201, a number in the response, in memory and on disk', async () => {
    const mock = await fileMock({ clock: new MockClock(() => T0) });
    const res = await mock.send(create({ expiresAt: String(FUTURE), labels: { n: '42' } }));
    expect(res.status, res.text).toBe(201);
    const created = (res.json as { apiKeyMetadata: { apiKeyId: string; expiresAt: unknown; labels: unknown } }).apiKeyMetadata;
    expect(created.expiresAt).toBe(FUTURE);
    // A string where a string belongs stays a string.
    expect(created.labels).toEqual({ n: '42' });
    expect(mock.store.keyById(created.apiKeyId)!.expiresAt).toBe(FUTURE);
    await mock.store.flush();
    expect((JSON.parse(mock.fileText()) as { keys: Record<string, { expiresAt: unknown }> }).keys[created.apiKeyId]!.expiresAt).toBe(
      FUTURE,
    );
  });

  it.each([
    ['not a safe integer', '99999999999999999999', /expiresAt must be an integer of at most 9007199254740991/],
    ['in the past', String(T0 - 1), /expiresAt must be in the future/],
    ['negative', '-5', /expiresAt must be >= 0/],
    ['beyond the last instant the mock takes', '253402300800000', /expiresAt must be <= 253402300799999/],
    ['a decimal', '1767225600000.5', /expiresAt must be integer or null/],
    ['with white space', ` ${FUTURE}`, /expiresAt must be integer or null/],
    ['an exponent', '1.8e12', /expiresAt must be integer or null/],
    ['empty', '', /expiresAt must be integer or null/],
  ])('still get the right 400 when %s, naming the field, and store nothing', async (_what, value, message) => {
    const mock = await fileMock({ clock: new MockClock(() => T0) });
    const before = mock.stateText();
    const res = await mock.send(create({ expiresAt: value }));
    expect(res.status, res.text).toBe(400);
    expect((res.json as { error: string }).error).toMatch(message);
    expect(mock.stateText()).toBe(before);
  });

  it('are refused under --strict with a 400 that names the field and says what the real server does; numbers still pass', async () => {
    const mock = await fileMock({ strict: true, clock: new MockClock(() => T0) });
    const before = mock.stateText();
    const res = await mock.send(create({ expiresAt: String(FUTURE) }));
    expect(res.status).toBe(400);
    expect((res.json as { error: string }).error).toBe(
      `request body property expiresAt must be an integer, not the string "${FUTURE}": numbers sent as strings are refused here (--strict, or numericStrings: refused); GoodMem's server reads such a string as the number`,
    );
    expect(mock.stateText()).toBe(before);
    expect((await mock.send(create({ expiresAt: FUTURE }))).status).toBe(201);
  });

  it('are refused under --strict as a field error when field validation answers {"errors": [...]}', async () => {
    const mock = await fileMock({ strict: true, choices: { validationErrors: 'errors' }, clock: new MockClock(() => T0) });
    const res = await mock.send(create({ expiresAt: String(FUTURE) }));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ errors: [{ field: 'expiresAt', message: expect.stringMatching(/^must be an integer, not the string/) }] });
  });

  it('--strict wins over a choice or a profile that accepts them', async () => {
    const profile: ProfileInput = {
      profileVersion: 1,
      choices: { numericStrings: { observed: true, value: 'accepted', seenBy: ['createApiKey/numeric_strings'] } },
    };
    const mock = await fileMock({ strict: true, choices: { numericStrings: 'accepted' }, profile });
    expect(mock.choices.numericStrings).toBe('refused');
  });

  it('are found from the body schema of openapi.yaml: every integer-typed field, and only those', () => {
    const spec = loadSpec();
    const coerce = numericStrings(spec, spec.byId.createApiKey, 'accepted');
    const body = { expiresAt: '123', apiKeyId: '123', labels: { a: '123' }, other: '7' };
    expect(coerce(body)).toEqual({ expiresAt: 123, apiKeyId: '123', labels: { a: '123' }, other: '7' });
    expect(body.expiresAt).toBe('123');
    // The update body has no integer field: nothing to read.
    const update = { status: '1', mergeLabels: { a: '1' } };
    expect(numericStrings(spec, spec.byId.updateApiKey, 'accepted')(update)).toBe(update);
    // A key named __proto__ in the body stays data.
    const hostile = JSON.parse('{"__proto__": {"x": 1}, "expiresAt": "5"}') as Record<string, unknown>;
    const coerced = coerce(hostile) as Record<string, unknown>;
    expect(Object.getPrototypeOf(coerced)).toBe(Object.prototype);
    expect(Object.keys(coerced).sort()).toEqual(['__proto__', 'expiresAt']);
  });
});
