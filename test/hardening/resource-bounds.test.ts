import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { ADMIN_TOKEN, fileMock, type FileMock } from '../support/running-mock.ts';
import { labelBounds } from './support/spec-facts.ts';

const alice = { 'x-api-key': DEV_KEYS.alice };
const { maxEntries, minKeyLength, maxKeyLength, maxValueLength } = labelBounds();
// The costliest characters to store: an astral code point is 4 UTF-8 bytes and
// counts as one character; a control character becomes 6 bytes (\u0001) in JSON.
const ASTRAL = '\u{1F600}';
const CONTROL = '\u0001';
// Worst case on disk for one key: every label at its bounds in the costliest
// characters, plus its fixed fields (ids, hash, timestamps) with generous room.
const MAX_BYTES_PER_KEY = maxEntries * (4 * maxKeyLength + 6 * maxValueLength + 8) + 1024;

/** `count` small labels. */
function labels(count: number): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));
}

/** A full label set at every bound, in the costliest characters: astral keys, control-character values. */
function biggest(variant = 0): Record<string, string> {
  return Object.fromEntries(
    Array.from({ length: maxEntries }, (_, n) => {
      const prefix = `${variant}-${n}-`;
      return [prefix + ASTRAL.repeat(maxKeyLength - prefix.length), CONTROL.repeat(maxValueLength)];
    }),
  );
}

const fileSize = (mock: FileMock) => statSync(mock.dbPath).size;

async function create(mock: FileMock, body: unknown) {
  return mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body });
}

describe('resource bounds (the Labels schema of openapi.yaml)', () => {
  it('are stated in openapi.yaml: at most 10 labels (contracts/CONTRACT.md "Schemas"), non-empty keys, finite key and value lengths', () => {
    expect(maxEntries).toBe(10);
    expect(minKeyLength).toBe(1);
    for (const bound of [maxKeyLength, maxValueLength]) expect(Number.isInteger(bound) && bound > 0).toBe(true);
    for (const [key, value] of Object.entries(biggest())) {
      expect([...key]).toHaveLength(maxKeyLength);
      expect([...value]).toHaveLength(maxValueLength);
    }
  });

  it('accepts labels exactly at every bound and rejects one past each, on create, replace and merge', async () => {
    const mock = await fileMock();
    const atBounds = await create(mock, { labels: biggest() });
    expect(atBounds.status, atBounds.text).toBe(201);
    const id = (atBounds.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
    const put = (body: unknown) => mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body });
    const state = mock.stateText();
    const pastBounds: [string, Record<string, string>][] = [
      ['one label too many', labels(maxEntries + 1)],
      ['a key one character too long', { [ASTRAL.repeat(maxKeyLength + 1)]: 'v' }],
      ['an empty key', { '': 'v' }],
      ['a value one character too long', { k: ASTRAL.repeat(maxValueLength + 1) }],
    ];
    for (const [what, over] of pastBounds) {
      expectErrorReply(await create(mock, { labels: over }), 400, `create: ${what}`, 'createApiKey');
      expectErrorReply(await put({ replaceLabels: over }), 400, `replace: ${what}`, 'updateApiKey');
      expectErrorReply(await put({ mergeLabels: over }), 400, `merge: ${what}`, 'updateApiKey');
    }
    // A merge of valid new labels onto a full set would exceed the count.
    expectErrorReply(await put({ mergeLabels: { extra: 'v' } }), 400, 'merge past the count', 'updateApiKey');
    expect(mock.stateText()).toBe(state);
    expect((await put({ replaceLabels: biggest(1) })).status).toBe(200);
  });

  it('keeps each key within a fixed number of bytes on disk, however big and however often it is written', async () => {
    const mock = await fileMock();
    await mock.store.flush();
    const empty = fileSize(mock);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await create(mock, { labels: biggest(i) });
      expect(reply.status, reply.text).toBe(201);
      ids.push((reply.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId);
    }
    const full = fileSize(mock);
    expect(full - empty).toBeLessThanOrEqual(3 * MAX_BYTES_PER_KEY);
    // Writing the same keys again and again (replace, merge, status) cannot grow them past the bound.
    for (let round = 0; round < 10; round++) {
      for (const id of ids) {
        const put = (body: unknown) => mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body });
        expect((await put({ replaceLabels: biggest(round + 3) })).status).toBe(200);
        expect((await put({ mergeLabels: { [`${round}`]: 'x' } })).status).toBe(400);
        expect((await put({ status: round % 2 ? 'ACTIVE' : 'INACTIVE' })).status).toBe(200);
      }
    }
    expect(fileSize(mock) - empty).toBeLessThanOrEqual(3 * MAX_BYTES_PER_KEY);
  });

  it('stores nothing of an unknown field when the mock is set to ignore them (create and update alike)', async () => {
    const mock = await fileMock({ choices: { unknownFields: 'ignored' } });
    await mock.store.flush();
    const empty = fileSize(mock);
    const reply = await create(mock, { labels: { a: 'b' }, padding: 'p'.repeat(900 * 1024), nested: { deep: ['x'.repeat(1000)] } });
    expect(reply.status, reply.text.slice(0, 200)).toBe(201);
    expect(fileSize(mock) - empty).toBeLessThanOrEqual(MAX_BYTES_PER_KEY);
    expect(mock.fileText()).not.toContain('padding');
    const created = (reply.json as { apiKeyMetadata: { apiKeyId: string; userId: string } }).apiKeyMetadata;
    const put = await mock.send({
      method: 'PUT',
      path: `/v1/apikeys/${created.apiKeyId}`,
      headers: alice,
      body: { status: 'INACTIVE', userId: 'x', keyHash: 'y'.repeat(500_000) },
    });
    // Unknown (here: immutable) fields are dropped before validation: the status changes, nothing else.
    expect(put.status, put.text.slice(0, 200)).toBe(200);
    expect(put.json).toMatchObject({ status: 'INACTIVE', userId: created.userId });
    expect(fileSize(mock) - empty).toBeLessThanOrEqual(MAX_BYTES_PER_KEY);
    expect(mock.fileText()).not.toContain('yyyy');
  });

  it('bounds what the control plane stores too: a user name is at most 128 characters', async () => {
    const mock = await fileMock();
    const state = mock.stateText();
    const reply = await mock.send({
      method: 'POST',
      path: '/_mock/users',
      headers: { 'x-admin-token': ADMIN_TOKEN },
      body: { name: 'n'.repeat(129) },
    });
    expectErrorReply(reply, 400, 'a 129-character user name');
    expect(mock.stateText()).toBe(state);
  });
});
