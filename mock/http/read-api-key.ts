import type { IncomingMessage } from 'node:http';
import type { MockChoices } from '../service/mock-choices.ts';

/**
 * The raw key a request presents, or undefined. contracts/CONTRACT.md "Transport":
 * `x-api-key: <raw key>`; two x-api-key headers never authenticate. Whether
 * `Authorization: Bearer <raw key>` also does is a legal choice (`bearer`):
 * the mock accepts it by default; GoodMem's current servers read only x-api-key.
 * (Surrounding white space is stripped by the HTTP parser itself, RFC 9110 §5.5,
 * so it cannot reach this point.)
 */
export function readApiKey(req: IncomingMessage, bearer: MockChoices['bearer']): string | undefined {
  const apiKeys = req.headersDistinct['x-api-key'];
  if (apiKeys) return apiKeys.length === 1 ? apiKeys[0] : undefined;
  if (bearer === 'refused') return undefined;
  const authorization = req.headersDistinct.authorization;
  if (!authorization || authorization.length !== 1) return undefined;
  const match = /^Bearer ([^\s]+)$/.exec(authorization[0] ?? '');
  return match?.[1];
}
