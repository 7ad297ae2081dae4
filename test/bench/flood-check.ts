import { request } from 'node:http';
import net from 'node:net';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import type { FloodCheck } from './bench-results.ts';
import type { RunningServer } from './spawn-server.ts';

export interface FloodOptions {
  /** Connections that send their header bytes slowly, each reopened a second after the server closes it. */
  sockets: number;
  /** How long the ordinary client runs beside them. */
  seconds: number;
  progress: (line: string) => void;
}

// Issue 19 item 4, as measured there: header bytes at one a second, an ordinary
// client listing keys every 250 ms, and 10 MiB uploads (refused with 413) beside them.
const BYTE_EVERY_MS = 1000;
const LIST_EVERY_MS = 250;
const UPLOAD_EVERY_MS = 1000;
const UPLOAD_BYTES = 10 * 1024 * 1024;
/** An ordinary request not answered within this long is counted unanswered. */
const ANSWER_WITHIN_MS = 10_000;
/** Connections opened at once while the flood builds up (the listen backlog is 511). */
const OPEN_BATCH = 200;
const SLOW_REQUEST = `GET /v1/apikeys HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ${DEV_KEYS.alice}\r\nAccept: application/json\r\n\r\n`;

/**
 * The flood row of `npm run bench`: `sockets` loopback connections trickle a
 * request's header bytes one per second (they never finish within the mock's
 * 10 s header timeout) and are reopened a second after the mock closes them,
 * while an ordinary client lists keys every 250 ms on a new connection and a
 * 10 MiB upload is sent every second. Counts every ordinary request answered
 * or not and its latency, and the mock's peak RSS. Bounded in count and time;
 * everything it opened is closed when it returns.
 */
export async function floodCheck(server: RunningServer, options: FloodOptions): Promise<FloodCheck> {
  const { port, hostname } = new URL(server.url);
  let stopping = false;
  /** Each open slow connection and how it sends its next byte. */
  const open = new Map<net.Socket, () => void>();
  const reopen = new Set<NodeJS.Timeout>();
  let closedByServer = 0;
  let answered408 = 0;

  const slowSocket = (): Promise<void> =>
    new Promise((connected) => {
      const socket = net.connect(Number(port), hostname);
      let sent = 0;
      let received = '';
      open.set(socket, () => {
        if (sent < SLOW_REQUEST.length - 1 && socket.writable) socket.write(SLOW_REQUEST[sent++]!);
      });
      socket.on('connect', () => connected());
      socket.on('data', (d: Buffer) => (received += d.toString('latin1', 0, 20)));
      socket.on('error', () => connected());
      socket.on('close', () => {
        open.delete(socket);
        if (stopping) return;
        closedByServer += 1;
        if (received.startsWith('HTTP/1.1 408')) answered408 += 1;
        const timer = setTimeout(() => {
          reopen.delete(timer);
          if (!stopping) void slowSocket();
        }, BYTE_EVERY_MS);
        reopen.add(timer);
      });
    });

  options.progress(`flood: opening ${options.sockets} slow-header connections`);
  for (let i = 0; i < options.sockets; i += OPEN_BATCH)
    await Promise.all(Array.from({ length: Math.min(OPEN_BATCH, options.sockets - i) }, slowSocket));
  const trickle = setInterval(() => {
    for (const sendNext of open.values()) sendNext();
  }, BYTE_EVERY_MS);

  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  const pending: Promise<void>[] = [];
  const list = () => {
    sent += 1;
    const started = performance.now();
    pending.push(
      new Promise<void>((done) => {
        const req = request(
          { host: hostname, port, path: '/v1/apikeys', agent: false, headers: { 'x-api-key': DEV_KEYS.alice } },
          (res) => {
            res.resume();
            res.on('end', () => {
              latencies.push(performance.now() - started);
              statuses[String(res.statusCode)] = (statuses[String(res.statusCode)] ?? 0) + 1;
              done();
            });
            res.on('error', () => done());
          },
        );
        req.setTimeout(ANSWER_WITHIN_MS, () => req.destroy());
        req.on('error', () => done());
        req.end();
      }),
    );
  };

  const uploads: Record<string, number> = {};
  let uploadsSent = 0;
  const upload = () => {
    uploadsSent += 1;
    pending.push(
      new Promise<void>((done) => {
        const req = request(
          {
            host: hostname,
            port,
            method: 'POST',
            path: '/v1/apikeys',
            agent: false,
            headers: { 'x-api-key': DEV_KEYS.alice, 'content-type': 'application/json', 'content-length': UPLOAD_BYTES },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              uploads[String(res.statusCode)] = (uploads[String(res.statusCode)] ?? 0) + 1;
              done();
            });
          },
        );
        req.setTimeout(ANSWER_WITHIN_MS, () => req.destroy());
        req.on('error', () => {
          uploads['no answer'] = (uploads['no answer'] ?? 0) + 1;
          done();
        });
        req.end(Buffer.alloc(UPLOAD_BYTES, 0x20));
      }),
    );
  };

  options.progress(`flood: ${open.size} slow connections open; listing every ${LIST_EVERY_MS} ms for ${options.seconds} s`);
  const lists = setInterval(list, LIST_EVERY_MS);
  const ups = setInterval(upload, UPLOAD_EVERY_MS);
  list();
  await new Promise((resolve) => setTimeout(resolve, options.seconds * 1000));
  clearInterval(lists);
  clearInterval(ups);
  const stillOpen = open.size;
  await Promise.all(pending);
  stopping = true;
  clearInterval(trickle);
  for (const timer of reopen) clearTimeout(timer);
  for (const socket of open.keys()) socket.destroy();

  latencies.sort((a, b) => a - b);
  const at = (p: number) =>
    latencies.length === 0 ? Number.NaN : latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!;
  const answered = latencies.length;
  return {
    slowSockets: options.sockets,
    seconds: options.seconds,
    slowOpenAtEnd: stillOpen,
    slowClosedByServer: closedByServer,
    slowAnswered408: answered408,
    ordinary: {
      sent,
      answered,
      unanswered: sent - answered,
      statuses,
      p50Ms: at(0.5),
      p99Ms: at(0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
    },
    uploads: { sent: uploadsSent, statuses: uploads },
    peakRssKib: server.peakRssKib(),
  };
}
