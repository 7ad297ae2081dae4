import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalUuid } from '../../contracts/openapi/canonical-uuid.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { KEYS, fileMock, jsonRequests } from '../support/running-mock.ts';

// contracts/CONTRACT.md "Ids": 32 hex digits with all four hyphens or none, any case; nothing else.
// One table of ids, fed to the spec's pattern (both layers), the shared canonicaliser and the
// mock (as a path id and as a client-chosen apiKeyId): all of them must agree on every row.
type Form = readonly [form: string, write: (uuid: string) => string, accepted: boolean];
const hex = (uuid: string) => uuid.replace(/-/g, '');
const FORMS: readonly Form[] = [
  ['canonical', (u) => u, true],
  ['upper case', (u) => u.toUpperCase(), true],
  ['mixed case', (u) => u.replace(/[a-f]/, (c) => c.toUpperCase()), true],
  ['no hyphens', (u) => hex(u), true],
  ['no hyphens, upper case', (u) => hex(u).toUpperCase(), true],
  ['only the first hyphen', (u) => `${hex(u).slice(0, 8)}-${hex(u).slice(8)}`, false],
  ['three of the four hyphens', (u) => u.replace(/-(?=[^-]*$)/, ''), false],
  ['hyphens in other places', (u) => hex(u).replace(/(.{4})(.{8})(.{4})(.{4})(.{12})/, '$1-$2-$3-$4-$5'), false],
  ['a fifth hyphen', (u) => `${u.slice(0, 2)}-${u.slice(2)}`, false],
  ['braces', (u) => `{${u}}`, false],
  ['urn form', (u) => `urn:uuid:${u}`, false],
  ['31 hex digits', (u) => hex(u).slice(1), false],
  ['33 hex digits', (u) => `${hex(u)}0`, false],
  ['last group of 11', (u) => u.slice(0, -1), false],
  ['last group of 13', (u) => `${u}0`, false],
  ['a non-hex digit', (u) => `g${u.slice(1)}`, false],
  ['a leading space', (u) => ` ${u}`, false],
  ['a trailing newline', (u) => `${u}\n`, false],
  ['full-width digits', (u) => u.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d))), false],
  ['empty', () => '', false],
];

const contractLayer = loadSpec({ layer: 'contract' });
const fullLayer = loadSpec();

describe('one table of ids: the spec, the canonicaliser and the mock agree on every row', () => {
  it.each(FORMS)('%s: the pattern of both layers and canonicalUuid say the same', (_form, write, accepted) => {
    const id = write(randomUUID());
    expect(contractLayer.byId.updateApiKey.pathParams[0]!.validate(id)).toBe(accepted);
    expect(fullLayer.byId.deleteApiKey.pathParams[0]!.validate(id)).toBe(accepted);
    expect(contractLayer.schema('UuidInput')(id)).toBe(accepted);
    expect(canonicalUuid(id) !== null).toBe(accepted);
  });

  it('the mock answers every path id as the pattern says: 200 naming the key, or 400 (update and delete, real socket)', async () => {
    const mock = await fileMock();
    const send = jsonRequests(mock.url, KEYS.alice);
    const verdicts: string[] = [];
    for (const [form, write, accepted] of FORMS) {
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

  it('the mock answers every client-chosen apiKeyId as the pattern says: 201 with the canonical id, or 400 storing nothing', async () => {
    const mock = await fileMock();
    const send = jsonRequests(mock.url, KEYS.alice);
    const verdicts: string[] = [];
    for (const [form, write, accepted] of FORMS) {
      const uuid = randomUUID();
      const before = mock.store.allKeys().length;
      const created = await send('POST', '/v1/apikeys', { apiKeyId: write(uuid) });
      if (created.status !== (accepted ? 201 : 400)) verdicts.push(`${form}: ${created.status}`);
      if (accepted) expect((created.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId).toBe(uuid);
      else expect(mock.store.allKeys().length).toBe(before);
    }
    expect(verdicts).toEqual([]);
  });
});
