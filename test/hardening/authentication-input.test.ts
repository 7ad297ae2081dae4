import { maxHeaderSize } from 'node:http';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { fileMock, type FileMock } from '../support/running-mock.ts';
import { rawRequest, requestText } from './support/raw-request.ts';

const KEY = DEV_KEYS.alice;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
// The same 16 bytes spelled differently: the last character carries 3 data bits
// and 2 unused ones; setting an unused bit must not name the same key.
const nonCanonical = KEY.slice(0, -1) + BASE32[BASE32.indexOf(KEY.at(-1)!) ^ 1];

// Each case presents credentials that must not authenticate (contracts/CONTRACT.md "Transport").
const unauthenticated: [string, string[], string?][] = [
  ['no x-api-key header', []],
  ['an empty x-api-key', ['x-api-key: ']],
  ['a wrong prefix', [`x-api-key: gk_${KEY.slice(3)}`]],
  ['the right prefix with a body that names no key', [`x-api-key: gm_${'a'.repeat(26)}`]],
  ['a key one character short', [`x-api-key: ${KEY.slice(0, -1)}`]],
  ['a key one character long', [`x-api-key: ${KEY}a`]],
  ['a non-canonical spelling of a valid key', [`x-api-key: ${nonCanonical}`]],
  ['the key upper-cased', [`x-api-key: ${KEY.toUpperCase()}`]],
  ['the key with its body upper-cased', [`x-api-key: gm_${KEY.slice(3).toUpperCase()}`]],
  ['a space inside the key', [`x-api-key: ${KEY.slice(0, 10)} ${KEY.slice(10)}`]],
  ['a tab inside the key', [`x-api-key: ${KEY.slice(0, 10)}\t${KEY.slice(10)}`]],
  ['the key followed by a space and more text', [`x-api-key: ${KEY} ${KEY}`]],
  ['a non-ASCII byte after the key', [`x-api-key: ${KEY}\u00e9`]],
  ['the valid key sent twice', [`x-api-key: ${KEY}`, `x-api-key: ${KEY}`]],
  ['the header sent twice in different case', [`X-Api-Key: ${KEY}`, `x-api-key: ${KEY}`]],
  ['the valid key and an empty second header', [`x-api-key: ${KEY}`, 'x-api-key: ']],
  ['a 10 KB header value', [`x-api-key: gm_${'a'.repeat(10 * 1024)}`]],
  ['a 10 KB header value that starts with the valid key', [`x-api-key: ${KEY}${'a'.repeat(10 * 1024)}`]],
  ['the key as Authorization without a scheme', [`authorization: ${KEY}`]],
  ['the key as Basic credentials', [`authorization: Basic ${Buffer.from(`${KEY}:`).toString('base64')}`]],
  ['Bearer with two spaces', [`authorization: Bearer  ${KEY}`]],
  ['Bearer sent twice', [`authorization: Bearer ${KEY}`, `authorization: Bearer ${KEY}`]],
  ['the key in a cookie', [`cookie: x-api-key=${KEY}`]],
  ['the key in the query string only', [], `x-api-key=${KEY}`],
];

// Bytes Node's HTTP parser refuses (RFC 9110 §5.5): the server's clientError
// handler must answer them with a JSON 400 before any route runs.
const malformed: [string, string][] = [
  ['a newline inside the value', `x-api-key: ${KEY}\nx`],
  ['a trailing bare newline', `x-api-key: ${KEY}\n`],
  ['a carriage return inside the value', `x-api-key: ${KEY}\rx`],
  ['a NUL byte', `x-api-key: ${KEY}\u0000`],
  ['a control character', `x-api-key: ${KEY}\u0001`],
  ['a DEL character', `x-api-key: ${KEY}\u007f`],
  ['an obsolete folded continuation line', `x-api-key: ${KEY}\r\n ${KEY}`],
];

