import { Agent, request } from 'node:http';
import net from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { fileMock, type FileMock } from '../support/running-mock.ts';
import { rawRequest } from './support/raw-request.ts';

// Issue 19 item 4, scaled down: a few hundred connections that never finish their
// headers against a small cap, and ordinary clients beside them. The header timeout
// is set far beyond the test, so only the cap's eviction can make room. No timing is
// asserted: every ordinary request must be answered, and the answers are counted.
const alice = DEV_KEYS.alice;
const CAP = 32;
const FLOOD = 300;
const LIMITS = { maxConnections: CAP, headersTimeoutMs: 120_000, requestTimeoutMs: 120_000, keepAliveTimeoutMs: 120_000 };
const LIST = `GET /v1/apikeys HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${alice}\r\nConnection: close\r\n\r\n`;

interface FloodSocket {
  socket: net.Socket;
  received: () => string;
  closed: Promise<void>;
}

/** Resolves once the server has accepted `count` more connections. */
function accepted(mock: FileMock, count: number): Promise<void> {
  return new Promise((resolve) => {
    let n = 0;
    const onConnection = () => {
      if (++n < count) return;
      mock.server.off('connection', onConnection);
      resolve();
    };
    mock.server.on('connection', onConnection);
  });
}

/** `count` connections that send the start of a request line and then nothing more. */
async function slowHeaders(mock: FileMock, count: number): Promise<FloodSocket[]> {
  const all = accepted(mock, count);
  const sockets = Array.from({ length: count }, () => {
    const socket = net.connect(mock.port, '127.0.0.1', () => socket.write('GET /v1/api'));
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    return { socket, received: () => text, closed };
  });
  onTestFinished(() => sockets.forEach((s) => s.socket.destroy()));
  await all;
  return sockets;
}

/** A request whose headers are complete and whose 2-byte body has only half arrived: work in progress. */
async function bodyInProgress(mock: FileMock) {
  const started = new Promise<void>((resolve) => mock.server.once('request', () => resolve()));
  const socket = net.connect(mock.port, '127.0.0.1');
  let text = '';
  socket.on('data', (d: Buffer) => (text += d.toString('latin1')));
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write(
    `POST /v1/apikeys HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${alice}\r\ncontent-type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{`,
  );
  onTestFinished(() => void socket.destroy());
  await started;
  return {
    finish: async () => {
      socket.write('}');
      await closed;
      return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
    },
    closed,
  };
}

/** The status of one list request on its own connection, or the reason it got none. */
const listOnce = (port: number) =>
  rawRequest(port, LIST).then(
    (reply) => String(reply.status),
    (error: Error) => `no answer: ${error.message}`,
  );

function count(values: string[]): Record<string, number> {
  return values.reduce<Record<string, number>>((n, v) => ({ ...n, [v]: (n[v] ?? 0) + 1 }), {});
}

describe('a flood of connections that never finish their headers (issue 19)', () => {
  it(`answers every ordinary request while ${FLOOD} such connections hold a cap of ${CAP}`, async () => {
    const mock = await fileMock({ limits: LIMITS });
    const flood = await slowHeaders(mock, FLOOD);
    // New connections, one request each, and a keep-alive client reusing one.
    const fresh: string[] = [];
    for (let i = 0; i < 40; i++) fresh.push(await listOnce(mock.port));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    onTestFinished(() => agent.destroy());
    const pooled: string[] = [];
    for (let i = 0; i < 20; i++) {
      pooled.push(
        await new Promise<string>((resolve) => {
          const req = request(
            { port: mock.port, host: '127.0.0.1', path: '/v1/apikeys', headers: { 'x-api-key': alice }, agent },
            (res) => {
              res.resume();
              res.on('end', () => resolve(String(res.statusCode)));
            },
          );
          req.on('error', (error) => resolve(`no answer: ${error.message}`));
          req.end();
        }),
      );
    }
    expect(count(fresh)).toEqual({ 200: 40 });
    expect(count(pooled)).toEqual({ 200: 20 });

    // Room was made by closing flood connections, each told why with a JSON 408; never more than the cap stayed open.
    const stillOpen = flood.filter((f) => !f.socket.destroyed && f.socket.readyState === 'open');
    const answered = flood.filter((f) => f.received() !== '');
    expect(stillOpen.length).toBeLessThanOrEqual(CAP);
    expect(answered.length).toBeGreaterThanOrEqual(FLOOD - CAP);
    for (const f of answered) {
      expect(f.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(f.received()).toContain('"error":"no complete request received on this connection');
    }
  });

  it('never closes a connection whose request is in progress to make room: its request still completes', async () => {
    const mock = await fileMock({ limits: { ...LIMITS, maxConnections: 4 } });
    const upload = await bodyInProgress(mock);
    await slowHeaders(mock, 50);
    const ordinary: string[] = [];
    for (let i = 0; i < 10; i++) ordinary.push(await listOnce(mock.port));
    expect(count(ordinary)).toEqual({ 200: 10 });
    expect(await upload.finish()).toBe(201);
  });

  it('with no connection waiting for a request, closes the longest-idle keep-alive one to make room', async () => {
    const mock = await fileMock({ limits: { ...LIMITS, maxConnections: 2 } });
    const upload = await bodyInProgress(mock);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    onTestFinished(() => agent.destroy());
    // Wrapped: a promise resolved with a promise would wait for it.
    const idle = await new Promise<{ closed: Promise<void> }>((resolve) => {
      const req = request({ port: mock.port, host: '127.0.0.1', path: '/v1/apikeys', headers: { 'x-api-key': alice }, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ closed: new Promise((closed) => req.socket!.once('close', () => closed())) }));
      });
      req.end();
    });
    let idleOpen = true;
    void idle.closed.then(() => (idleOpen = false));
    expect(idleOpen).toBe(true);
    expect(await listOnce(mock.port)).toBe('200');
    // Closed by the server to make room: nothing else would close it within the test (keep-alive timeout 120 s).
    await idle.closed;
    expect(await upload.finish()).toBe(201);
  });
});
