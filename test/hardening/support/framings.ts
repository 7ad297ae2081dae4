/** One request as the fields a client chooses; framing decides how they go on the wire. */
export interface Payload {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/**
 * The ways one payload can be framed on HTTP/1.1 (RFC 9112 §6): the server
 * must answer each the same. `halfClose` sends the request and shuts the
 * client's side at once ("early close"); the others keep it open until the
 * server closes (`Connection: close`).
 */
export const FRAMINGS = ['content-length', 'chunked', 'expect-100-continue', 'early-close'] as const;
export type Framing = (typeof FRAMINGS)[number];

/** The bytes of `payload` framed as `framing`, and whether the client half-closes after them. */
export function framed(payload: Payload, framing: Framing): { bytes: Buffer; halfClose: boolean } {
  const body = payload.body === undefined ? Buffer.alloc(0) : Buffer.from(payload.body);
  const lines = [
    `${payload.method} ${payload.path} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...Object.entries(payload.headers).map(([n, v]) => `${n}: ${v}`),
  ];
  lines.push('Connection: close');
  let content: Buffer;
  if (framing === 'chunked') {
    lines.push('Transfer-Encoding: chunked');
    // Two chunks, split mid-body (possibly inside a multi-byte character): the server must join them first.
    const half = Math.floor(body.length / 2);
    const chunk = (part: Buffer) => (part.length ? [Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')] : []);
    content = Buffer.concat([...chunk(body.subarray(0, half)), ...chunk(body.subarray(half)), Buffer.from('0\r\n\r\n')]);
  } else {
    lines.push(`Content-Length: ${body.length}`);
    if (framing === 'expect-100-continue') lines.push('Expect: 100-continue');
    content = body;
  }
  return { bytes: Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), content]), halfClose: framing === 'early-close' };
}
