import { expect } from 'vitest';
import { DEV_KEYS } from '../../../mock/seed/default-seed.ts';
import { httpClient } from './http-client.ts';
import type { MockProcess } from '../../support/running-mock.ts';

export interface KeyView {
  apiKeyId: string;
  userId: string;
  status: string;
  labels: Record<string, string> | null;
}

/** The few calls the crash tests make against a mock child process. */
export function mockProcessClient(mock: MockProcess) {
  const { send } = httpClient(mock.url);
  return {
    send,
    async create(labels: Record<string, string>, apiKey: string = DEV_KEYS.alice) {
      const res = await send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': apiKey }, body: { labels } });
      expect(res.status, res.text).toBe(201);
      return res.json as { rawApiKey: string; apiKeyMetadata: KeyView };
    },
    /** Every key in the store (the admin dev key holds LIST_APIKEY_ANY). */
    async allKeys(): Promise<KeyView[]> {
      const res = await send({ path: '/v1/apikeys', headers: { 'x-api-key': DEV_KEYS.admin } });
      expect(res.status, res.text).toBe(200);
      return (res.json as { keys: KeyView[] }).keys;
    },
    /** The status a list request authenticated with `rawKey` gets: 200 when the key works. */
    async statusWith(rawKey: string): Promise<number> {
      return (await send({ path: '/v1/apikeys', headers: { 'x-api-key': rawKey } })).status;
    },
  };
}
