import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadSpec, type OperationId } from '../../contracts/openapi/load-spec.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { expectErrorReply, expectNoLeak } from './support/expect-error-reply.ts';
import { ADMIN_TOKEN, fileMock, spawnMock } from '../support/running-mock.ts';
import { httpClient, type SendOptions } from './support/http-client.ts';
import { rawRequest } from './support/raw-request.ts';

interface Probe {
  what: string;
  request: SendOptions;
  status: number;
  /** The operation whose documented responses the reply must match, when the status is one it documents. */
  operationId?: OperationId;
  /** What the error message must say (e.g. the limit that applied). */
  message?: RegExp;
}

const MiB = 1024 * 1024;
const auth = { 'x-api-key': DEV_KEYS.alice };
const json = { ...auth, 'content-type': 'application/json' };

/** Bodies that are not a JSON object, or not JSON, or not sent as JSON: each a 400 (contracts/CONTRACT.md create/update). */
function badBodies(): [string, SendOptions['headers'], string | Buffer][] {
  return [
    ['malformed JSON', json, '{"labels": '],
    ['a top-level null', json, 'null'],
    ['a top-level array', json, '[]'],
    ['a top-level string', json, '"x"'],
    ['a top-level number', json, '123'],
    ['a top-level true', json, 'true'],
    ['JSON sent as text/plain', { ...auth, 'content-type': 'text/plain' }, '{}'],
    ['a form body', { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, 'labels=x'],
    ['a multipart body', { ...auth, 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\n\r\n{}\r\n--x--'],
    ['a body without a content type', auth, '{}'],
    ['JSON in an unsupported charset', { ...json, 'content-type': 'application/json; charset=latin1' }, '{}'],
    ['a corrupt gzip body', { ...json, 'content-encoding': 'gzip' }, Buffer.from('not gzip at all')],
    ['an unknown content encoding', { ...json, 'content-encoding': 'x-unknown' }, '{}'],
    ['100,000 nested arrays', json, `{"labels": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ['100,000 nested arrays at the top level', json, `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
  ];
}

/** Every probe against one running mock; `id` is one of alice's keys. */
function probes(id: string): Probe[] {
  const list: Probe[] = [];
  const withBody = [
    { operationId: 'createApiKey' as const, method: 'POST', path: '/v1/apikeys' },
    { operationId: 'updateApiKey' as const, method: 'PUT', path: `/v1/apikeys/${id}` },
  ];
  for (const op of withBody) {
    for (const [what, headers, body] of badBodies())
      list.push({ what: `${op.operationId}: ${what}`, request: { ...op, headers, body }, status: 400, operationId: op.operationId });
    list.push({ what: `${op.operationId}: no body at all`, request: { ...op, headers: auth }, status: 400, operationId: op.operationId });
    const huge = JSON.stringify({ labels: { k: 'v'.repeat(MiB) } });
    list.push({
      what: `${op.operationId}: a body over 1 MiB`,
      request: { ...op, headers: json, body: huge },
      status: 413,
      message: /1 MiB/,
    });
    list.push({
      what: `${op.operationId}: a chunked body over 1 MiB`,
      request: { ...op, headers: { ...json, 'transfer-encoding': 'chunked' }, body: huge },
      status: 413,
      message: /1 MiB/,
    });
    list.push({
      what: `${op.operationId}: a gzip body that inflates past 1 MiB`,
      request: { ...op, headers: { ...json, 'content-encoding': 'gzip' }, body: gzipSync(huge) },
      status: 413,
      message: /1 MiB/,
    });
  }
  for (const path of ['/', '/v1', '/v2/apikeys', '/v1/apikeys/a/b', `/v1/apikeys/${id}/labels`, '/%', '/_mockx', '/v1/apikeys.json']) {
    list.push({ what: `unknown route GET ${path}`, request: { path, headers: auth }, status: 404 });
  }
  list.push({
    what: 'a malformed percent-encoding in the id',
    request: { method: 'DELETE', path: '/v1/apikeys/%E0%A4%A', headers: auth },
    status: 400,
    operationId: 'deleteApiKey',
  });
  list.push({
    what: 'control plane: malformed JSON',
    request: {
      method: 'POST',
      path: '/_mock/users',
      headers: { 'x-admin-token': ADMIN_TOKEN, 'content-type': 'application/json' },
      body: '{"name":',
    },
    status: 400,
  });
  list.push({
    what: 'control plane: a body over its limit',
    request: { method: 'POST', path: '/_mock/users', headers: { 'x-admin-token': ADMIN_TOKEN }, body: { name: 'x'.repeat(MiB) } },
    status: 413,
    message: /64 KiB/,
  });
  return list;
}

/** For every path of openapi.yaml, each method it does not declare: 405 with the declared ones in Allow. */
function wrongMethods(id: string) {
  return loadSpec().paths.flatMap(({ path, methods }) =>
    ['GET', 'POST', 'PUT', 'DELETE', 'PATCH']
      .filter((method) => !methods.includes(method))
      .map((method) => ({ method, path: path.replace('{id}', id), allow: methods })),
  );
}

async function checkHygiene(baseUrl: string) {
  const { send } = httpClient(baseUrl);
  const created = await send({ method: 'POST', path: '/v1/apikeys', headers: auth, body: {} });
  expect(created.status).toBe(201);
  expectNoLeak(created, 'create');
  const id = (created.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
  const listed = await send({ path: '/v1/apikeys', headers: auth });
  expect(listed.status).toBe(200);
  expectNoLeak(listed, 'list');
  const before = listed.text.replace(/"lastUsedAt":\d+/g, '');

  for (const probe of probes(id)) {
    const reply = await send(probe.request);
    expectErrorReply(reply, probe.status, probe.what, probe.operationId);
    if (probe.message) expect((reply.json as { error: string }).error, probe.what).toMatch(probe.message);
  }
  for (const { method, path, allow } of wrongMethods(id)) {
    const reply = await send({ method, path, headers: auth });
    expectErrorReply(reply, 405, `${method} ${path}`);
    expect(String(reply.headers.allow).split(/,\s*/).sort(), `${method} ${path} Allow`).toEqual([...allow].sort());
  }
  const after = await send({ path: '/v1/apikeys', headers: auth });
  expect(after.text.replace(/"lastUsedAt":\d+/g, ''), 'no probe changed the stored keys').toBe(before);
}

describe('body hygiene and the error surface', () => {
  it('answers every malformed, oversized or misrouted request with a JSON error (in-process, NODE_ENV=test)', async () => {
    const mock = await fileMock();
    await checkHygiene(mock.url);
  });

  it('does the same in the CLI process without NODE_ENV=production, where Express would otherwise show stacks', async () => {
    const mock = await spawnMock(['--port', '0', '--in-memory', '--admin-token', ADMIN_TOKEN, '--log-level', 'error'], {
      env: { NODE_ENV: undefined },
    });
    await checkHygiene(mock.url);
    expect(mock.isRunning()).toBe(true);
    expect(mock.stderr()).toBe('');
  });
});

describe('protocol-level errors, answered by the server before any route runs', () => {
  const key = DEV_KEYS.alice;
  const create = (headers: string) =>
    `POST /v1/apikeys HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${key}\r\ncontent-type: application/json\r\n${headers}`;
  it.each<[string, string, number]>([
    [
      'Content-Length and Transfer-Encoding together (request smuggling)',
      `${create('Content-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n')}2\r\n{}\r\n0\r\n\r\n`,
      400,
    ],
    ['two different Content-Lengths', `${create('Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n')}{} `, 400],
    ['a chunk size that is not hex', `${create('Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n')}zz\r\n{}\r\n0\r\n\r\n`, 400],
    ['a body shorter than its Content-Length', `${create('Content-Length: 10\r\n\r\n')}{}`, 400],
    ['an unknown HTTP version', 'GET /v1/apikeys HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 400],
    ['an invalid method token', 'G(T /v1/apikeys HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 400],
    ['a space inside the path', 'GET /v1/api keys HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 400],
    [
      'a 20 KB request target',
      `GET /v1/apikeys/${'a'.repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${key}\r\nConnection: close\r\n\r\n`,
      431,
    ],
    ['an HTTP/1.1 request without Host (RFC 9112 §3.2)', `GET /v1/apikeys HTTP/1.1\r\nx-api-key: ${key}\r\nConnection: close\r\n\r\n`, 400],
  ])('answers %s with a JSON error and changes nothing', async (what, request, status) => {
    const mock = await fileMock();
    const before = mock.stateText();
    const reply = await rawRequest(mock.port, request);
    expectErrorReply({ ...reply, text: reply.body }, status, what);
    expect(mock.stateText()).toBe(before);
  });
});
