import { describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { expectErrorReply, expectNoLeak } from './support/expect-error-reply.ts';
import { fileMock, type FileMock } from '../support/running-mock.ts';

const USERS = { bob: '00000000-0000-4000-8000-000000000003' };
const BOB_MARKER = 'bob-private-marker';
const alice = { 'x-api-key': DEV_KEYS.alice };

interface KeyBody {
  apiKeyId: string;
  status: string;
  labels: Record<string, string> | null;
  updatedAt: number;
}

/** alice's key A and bob's key B, labelled so that a leak of B is visible in any reply. */
async function twoKeys() {
  const mock = await fileMock();
  const make = async (apiKey: string, labels: Record<string, string>) => {
    const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': apiKey }, body: { labels } });
    expect(res.status).toBe(201);
    return (res.json as { apiKeyMetadata: KeyBody }).apiKeyMetadata.apiKeyId;
  };
  const a = await make(DEV_KEYS.alice, { owner: 'alice' });
  const b = await make(DEV_KEYS.bob, { secret: BOB_MARKER });
  return { mock, a, b };
}

/** Nothing of bob's key may appear in a reply to alice (contracts/CONTRACT.md "Someone else's key"). */
function expectNoForeignData(text: string, context: string) {
  expect(text, context).not.toContain(BOB_MARKER);
  expect(text, context).not.toContain(USERS.bob);
}

async function expectRejectedUnchanged(mock: FileMock, request: Parameters<FileMock['send']>[0], statuses: number[], context: string) {
  const before = mock.stateText();
  const reply = await mock.send(request);
  expectErrorReply(reply, statuses, context);
  expectNoForeignData(reply.text, context);
  expect(mock.stateText(), `${context}: state`).toBe(before);
}

describe('type confusion in the update body', () => {
  it.each<[string, unknown]>([
    ['status "active" (lower case)', { status: 'active' }],
    ['status "Active"', { status: 'Active' }],
    ['status "DELETED"', { status: 'DELETED' }],
    ['status with a trailing space', { status: 'ACTIVE ' }],
    ['status in full-width letters', { status: 'ＡＣＴＩＶＥ' }],
    ['status ""', { status: '' }],
    ['status 123', { status: 123 }],
    ['status true', { status: true }],
    ['status []', { status: [] }],
    ['status ["INACTIVE"]', { status: ['INACTIVE'] }],
    ['status {}', { status: {} }],
    ['status {"$ne": null}', { status: { $ne: null } }],
    ['replaceLabels "x"', { replaceLabels: 'x' }],
    ['replaceLabels []', { replaceLabels: [] }],
    ['replaceLabels [["k","v"]]', { replaceLabels: [['k', 'v']] }],
    ['mergeLabels 1', { mergeLabels: 1 }],
    ['a label value of 1', { mergeLabels: { k: 1 } }],
    ['a label value of true', { mergeLabels: { k: true } }],
    ['a label value of null', { mergeLabels: { k: null } }],
    ['a label value of {}', { mergeLabels: { k: {} } }],
    ['a label value of ["v"]', { mergeLabels: { k: ['v'] } }],
  ])('rejects %s with 400 and changes nothing', async (what, body) => {
    const { mock, a } = await twoKeys();
    await expectRejectedUnchanged(mock, { method: 'PUT', path: `/v1/apikeys/${a}`, headers: alice, body }, [400], what);
  });

  it('treats status null as "no change" (the schema makes it nullable): 200 and the key as it was', async () => {
    const { mock, a } = await twoKeys();
    const before = mock.stateText();
    const reply = await mock.send({ method: 'PUT', path: `/v1/apikeys/${a}`, headers: alice, body: { status: null } });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.json).toMatchObject({ apiKeyId: a, status: 'ACTIVE', labels: { owner: 'alice' } });
    expect(mock.stateText()).toBe(before);
  });
});

describe('type confusion in the create body', () => {
  it.each<[string, unknown]>([
    ['expiresAt as a date string', { expiresAt: '2030-01-01' }],
    ['expiresAt with a fraction', { expiresAt: 4102444800000.5 }],
    ['expiresAt negative', { expiresAt: -1 }],
    ['expiresAt true', { expiresAt: true }],
    ['expiresAt as an array', { expiresAt: [4102444800000] }],
    ['expiresAt of 1e400 (Infinity once parsed)', '{"expiresAt": 1e400}'],
    ['labels as a string', { labels: 'env=ci' }],
    ['labels as an array of pairs', { labels: [['env', 'ci']] }],
  ])('rejects %s with 400 and changes nothing', async (what, body) => {
    const { mock } = await twoKeys();
    await expectRejectedUnchanged(
      mock,
      { method: 'POST', path: '/v1/apikeys', headers: { ...alice, 'content-type': 'application/json' }, body },
      [400],
      what,
    );
  });
});

