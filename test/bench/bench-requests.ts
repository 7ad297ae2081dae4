import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import type { LoadRequest } from './run-load.ts';

// The same requests for our mock and Prism (both serve openapi.yaml), as
// alice, an ordinary user of the default seed.
const ALICE = { 'x-api-key': DEV_KEYS.alice };

export const listKeys: LoadRequest = { method: 'GET', path: '/v1/apikeys', headers: ALICE };

/** bob owns one key (his dev key) in every benchmark store: a 1-key read. */
export const listOneKey: LoadRequest = { method: 'GET', path: '/v1/apikeys', headers: { 'x-api-key': DEV_KEYS.bob } };

export const unauthenticated: LoadRequest = { method: 'GET', path: '/v1/apikeys' };

export const createKey: LoadRequest = {
  method: 'POST',
  path: '/v1/apikeys',
  headers: ALICE,
  body: JSON.stringify({ labels: { env: 'bench' } }),
};

/** Merges one label into one of alice's keys; a new value every time, so every PUT is a real change (and write), never a no-op. */
export function mergeLabel(apiKeyId: string): LoadRequest {
  return {
    method: 'PUT',
    path: `/v1/apikeys/${apiKeyId}`,
    headers: ALICE,
    body: (n) => JSON.stringify({ mergeLabels: { bench: `v${n}` } }),
  };
}
