import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';
import type { ProxiedRequest, VariantState } from './variant-server.ts';

const spec = loadSpec();

/** Whether a request addresses an operation (by the spec's method and path). */
export const is = (operationId: OperationId, req: ProxiedRequest) =>
  spec.byId[operationId].method === req.method.toLowerCase() && spec.byId[operationId].match(req.path.split('?')[0]!) !== null;
export const idOf = (operationId: OperationId, req: ProxiedRequest) => spec.byId[operationId].match(req.path)?.id ?? '';
export const isUuid = (id: string) => spec.byId.deleteApiKey.pathParams[0]!.validate(id);

/** Raw keys the mock created, by apiKeyId (a variant that needs them records them). */
export function rawKeys(state: VariantState): Map<string, string> {
  if (!state.memory.has('raw')) state.memory.set('raw', new Map<string, string>());
  return state.memory.get('raw') as Map<string, string>;
}

export function rememberRawKey(res: { status: number; body: string }, req: ProxiedRequest, state: VariantState): void {
  if (!is('createApiKey', req) || res.status !== 201) return;
  const body = JSON.parse(res.body) as { apiKeyMetadata: { apiKeyId: string }; rawApiKey: string };
  rawKeys(state).set(body.apiKeyMetadata.apiKeyId, body.rawApiKey);
}

/** The raw key a request authenticates with (x-api-key or Bearer), if any. */
export function presentedKey(req: ProxiedRequest): string | undefined {
  return req.headers['x-api-key'] ?? /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** A memory slot of a variant, created on first use. */
export function slot<T>(state: VariantState, name: string, create: () => T): T {
  if (!state.memory.has(name)) state.memory.set(name, create());
  return state.memory.get(name) as T;
}
