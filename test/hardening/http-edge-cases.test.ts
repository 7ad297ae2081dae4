import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { ADMIN_TOKEN, fileMock } from '../support/running-mock.ts';
import { framed } from './support/framings.ts';
import { rawRequest } from './support/raw-request.ts';

// The hostile-client findings, each with the exact request that showed it, over a real socket.
const alice = DEV_KEYS.alice;
const MiB = 1024 * 1024;

const json = { 'x-api-key': alice, 'content-type': 'application/json' };
/** The request framed with Content-Length, or chunked; both say `Connection: close`. */
const withLength = (method: string, path: string, body: Buffer) => framed({ method, path, headers: json, body }, 'content-length').bytes;
const chunked = (method: string, path: string, body: Buffer) => framed({ method, path, headers: json, body }, 'chunked').bytes;

/**
 * Uploads `size` bytes with `Connection: close` as curl does (headers, then the
 * body as fast as the socket takes it) and reports what the client saw: the
 * status line it read and any socket error (EPIPE/ECONNRESET when the server
 * closed under it while it was still sending).
 */
function upload(port: number, headerLines: string[], size: number): Promise<{ status: number; socketError: string }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    let socketError = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', (e: NodeJS.ErrnoException) => (socketError = e.code ?? e.message));
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), socketError }));
    const lines = ['PUT /v1/apikeys/550e8400-e29b-41d4-a716-446655440000 HTTP/1.1', 'Host: 127.0.0.1', ...headerLines];
    socket.write(`${[...lines, 'content-type: application/json', `Content-Length: ${size}`, 'Connection: close'].join('\r\n')}\r\n\r\n`);
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    const pump = (): void => {
      while (sent < size) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      socket.end();
    };
    pump();
  });
}

