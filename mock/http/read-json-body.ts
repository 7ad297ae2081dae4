import type { IncomingMessage } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { echo, errors } from '../service/api-error.ts';

/** The body limit of every `/v1` operation (docs/mock-behaviour.md "Guarantees for every request"). */
export const V1_BODY_LIMIT = 1024 * 1024;
/** The body limit of the `/_mock` control plane: its bodies are a few fields. */
export const CONTROL_BODY_LIMIT = 64 * 1024;

const DECOMPRESS: Record<string, (input: Buffer, options: { maxOutputLength: number }) => Buffer> = {
  gzip: gunzipSync,
  'x-gzip': gunzipSync,
  deflate: inflateSync,
  br: brotliDecompressSync,
};
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
// The contract: JSON in UTF-8 (RFC 8259 §8.1). `fatal` makes invalid bytes an error, not U+FFFD.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads, decodes and parses a request body, the one way every endpoint does:
 * the same answer for the same bytes however they are framed (Content-Length,
 * chunked, compressed, with or without `Expect: 100-continue`).
 *
 * - over `limit` bytes (declared, received, or inflated): 413 naming the limit;
 * - no bytes at all: undefined, or 400 when `required`;
 * - a media type other than `application/json` / `application/*+json`, or a
 *   charset other than UTF-8: 400;
 * - a UTF-8 byte-order mark, invalid UTF-8, malformed JSON: 400.
 */
export async function readJsonBody(req: IncomingMessage, options: { limit: number; required: boolean }): Promise<unknown> {
  const bytes = decode(await readBytes(req, options.limit), req.headers['content-encoding'], options.limit);
  if (bytes.length === 0) {
    if (options.required) throw errors.invalidBody('request body is required: send a JSON object, e.g. {}');
    return undefined;
  }
  checkMediaType(req.headers['content-type']);
  if (bytes.subarray(0, 3).equals(BOM))
    throw errors.invalidBody('request body starts with a UTF-8 byte-order mark; send JSON without one (RFC 8259 §8.1)');
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw errors.invalidBody('request body is not valid UTF-8');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw errors.invalidBody(`request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The raw body, at most `limit` bytes: a larger declared Content-Length is refused before a byte is read. */
function readBytes(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.reject(errors.payloadTooLarge(limit));
  if (req.readableEnded) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: unknown) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('aborted', onAborted);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) done(errors.payloadTooLarge(limit));
      else chunks.push(chunk);
    };
    const onEnd = () => done();
    const onAborted = () => done(errors.invalidBody('request body was aborted'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('aborted', onAborted);
  });
}

function decode(bytes: Buffer, encoding: string | undefined, limit: number): Buffer {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || bytes.length === 0) return bytes;
  const inflate = DECOMPRESS[name];
  if (!inflate)
    throw errors.invalidBody(`request body has an unsupported Content-Encoding ${echo(name)}; send UTF-8 JSON (gzip, deflate or br)`);
  try {
    return inflate(bytes, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw errors.payloadTooLarge(limit);
    throw errors.invalidBody(`request body is not valid ${name} data`);
  }
}

function checkMediaType(contentType: string | undefined): void {
  const [type = '', ...params] = (contentType ?? '').split(';');
  const media = type.trim().toLowerCase();
  if (media !== 'application/json' && !/^application\/[^/]+\+json$/.test(media))
    throw errors.invalidBody(
      `request body must be application/json, got ${contentType === undefined ? 'no Content-Type' : echo(contentType)}`,
    );
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    const charset = value.trim().replace(/^"|"$/g, '').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8')
      throw errors.invalidBody(`request body: unsupported charset ${echo(charset)}; send UTF-8 JSON`);
  }
}
