import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalUuid } from '../../contracts/openapi/canonical-uuid.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { KEYS, fileMock, jsonRequests } from '../support/running-mock.ts';

// contracts/CONTRACT.md "Ids", one table of ids, each with what both layers say of it:
// - contract: 32 hex digits in any case with hyphens only between digits. How a server reads the
//   forms with no hyphens or only some of them is its business (GoodMem's server strips every hyphen).
// - mock: all four hyphens or none (the UuidInput x-mock-choice pattern); with
//   `partialHyphenIds: 'accepted'` that pattern is lifted and the mock reads what the contract allows.
// Every row is fed to the spec's pattern (both layers), the shared canonicaliser (which reads the
// digits of any contract form) and the mock (as a path id and as a client-chosen apiKeyId).
type Form = readonly [form: string, write: (uuid: string) => string, mock: boolean, contract: boolean];
const hex = (uuid: string) => uuid.replace(/-/g, '');
const FORMS: readonly Form[] = [
  ['canonical', (u) => u, true, true],
  ['upper case', (u) => u.toUpperCase(), true, true],
  ['mixed case', (u) => u.replace(/[a-f]/, (c) => c.toUpperCase()), true, true],
  ['no hyphens', (u) => hex(u), true, true],
  ['no hyphens, upper case', (u) => hex(u).toUpperCase(), true, true],
  ['only the first hyphen', (u) => `${hex(u).slice(0, 8)}-${hex(u).slice(8)}`, false, true],
  ['three of the four hyphens', (u) => u.replace(/-(?=[^-]*$)/, ''), false, true],
  ['hyphens in other places', (u) => hex(u).replace(/(.{4})(.{8})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5'), false, true],
  ['a fifth hyphen', (u) => `${u.slice(0, 2)}-${u.slice(2)}`, false, true],
  ['a leading hyphen', (u) => `-${u}`, false, false],
  ['a trailing hyphen', (u) => `${u}-`, false, false],
  ['two hyphens in a row', (u) => u.replace('-', '--'), false, false],
  ['braces', (u) => `{${u}}`, false, false],
  ['urn form', (u) => `urn:uuid:${u}`, false, false],
  ['31 hex digits', (u) => hex(u).slice(1), false, false],
  ['33 hex digits', (u) => `${hex(u)}0`, false, false],
  ['last group of 11', (u) => u.slice(0, -1), false, false],
  ['last group of 13', (u) => `${u}0`, false, false],
  ['a non-hex digit', (u) => `g${u.slice(1)}`, false, false],
  ['a leading space', (u) => ` ${u}`, false, false],
  ['a trailing newline', (u) => `${u}\n`, false, false],
  ['full-width digits', (u) => u.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))), false, false],
  ['empty', () => '', false, false],
];

const contractLayer = loadSpec({ layer: 'contract' });
const fullLayer = loadSpec();
const partialAccepted = loadSpec({ choices: { partialHyphenIds: 'accepted' } });

describe('one table of ids: the spec, the canonicaliser and the mock agree on every row', () => {
  it('has rows that only the contract accepts, so the two layers really differ', () => {
    expect(FORMS.filter(([, , mock, contract]) => contract && !mock).length).toBeGreaterThanOrEqual(4);
  });

  it.each(FORMS)('%s: each layer of the spec as its column says, canonicalUuid as the contract', (_form, write, mock, contract) => {
    const uuid = randomUUID();
    const id = write(uuid);
    expect(contractLayer.byId.updateApiKey.pathParams[0]!.validate(id)).toBe(contract);
    expect(contractLayer.schema('UuidInput')(id)).toBe(contract);
    expect(fullLayer.byId.deleteApiKey.pathParams[0]!.validate(id)).toBe(mock);
    expect(fullLayer.schema('UuidInput')(id)).toBe(mock);
    // partialHyphenIds 'accepted' lifts exactly the mock's pattern: the full layer then reads as the contract.
    expect(partialAccepted.byId.deleteApiKey.pathParams[0]!.validate(id)).toBe(contract);
    expect(canonicalUuid(id)).toBe(contract ? uuid : null);
  });

  for (const partialHyphenIds of ['refused', 'accepted'] as const) {
    const column = partialHyphenIds === 'refused' ? 'mock' : 'contract';
    it(`the mock (partialHyphenIds "${partialHyphenIds}") answers every path id as the ${column} column says: 200 naming the key, or 400 (update and delete, real socket)`, async () => {
      const mock = await fileMock({ choices: { partialHyphenIds } });
      const send = jsonRequests(mock.url, KEYS.alice);
      const verdicts: string[] = [];
      for (const [form, write, byMock, byContract] of FORMS) {
        const accepted = partialHyphenIds === 'refused' ? byMock : byContract;
        const uuid = randomUUID();
        const created = await send('POST', '/v1/apikeys', { apiKeyId: uuid });
        expect(created.status).toBe(201);
        const path = `/v1/apikeys/${encodeURIComponent(write(uuid))}`;
        if (path === '/v1/apikeys/') continue; // an empty id is another route (the collection), not an id
        const updated = await send('PUT', path, { mergeLabels: { form } });
        const deleted = await send('DELETE', path);
        const expected = accepted ? [200, 204] : [400, 400];
        if (updated.status !== expected[0] || deleted.status !== expected[1]) verdicts.push(`${form}: ${updated.status}/${deleted.status}`);
        if (accepted) expect((updated.json as { apiKeyId: string }).apiKeyId).toBe(uuid);
        else expect((updated.json as { error: string }).error).toMatch(/^path parameter id must be a UUID \(32 hex digits/);
      }
      expect(verdicts).toEqual([]);
    });

    it(`the mock (partialHyphenIds "${partialHyphenIds}") answers every client-chosen apiKeyId as the ${column} column says: 201 with the canonical id, or 400 storing nothing`, async () => {
      const mock = await fileMock({ choices: { partialHyphenIds } });
      const send = jsonRequests(mock.url, KEYS.alice);
      const verdicts: string[] = [];
      for (const [form, write, byMock, byContract] of FORMS) {
        const accepted = partialHyphenIds === 'refused' ? byMock : byContract;
        const uuid = randomUUID();
        const before = mock.store.allKeys().length;
        const created = await send('POST', '/v1/apikeys', { apiKeyId: write(uuid) });
        if (created.status !== (accepted ? 201 : 400)) verdicts.push(`${form}: ${created.status}`);
        if (accepted) expect((created.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId).toBe(uuid);
        else expect(mock.store.allKeys().length).toBe(before);
      }
      expect(verdicts).toEqual([]);
    });
  }

  it.each([
    ['refused', ', with all four hyphens or none, any case'],
    ['accepted', ' in any case, hyphens only between digits'],
  ] as const)('partialHyphenIds "%s": a refused id is named once, by the pattern the mock holds', async (partialHyphenIds, title) => {
    const mock = await fileMock({ choices: { partialHyphenIds } });
    const send = jsonRequests(mock.url, KEYS.alice);
    // Both layers' patterns refuse it; the full layer's tighter one says it all.
    const refused = await send('DELETE', '/v1/apikeys/not-a-uuid');
    expect(refused.status).toBe(400);
    expect(refused.json).toEqual({ error: `path parameter id must be a UUID (32 hex digits${title}), got "not-a-uuid"` });
  });
});