describe('HTTP edge cases a hostile client found (each answered in the contract shape)', () => {
  it('1. never logs a raw key sent percent-encoded in the URL, nor the control-plane token', async () => {
    const mock = await fileMock();
    const created = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': alice }, body: {} });
    const raw = (created.json as { rawApiKey: string }).rawApiKey;
    const encoded = `gm%5F${raw.slice(3)}`;
    for (const path of [
      `/v1/apikeys?api_key=${encoded}`,
      `/v1/apikeys/${encoded}`,
      `/v1/apikeys?token=${ADMIN_TOKEN}`,
      `/_mock/health?t=${ADMIN_TOKEN}`,
    ])
      await mock.send({ path, headers: { 'x-api-key': alice } });
    const log = mock.logLines.join('\n');
    expect(mock.logLines.length).toBeGreaterThanOrEqual(5);
    expect(log).not.toContain(raw.slice(3));
    expect(log).not.toContain(ADMIN_TOKEN);
    expect(log).toContain('[redacted]');
  });

  it('2. answers an unsupported Expect with a JSON 417', async () => {
    const mock = await fileMock();
    const before = mock.stateText();
    const reply = await rawRequest(
      mock.port,
      framed({ method: 'POST', path: '/v1/apikeys', headers: { ...json, Expect: 'bogus' }, body: '{}' }, 'content-length').bytes,
    );
    expectErrorReply({ ...reply, text: reply.body }, 417, 'Expect: bogus');
    expect(mock.stateText()).toBe(before);
  });

  it('3a. answers a request whose headers never finish with a JSON 408 within the configured bound', async () => {
    const mock = await fileMock({ limits: { headersTimeoutMs: 100, requestTimeoutMs: 200 } });
    const reply = await rawRequest(mock.port, `GET /v1/apikeys HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${alice}\r\n`, 5000, {
      keepOpen: true,
    });
    expectErrorReply({ ...reply, text: reply.body }, 408, 'slow headers');
    expect(reply.body).toMatch(/100 ms/);
  });

  it('3b. answers a body that stops half-way with a JSON 408 and stores nothing', async () => {
    const mock = await fileMock({ limits: { headersTimeoutMs: 100, requestTimeoutMs: 200 } });
    const before = mock.stateText();
    // Content-Length promises 20 bytes; 10 arrive.
    const request = framed({ method: 'POST', path: '/v1/apikeys', headers: json, body: '{"labels":' }, 'content-length')
      .bytes.toString('latin1')
      .replace('Content-Length: 10', 'Content-Length: 20');
    const reply = await rawRequest(mock.port, request, 5000, { keepOpen: true });
    expectErrorReply({ ...reply, text: reply.body }, 408, 'slow body');
    expect(mock.stateText()).toBe(before);
  });

  it('3c. closes an idle connection that never sends a byte (a 408), so idle sockets cannot pin the process', async () => {
    const mock = await fileMock({ limits: { headersTimeoutMs: 100, requestTimeoutMs: 200 } });
    const reply = await rawRequest(mock.port, '', 5000, { keepOpen: true });
    expect(reply.status).toBe(408);
  });

  it('3d. with every connection busy with a request, closes a new one at once and serves again when one finishes', async () => {
    // (Connections that have sent no complete request make room instead: connection-flood.test.ts.)
    const mock = await fileMock({ limits: { maxConnections: 2 } });
    const started = new Promise<void>((resolve) => {
      let n = 0;
      mock.server.on('request', () => ++n === 2 && resolve());
    });
    // Two uploads whose headers are in and whose 2-byte body has only half arrived.
    const head = `POST /v1/apikeys HTTP/1.1\r\nHost: x\r\nx-api-key: ${alice}\r\ncontent-type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{`;
    const open = [net.connect(mock.port, '127.0.0.1'), net.connect(mock.port, '127.0.0.1')];
    for (const socket of open) {
      socket.on('error', () => undefined);
      socket.write(head);
    }
    await started;
    const third = await rawRequest(
      mock.port,
      `GET /v1/apikeys HTTP/1.1\r\nHost: x\r\nx-api-key: ${alice}\r\nConnection: close\r\n\r\n`,
    ).then(
      (r) => r.status,
      (error: Error) => error.message,
    );
    expect(third).not.toBe(200);
    const closed = new Promise((resolve) => open[0]!.on('close', resolve));
    open[0]!.end('}');
    await closed;
    open[1]!.destroy();
    const again = await mock.send({ path: '/v1/apikeys', headers: { 'x-api-key': alice } });
    expect(again.status).toBe(200);
  });

  it.each([
    ['POST', '/v1/apikeys'],
    ['PUT', '/v1/apikeys/{id}'],
  ])('4. %s %s: an empty chunked body gets the same 400 as Content-Length: 0', async (method, template) => {
    const mock = await fileMock();
    const created = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': alice }, body: {} });
    const path = template.replace('{id}', (created.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId);
    const before = mock.stateText();
    const byLength = await rawRequest(mock.port, withLength(method, path, Buffer.alloc(0)));
    const byChunks = await rawRequest(mock.port, chunked(method, path, Buffer.alloc(0)));
    expectErrorReply({ ...byLength, text: byLength.body }, 400, `${method} Content-Length: 0`);
    expect([byChunks.status, byChunks.body]).toEqual([byLength.status, byLength.body]);
    expect(mock.stateText()).toBe(before);
  });

  it('5. refuses a body that starts with a UTF-8 byte-order mark, framed either way', async () => {
    const mock = await fileMock();
    const before = mock.stateText();
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]);
    const byLength = await rawRequest(mock.port, withLength('POST', '/v1/apikeys', body));
    const byChunks = await rawRequest(mock.port, chunked('POST', '/v1/apikeys', body));
    expectErrorReply({ ...byLength, text: byLength.body }, 400, 'BOM, Content-Length', 'createApiKey');
    expect(byLength.body).toMatch(/byte-order mark/);
    expect([byChunks.status, byChunks.body]).toEqual([byLength.status, byLength.body]);
    expect(mock.stateText()).toBe(before);
  });

  it('6. refuses invalid UTF-8 with a 400 and stores nothing', async () => {
    const mock = await fileMock();
    const before = mock.stateText();
    const body = Buffer.concat([Buffer.from('{"labels":{"a":"'), Buffer.from([0xff]), Buffer.from('"}}')]);
    const reply = await rawRequest(mock.port, withLength('POST', '/v1/apikeys', body));
    expectErrorReply({ ...reply, text: reply.body }, 400, 'invalid UTF-8', 'createApiKey');
    expect(reply.body).toMatch(/UTF-8/);
    expect(mock.stateText()).toBe(before);
  });

  it('7. delivers an early 401 or 413 to a client still uploading 5 MiB with Connection: close, without resetting it', async () => {
    const mock = await fileMock();
    for (let i = 0; i < 3; i++) {
      expect(await upload(mock.port, [], 5 * MiB), `unauthenticated, try ${i + 1}`).toEqual({ status: 401, socketError: '' });
      expect(await upload(mock.port, [`x-api-key: ${alice}`], 5 * MiB), `too large, try ${i + 1}`).toEqual({
        status: 413,
        socketError: '',
      });
    }
  });

  it('8. caps echoed input: a 300 KB unknown field name does not come back whole', async () => {
    const mock = await fileMock();
    const name = 'f'.repeat(300_000);
    const reply = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': alice }, body: { [name]: 1 } });
    expectErrorReply(reply, 400, 'a 300 KB field name', 'createApiKey');
    expect(reply.text.length).toBeLessThan(1200);
    expect(reply.text).toMatch(/must not have property f+/);
  });
});
