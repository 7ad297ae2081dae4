import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchersV3 as M } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKeysClient } from '../../contracts/client/create-api-keys-client.ts';
import { EXAMPLE_API_KEY, apiKeyHeader } from './consumer/api-key-matchers.ts';
import { CONSUMER_INTERACTIONS } from './consumer/api-keys-interactions.ts';
import { createConsumerPact, recordInteraction } from './consumer/record-pacts.ts';

// The committed pact is checked by drift.test.ts; these write into a temp folder.
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'apikeys-consumer-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the typed client as the Pact consumer of the API Keys API', () => {
  it.each(CONSUMER_INTERACTIONS)('$behaviour', async (interaction) => {
    await recordInteraction(createConsumerPact(dir), interaction);
  });

  it('fails when the client sends a request the pact does not describe', async () => {
    const pact = createConsumerPact(dir);
    const run = pact
      .addInteraction()
      .uponReceiving('a request that the client gets wrong')
      .withRequest('POST', '/v1/apikeys', (b) => b.headers(apiKeyHeader()).jsonBody({ expiresAt: M.integer(4102444800000) }))
      .willRespondWith(201)
      .executeTest(async (server) => {
        // A typo an SDK could make: the contract's field is expiresAt.
        await createApiKeysClient({ baseUrl: server.url, apiKey: EXAMPLE_API_KEY }).createApiKey({ expires_at: 4102444800000 } as never);
      });
    await expect(run).rejects.toThrow(/Expected a Map with keys \[expiresAt\] but received one with keys \[expires_at\]/);
  });
});