describe('repeated and unexpected query parameters', () => {
  it('never widen a list beyond the caller’s own keys', async () => {
    const { mock, a } = await twoKeys();
    const plain = await mock.send({ path: '/v1/apikeys', headers: alice });
    const ids = (r: { json: unknown }) => (r.json as { keys: KeyBody[] }).keys.map((k) => k.apiKeyId);
    for (const query of [
      `userId=${USERS.bob}&userId=${USERS.bob}`,
      'all=true&all=true',
      'limit=1&limit=100000',
      'scope=ANY&scope=ANY',
      'userId[]=x&userId[]=y',
    ]) {
      const reply = await mock.send({ path: `/v1/apikeys?${query}`, headers: alice });
      expect(reply.status, query).toBe(200);
      expect(ids(reply), query).toEqual(ids(plain));
      expect(ids(reply)).toContain(a);
      expectNoForeignData(reply.text, query);
      expectNoLeak(reply, query);
    }
  });

  it('never redirect an update or delete to another key', async () => {
    const { mock, a, b } = await twoKeys();
    const updated = await mock.send({
      method: 'PUT',
      path: `/v1/apikeys/${a}?id=${b}&id=${b}`,
      headers: alice,
      body: { mergeLabels: { via: 'query' } },
    });
    expect(updated.status).toBe(200);
    expect((updated.json as KeyBody).apiKeyId).toBe(a);
    expect(mock.store.keyById(b)!.labels).toEqual({ secret: BOB_MARKER });
    await expectRejectedUnchanged(
      mock,
      { method: 'DELETE', path: `/v1/apikeys/${b}?id=${a}&id=${a}`, headers: alice },
      [403, 404],
      'delete B?id=A',
    );
    await expectRejectedUnchanged(
      mock,
      { method: 'DELETE', path: `/v1/apikeys/not-a-uuid?id=${a}`, headers: alice },
      [400],
      'delete bad?id=A',
    );
    expect(mock.store.keyById(a)).toBeDefined();
  });
});

describe('ids that are not what they seem', () => {
  /** [what, path suffix after /v1/apikeys/, allowed statuses]; A = alice's key id, B = bob's. */
  const cases = (a: string, b: string): [string, string, number[]][] => [
    ['A with an encoded query', `${a}%3Fx%3D1`, [400]],
    ['the literal {}', '{}', [400]],
    ['an encoded {}', '%7B%7D', [400]],
    ['an encoded traversal', '..%2Fx', [400]],
    ['an encoded traversal to the control plane', '..%2F..%2F_mock%2Fhealth', [400]],
    ['encoded dots', '%2e%2e', [400]],
    ['a raw traversal (two segments)', '../apikeys', [404]],
    ['a 10 KB id', 'a'.repeat(10 * 1024), [400]],
    ['B followed by 10 KB', `${b}${'a'.repeat(10 * 1024)}`, [400]],
    ['a non-ASCII letter', '%C3%A9', [400]],
    ['A in full-width digits', encodeURIComponent(a.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))), [400]],
    ['A with Unicode hyphens', encodeURIComponent(a.replace(/-/g, '\u2010')), [400]],
    ['A in Arabic-Indic digits', encodeURIComponent(a.replace(/[0-9]/g, (d) => String.fromCharCode(0x0660 + Number(d)))), [400]],
    ['A with a zero-width space', `${a}%E2%80%8B`, [400]],
    ['A with an encoded NUL', `${a}%00`, [400]],
    ['A with an encoded trailing newline', `${a}%0A`, [400]],
    ['A with an encoded leading space', `%20${a}`, [400]],
    ['A in braces', `%7B${a}%7D`, [400]],
    ['A as a URN', `urn:uuid:${a}`, [400]],
    ['A and B joined by a comma', `${a},${b}`, [400]],
    ['A and B joined by a semicolon', `${a};${b}`, [400]],
    ['null', 'null', [400]],
    ['0', '0', [400]],
    ['-1', '-1', [400]],
    ['a malformed escape', '%E0%A4%A', [400]],
    ['the nil UUID', '00000000-0000-0000-0000-000000000000', [404]],
    ['the max UUID', 'ffffffff-ffff-ffff-ffff-ffffffffffff', [404]],
    ['B upper-cased', b.toUpperCase(), [403, 404]],
    ['B without hyphens', b.replace(/-/g, ''), [403, 404]],
  ];

  it.each(['PUT', 'DELETE'])('%s answers 400/403/404 for each, never 5xx, never B’s data, and changes nothing', async (method) => {
    const { mock, a, b } = await twoKeys();
    for (const [what, suffix, statuses] of cases(a, b)) {
      const body = method === 'PUT' ? { status: 'INACTIVE', mergeLabels: { hacked: 'yes' } } : undefined;
      await expectRejectedUnchanged(mock, { method, path: `/v1/apikeys/${suffix}`, headers: alice, body }, statuses, `${method} ${what}`);
    }
  });

  it('treats a real query string or a trailing slash after A as A itself, and nothing else', async () => {
    const { mock, a, b } = await twoKeys();
    for (const suffix of [`${a}?x=1`, `${a}/`, a.toUpperCase(), a.replace(/-/g, '')]) {
      const reply = await mock.send({
        method: 'PUT',
        path: `/v1/apikeys/${suffix}`,
        headers: alice,
        body: { mergeLabels: { seen: suffix.slice(-3) } },
      });
      expect(reply.status, `${suffix}: ${reply.text}`).toBe(200);
      expect((reply.json as KeyBody).apiKeyId).toBe(a);
      expectNoForeignData(reply.text, suffix);
    }
    expect(mock.store.keyById(b)!.labels).toEqual({ secret: BOB_MARKER });
  });
});