/** One request per operation, each aimed at a change a successful authentication would make. */
function operations(id: string) {
  return [
    { method: 'GET', path: '/v1/apikeys', body: '' },
    { method: 'POST', path: '/v1/apikeys', body: '{"labels":{"via":"bad-auth"}}' },
    { method: 'PUT', path: `/v1/apikeys/${id}`, body: '{"status":"INACTIVE"}' },
    { method: 'DELETE', path: `/v1/apikeys/${id}`, body: '' },
  ];
}

async function withTarget() {
  const mock = await fileMock();
  const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': KEY }, body: {} });
  expect(res.status).toBe(201);
  const id = (res.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
  await mock.store.flush();
  return { mock, id };
}

/** Sends the request for every operation; each must get `status` with a JSON error and change nothing, lastUsedAt included. */
async function expectRefusedEverywhere(
  mock: FileMock,
  id: string,
  headerLines: string[],
  status: number | number[],
  what: string,
  query = '',
) {
  const memory = mock.memoryText();
  const file = mock.fileText();
  for (const op of operations(id)) {
    const lines = op.body ? [...headerLines, 'content-type: application/json'] : headerLines;
    const reply = await rawRequest(mock.port, requestText(op.method, `${op.path}${query ? `?${query}` : ''}`, lines, op.body));
    expectErrorReply({ ...reply, text: reply.body }, status, `${what}: ${op.method} ${op.path}`);
  }
  await mock.store.flush();
  expect(mock.memoryText(), `${what}: in-memory state`).toBe(memory);
  expect(mock.fileText(), `${what}: db file`).toBe(file);
}

describe('authentication input', () => {
  it('accepts the well-formed key (the baseline the other cases vary)', async () => {
    const { mock } = await withTarget();
    const reply = await rawRequest(mock.port, requestText('GET', '/v1/apikeys', [`x-api-key: ${KEY}`]));
    expect(reply.status).toBe(200);
    const bearer = await rawRequest(mock.port, requestText('GET', '/v1/apikeys', [`authorization: Bearer ${KEY}`]));
    expect(bearer.status).toBe(200);
  });

  it.each(unauthenticated)('answers 401 JSON to %s on every operation and changes nothing', async (what, headerLines, query) => {
    const { mock, id } = await withTarget();
    await expectRefusedEverywhere(mock, id, headerLines, 401, what, query);
  });

  it.each(malformed)('answers 400 JSON to %s on every operation and changes nothing', async (what, headerLine) => {
    const { mock, id } = await withTarget();
    await expectRefusedEverywhere(mock, id, [headerLine], 400, what);
  });

  it('gives a Prism-style Prefer request without credentials only the spec’s example: no stored data, no change', async () => {
    // The mock honours `Prefer: code=NNN` before authentication, as Prism does; that
    // may answer 2xx without a key, so it must never reach real data or state.
    const { mock, id } = await withTarget();
    const before = mock.memoryText();
    const stored = [...mock.store.allKeys().flatMap((k) => [k.apiKeyId, k.userId, k.keyHash])];
    for (const op of operations(id)) {
      const success = loadSpec().operations.find((o) => o.method.toUpperCase() === op.method && o.match(op.path))!.statuses[0]!;
      const lines = [`prefer: code=${success}`, ...(op.body ? ['content-type: application/json'] : [])];
      const reply = await rawRequest(mock.port, requestText(op.method, op.path, lines, op.body));
      expect(reply.status).toBe(success);
      for (const value of stored) expect(reply.body, `${op.method} ${op.path}`).not.toContain(value);
    }
    expect(mock.memoryText()).toBe(before);
  });

  it("answers 431 JSON to headers over Node's size limit on every operation and changes nothing", async () => {
    const { mock, id } = await withTarget();
    await expectRefusedEverywhere(mock, id, [`x-api-key: ${KEY}${'a'.repeat(maxHeaderSize)}`], 431, 'oversized header');
  });
});
