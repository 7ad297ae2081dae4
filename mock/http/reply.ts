import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApiError } from '../service/api-error.ts';
import { DEFAULT_CHOICES, type MockChoices } from '../service/mock-choices.ts';

/**
 * What the request pipeline answers, before any framework sees it. Both
 * adapters (the node:http front and Express) write it with `writeReply`, so
 * they answer byte for byte alike.
 */
export interface PipelineReply {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** JSON text; undefined for a reply without a body (204). */
  body?: string;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** A JSON reply; `body` may already be JSON text (the list is served from cached text). */
export function jsonReply(status: number, body: unknown, headers: Record<string, string> = {}): PipelineReply {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/** Writes an error as the reply its status, headers and the mock's chosen error body make. */
export type ErrorReplier = (error: ApiError) => PipelineReply;

/**
 * The one place an error becomes a body, shaped by the mock's choices
 * (contracts/CONTRACT.md "Transport"): `{"error": message}` by default;
 * `validationErrors: 'errors'` answers an error about named fields as
 * `{"errors": [{"field", "message"}]}` (GoodMem's live server for field
 * validation); `errorExtras: 'status-timestamp'` adds `status` and `timestamp`
 * (ms, the mock's clock) to an `{"error"}` body (its live 404 and 409).
 *
 * @example
 * const errorReply = errorReplier(choices, () => clock.now());
 * writeReply(req, res, errorReply(errors.notFound(id)));
 */
export function errorReplier(
  shape: Pick<MockChoices, 'validationErrors' | 'errorExtras'> = DEFAULT_CHOICES,
  now: () => number = Date.now,
): ErrorReplier {
  return (error) => {
    const headers = { ...error.headers };
    if (shape.validationErrors === 'errors' && error.fields) return jsonReply(error.status, { errors: error.fields }, headers);
    if (shape.errorExtras === 'status-timestamp')
      return jsonReply(error.status, { error: error.message, status: error.status, timestamp: now() }, headers);
    return jsonReply(error.status, { error: error.message }, headers);
  };
}

/**
 * Writes what the pipeline answered, at once or when it is ready (list, 401 and
 * other answers that wait on nothing come synchronously). Both adapters call
 * this; a pending reply's promise is returned so the adapter decides what a
 * failure to write means (Express: its error handler; node:http: close).
 */
export function writeWhenReady(
  req: IncomingMessage,
  res: ServerResponse,
  reply: PipelineReply | Promise<PipelineReply>,
): Promise<void> | undefined {
  if (reply instanceof Promise) return reply.then((ready) => writeReply(req, res, ready));
  writeReply(req, res, reply);
  return undefined;
}

// Past this many unread request bytes an early answer stops waiting for the
// upload and closes (the server's request timeout bounds the time as well).
const DRAIN_LIMIT = 16 * 1024 * 1024;

/**
 * Writes a reply. When it is sent before the request body was read (a 401 or a
 * 413 ahead of a large upload), the rest of the body is read and discarded: the
 * reply goes out at once but the response is only ended once the upload is in,
 * so a `Connection: close` request is not reset under the client while it is
 * still sending, and the client reads the answer (issue: early answers lost).
 */
export function writeReply(req: IncomingMessage, res: ServerResponse, reply: PipelineReply): void {
  const headers: Record<string, string | number> = { ...reply.headers };
  if (reply.body !== undefined) {
    headers['Content-Type'] = JSON_TYPE;
    headers['Content-Length'] = Buffer.byteLength(reply.body);
  }
  res.writeHead(reply.status, headers);
  // Nothing left to read: no body was announced, or it is all in.
  const announced = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  if (!announced || req.complete || req.readableEnded || req.destroyed) {
    res.end(reply.body);
    return;
  }
  if (reply.body !== undefined) res.write(reply.body);
  let unread = 0;
  const finish = (closeAfter: boolean) => {
    req.off('data', count);
    req.off('end', onEnd);
    req.off('close', onEnd);
    if (!res.writableEnded) res.end();
    if (closeAfter) req.socket.destroySoon();
  };
  const onEnd = () => finish(false);
  const count = (chunk: Buffer) => {
    unread += chunk.length;
    if (unread > DRAIN_LIMIT) finish(true);
  };
  req.on('data', count);
  req.once('end', onEnd);
  req.once('close', onEnd);
  req.resume();
}
