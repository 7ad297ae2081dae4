import { describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { createMock } from '../../mock/create-mock.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { ADMIN_TOKEN, fileMock, type FileMock } from '../support/running-mock.ts';

// Label keys that name prototype machinery; written as JSON text so that no
// object literal in this file can turn `__proto__` into a prototype.
const DANGEROUS =
  '{"__proto__":"x","constructor":"y","prototype":"z","hasOwnProperty":"h","toString":"t","valueOf":"v","__defineGetter__":"g"}';
const MERGE = '{"__proto__":"merged","isPrototypeOf":"i"}';
const MERGED =
  '{"__proto__":"merged","constructor":"y","prototype":"z","hasOwnProperty":"h","toString":"t","valueOf":"v","__defineGetter__":"g","isPrototypeOf":"i"}';
const REPLACE = '{"constructor":"only","__proto__":"replaced"}';

const auth = { 'x-api-key': DEV_KEYS.alice, 'content-type': 'application/json' };

/** Own property names of the built-in prototypes: a pollution adds one, a swap changes a label object's prototype. */
function prototypeFingerprint(): string {
  return JSON.stringify(
    [Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort()),
  );
}

/** The labels exactly as the JSON text says, in order: JSON.parse keeps `__proto__` as an own data property. */
function labelsText(body: unknown): string {
  return JSON.stringify((body as { labels: unknown }).labels);
}

async function labelsEverywhere(mock: FileMock, id: string) {
  const listed = await mock.send({ path: '/v1/apikeys', headers: auth });
  const key = (listed.json as { keys: { apiKeyId: string; labels: unknown }[] }).keys.find((k) => k.apiKeyId === id);
  const onDisk = (JSON.parse(mock.fileText()) as { keys: Record<string, { labels: unknown }> }).keys[id];
  const stored = mock.store.keyById(id)!.labels!;
  expect(Object.getPrototypeOf(stored), 'the stored label object keeps a plain prototype').toBe(Object.prototype);
  return { listed: labelsText(key), onDisk: labelsText(onDisk), stored: JSON.stringify(stored) };
}

describe('prototype-named label keys are data, never prototype machinery', () => {
  it('stores and echoes them exactly on create, merge and replace, on disk and after a restart, touching no prototype', async () => {
    const fingerprint = prototypeFingerprint();
    const mock = await fileMock();
    const created = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: auth, body: `{"labels":${DANGEROUS}}` });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
    expect(labelsText((created.json as { apiKeyMetadata: unknown }).apiKeyMetadata)).toBe(DANGEROUS);
    expect(await labelsEverywhere(mock, id)).toEqual({ listed: DANGEROUS, onDisk: DANGEROUS, stored: DANGEROUS });

    const merged = await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: auth, body: `{"mergeLabels":${MERGE}}` });
    expect(merged.status, merged.text).toBe(200);
    expect(labelsText(merged.json)).toBe(MERGED);
    expect(await labelsEverywhere(mock, id)).toEqual({ listed: MERGED, onDisk: MERGED, stored: MERGED });

    // The same merge again changes nothing: label comparison is by own properties, not inherited ones.
    const updatedAt = mock.store.keyById(id)!.updatedAt;
    mock.clock.advance(1000);
    const again = await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: auth, body: `{"mergeLabels":${MERGE}}` });
    expect((again.json as { updatedAt: number }).updatedAt).toBe(updatedAt);

    const replaced = await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: auth, body: `{"replaceLabels":${REPLACE}}` });
    expect(replaced.status, replaced.text).toBe(200);
    expect(labelsText(replaced.json)).toBe(REPLACE);
    expect(await labelsEverywhere(mock, id)).toEqual({ listed: REPLACE, onDisk: REPLACE, stored: REPLACE });

    await mock.store.flush();
    const reopened = await createMock({ dbPath: mock.dbPath, logLevel: 'silent' });
    expect(JSON.stringify(reopened.store.keyById(id)!.labels)).toBe(REPLACE);
    expect(Object.getPrototypeOf(reopened.store.keyById(id)!.labels)).toBe(Object.prototype);
    await reopened.store.close();

    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeFingerprint()).toBe(fingerprint);
  });

  it.each([
    ['create: a __proto__ label whose value is an object', 'POST', '{"labels":{"__proto__":{"polluted":"yes"}}}'],
    ['create: a top-level __proto__ object', 'POST', '{"__proto__":{"polluted":"yes"}}'],
    ['create: a constructor.prototype chain', 'POST', '{"constructor":{"prototype":{"polluted":"yes"}}}'],
    ['update: a top-level __proto__ carrying a status', 'PUT', '{"__proto__":{"status":"INACTIVE","polluted":"yes"}}'],
    ['update: mergeLabels with an object under __proto__', 'PUT', '{"mergeLabels":{"__proto__":{"polluted":"yes"}}}'],
    ['update: replaceLabels with an object under constructor', 'PUT', '{"replaceLabels":{"constructor":{"prototype":{"polluted":"yes"}}}}'],
  ])('rejects %s with 400, stores nothing and pollutes nothing', async (_what, method, body) => {
    const fingerprint = prototypeFingerprint();
    const mock = await fileMock();
    const created = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: auth, body: '{"labels":{"keep":"me"}}' });
    const id = (created.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
    const before = mock.stateText();
    const path = method === 'POST' ? '/v1/apikeys' : `/v1/apikeys/${id}`;
    const reply = await mock.send({ method, path, headers: auth, body });
    expectErrorReply(reply, 400, body, method === 'POST' ? 'createApiKey' : 'updateApiKey');
    expect(mock.stateText()).toBe(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeFingerprint()).toBe(fingerprint);
  });

  it('ignores prototype-shaped query parameters and headers, and rejects them in control-plane bodies', async () => {
    const fingerprint = prototypeFingerprint();
    const mock = await fileMock();
    const listed = await mock.send({
      path: '/v1/apikeys?__proto__[polluted]=yes&constructor[prototype][polluted]=yes&__proto__.polluted=yes',
      headers: { ...auth, __proto__: 'x', constructor: 'y' } as Record<string, string>,
    });
    expect(listed.status).toBe(200);
    const users = await mock.send({
      method: 'POST',
      path: '/_mock/users',
      headers: { 'x-admin-token': ADMIN_TOKEN, 'content-type': 'application/json' },
      body: '{"__proto__":{"role":"ROOT","polluted":"yes"}}',
    });
    expectErrorReply(users, 400, 'control plane __proto__');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(prototypeFingerprint()).toBe(fingerprint);
  });
});
