import type { IncomingMessage } from 'node:http';

/**
 * The raw key a request presents, or undefined. contracts/CONTRACT.md "Transport":
 * `x-api-key: <raw key>`, or `Authorization: Bearer <raw key>`; two x-api-key
 * headers never authenticate. (Surrounding white space is stripped by the HTTP
 * parser itself, RFC 9110 §5.5, so it cannot reach this point.)
 */
export function readApiKey(req: IncomingMessage): string | undefined {
  const apiKeys = req.headersDistinct['x-api-key'];
  if (apiKeys) return apiKeys.length === 1 ? apiKeys[0] : undefined;
  const authorization = req.headersDistinct.authorization;
  if (!authorization || authorization.length !== 1) return undefined;
  const match = /^Bearer ([^\s]+)$/.exec(authorization[0] ?? '');
  return match?.[1];
}
