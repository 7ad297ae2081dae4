import assert from 'node:assert/strict';
import { MatchersV3 as M, type PactV4 } from '@pact-foundation/pact';
import {
  createApiKeysClient,
  type CreateApiKeyRequest,
  type UpdateApiKeyRequest,
} from '../../../contracts/client/create-api-keys-client.ts';
import { PROVIDER_STATES, STATE_ID_EXPRESSION } from '../../../contracts/pact/pact-names.ts';
import { loadSpec } from '../../../contracts/openapi/load-spec.ts';
import {
  API_KEY_FIELDS,
  CREATE_RESPONSE_FIELDS,
  EXAMPLE_API_KEY,
  EXAMPLE_ID,
  apiKeyHeader,
  apiKeyMetadata,
  errorBody,
  locationHeader,
  onlyKeys,
  rawApiKey,
  shapeOf,
} from './api-key-matchers.ts';

/**
 * One interaction the SDK relies on: how the pact records it, and the real
 * client run against Pact's mock server inside `executeTest`, asserting what
 * the SDK would see. The same list feeds the consumer tests, the drift check
 * and `write-pacts.ts`, so the committed pact is exactly what the tests record.
 */
export interface ConsumerInteraction {
  /** A sentence about the behaviour, for the test title. */
  behaviour: string;
  /** The pact's `uponReceiving`, unique in the pact. */
  description: string;
  /** Given the interaction with its description, adds the rest and runs `executeTest`. */
  record(interaction: V4UnconfiguredInteraction): Promise<unknown>;
}

export type V4UnconfiguredInteraction = ReturnType<PactV4['addInteraction']>;

const spec = loadSpec();
const createExamples = spec.byId.createApiKey.requestBody!.examples as Record<'empty' | 'labelled' | 'clientChosenId', CreateApiKeyRequest>;
/** The spec's example of a client-chosen id; the provider state's fresh id replaces it at verification. */
const CHOSEN_ID = createExamples.clientChosenId.apiKeyId!;
/** The id a provider state provides, in a body: `${id}` at verification, `example` in the consumer test. */
const stateId = (example: string) => M.fromProviderState(STATE_ID_EXPRESSION, example);
const updateExamples = spec.byId.updateApiKey.requestBody!.examples as Record<
  'deactivate' | 'mergeLabels' | 'replaceLabels',
  UpdateApiKeyRequest
>;

/** The labels of the key that "an API key exists" makes for the label interactions. */
const STATE_LABELS = createExamples.labelled.labels!;
/** An expiry long past: 2000-01-01T00:00:00Z. */
const PAST_EXPIRY = Date.UTC(2000, 0, 1);
const MALFORMED_ID = 'not-a-uuid';
/** Setting ACTIVE again restores an INACTIVE key (contracts/CONTRACT.md "Update"). */
const REACTIVATE: UpdateApiKeyRequest = { status: 'ACTIVE' };

const client = (baseUrl: string, apiKey: string | undefined = EXAMPLE_API_KEY) => createApiKeysClient({ baseUrl, apiKey });
/** The path of the key a provider state made: its id is injected at verification. */
const statePath = () => M.fromProviderState(`/v1/apikeys/${STATE_ID_EXPRESSION}`, `/v1/apikeys/${EXAMPLE_ID}`);
/** Someone else's key: 403 in the mock, 404 allowed too (contracts/CONTRACT.md "Someone else's key"). */
const foreignKeyStatus = () => M.matchStatus(403, [403, 404]);

async function expectError(result: Promise<{ ok: boolean; status: number; error?: string }>, status: number): Promise<void> {
  const outcome = await result;
  assert.equal(outcome.ok, false);
  assert.equal(outcome.status, status);
  assert.equal(typeof outcome.error, 'string');
}

export const CONSUMER_INTERACTIONS: ConsumerInteraction[] = [
  {
    behaviour: 'creating a key with no labels and no expiry returns 201, its Location and the raw key once',
    description: 'a request to create an API key with no labels and no expiry',
    record: (interaction) =>
      interaction
        .withRequest('POST', '/v1/apikeys', (b) => b.headers(apiKeyHeader()).jsonBody(createExamples.empty))
        .willRespondWith(201, (b) =>
          b
            .headers(locationHeader())
            .jsonBody({ apiKeyMetadata: apiKeyMetadata({ status: 'ACTIVE', keyPrefix: shapeOf('keyPrefix') }), rawApiKey: rawApiKey() })
            .matchingRules(merge(onlyKeys('$', CREATE_RESPONSE_FIELDS), onlyKeys('$.apiKeyMetadata', API_KEY_FIELDS))),
        )
        .executeTest(async (server) => {
          const created = await client(server.url).createApiKey();
          assert.ok(created.ok);
          assert.equal(created.status, 201);
          assert.equal(created.headers.get('location'), `/v1/apikeys/${created.data.apiKeyMetadata.apiKeyId}`);
          assert.equal(created.data.apiKeyMetadata.status, 'ACTIVE');
          // contracts/CONTRACT.md "Key material": a display prefix of the raw key (its length is the server's).
          assert.ok(created.data.rawApiKey.startsWith(created.data.apiKeyMetadata.keyPrefix ?? ''));
        }),
  },
  {
    behaviour: 'creating a key with labels and an expiry echoes both back',
    description: 'a request to create an API key with labels and an expiry',
    record: (interaction) =>
      interaction
        .withRequest('POST', '/v1/apikeys', (b) => b.headers(apiKeyHeader()).jsonBody(createExamples.labelled))
        .willRespondWith(201, (b) =>
          b
            .headers(locationHeader())
            .jsonBody({
              apiKeyMetadata: apiKeyMetadata({
                status: 'ACTIVE',
                keyPrefix: shapeOf('keyPrefix'),
                labels: createExamples.labelled.labels,
                expiresAt: createExamples.labelled.expiresAt,
              }),
              rawApiKey: rawApiKey(),
            })
            .matchingRules(merge(onlyKeys('$', CREATE_RESPONSE_FIELDS), onlyKeys('$.apiKeyMetadata', API_KEY_FIELDS))),
        )
        .executeTest(async (server) => {
          const created = await client(server.url).createApiKey(createExamples.labelled);
          assert.ok(created.ok);
          assert.deepEqual(created.data.apiKeyMetadata.labels, createExamples.labelled.labels);
          assert.equal(created.data.apiKeyMetadata.expiresAt, createExamples.labelled.expiresAt);
        }),
  },
  {
    behaviour: 'creating a key with a client-chosen apiKeyId gives the key exactly that id, also in Location',
    description: 'a request to create an API key with an id chosen by the client',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.unusedId)
        .withRequest('POST', '/v1/apikeys', (b) => b.headers(apiKeyHeader()).jsonBody({ apiKeyId: stateId(CHOSEN_ID) }))
        .willRespondWith(201, (b) =>
          b
            .headers({ Location: M.fromProviderState(`/v1/apikeys/${STATE_ID_EXPRESSION}`, `/v1/apikeys/${CHOSEN_ID}`) })
            .jsonBody({ apiKeyMetadata: apiKeyMetadata({ apiKeyId: stateId(CHOSEN_ID), status: 'ACTIVE' }), rawApiKey: rawApiKey() })
            .matchingRules(merge(onlyKeys('$', CREATE_RESPONSE_FIELDS), onlyKeys('$.apiKeyMetadata', API_KEY_FIELDS))),
        )
        .executeTest(async (server) => {
          const created = await client(server.url).createApiKey({ apiKeyId: CHOSEN_ID });
          assert.ok(created.ok);
          assert.equal(created.data.apiKeyMetadata.apiKeyId, CHOSEN_ID);
          assert.equal(created.headers.get('location'), `/v1/apikeys/${CHOSEN_ID}`);
        }),
  },
  {
    behaviour: 'creating a key with an apiKeyId already in use is a 409 with an error message',
    description: 'a request to create an API key with an id that is already in use',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.keyExists)
        .withRequest('POST', '/v1/apikeys', (b) => b.headers(apiKeyHeader()).jsonBody({ apiKeyId: stateId(EXAMPLE_ID) }))
        .willRespondWith(409, (b) => b.jsonBody(errorBody('createApiKey', 409)))
        .executeTest((server) => expectError(client(server.url).createApiKey({ apiKeyId: EXAMPLE_ID }), 409)),
  },
  {
    behaviour: 'creating a key that expires in the past is a 400 with an error message',
    description: 'a request to create an API key that expires in the past',
    record: (interaction) =>
      interaction
        .withRequest('POST', '/v1/apikeys', (b) => b.headers(apiKeyHeader()).jsonBody({ expiresAt: PAST_EXPIRY }))
        .willRespondWith(400, (b) => b.jsonBody(errorBody('createApiKey', 400)))
        .executeTest((server) => expectError(client(server.url).createApiKey({ expiresAt: PAST_EXPIRY }), 400)),
  },
  {
    behaviour: "listing keys returns the caller's keys as metadata only",
    description: 'a request to list API keys',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.keyExists, { labels: STATE_LABELS })
        .withRequest('GET', '/v1/apikeys', (b) => b.headers(apiKeyHeader()))
        .willRespondWith(200, (b) =>
          b.jsonBody({ keys: M.eachLike(apiKeyMetadata()) }).matchingRules(onlyKeys('$.keys[*]', API_KEY_FIELDS)),
        )
        .executeTest(async (server) => {
          const listed = await client(server.url).listApiKeys();
          assert.ok(listed.ok);
          assert.equal(listed.status, 200);
          assert.ok(listed.data.keys.length >= 1);
          assert.ok(listed.data.keys.every((key) => !('rawApiKey' in key)));
        }),
  },
  {
    // Every caller authenticates with a key of its own, which is in its own
    // list, so no server can send an empty list to an authenticated caller;
    // the SDK must still cope with one. The provider may send any length here
    // (with an empty example Pact checks no items: the interaction above does).
    behaviour: 'listing keys copes with an empty list',
    description: 'a request to list API keys, which may answer an empty list',
    record: (interaction) =>
      interaction
        .withRequest('GET', '/v1/apikeys', (b) => b.headers(apiKeyHeader()))
        .willRespondWith(200, (b) => b.jsonBody({ keys: M.eachLike(apiKeyMetadata(), 0) }))
        .executeTest(async (server) => {
          const listed = await client(server.url).listApiKeys();
          assert.ok(listed.ok);
          assert.deepEqual(listed.data.keys, []);
        }),
  },
  {
    behaviour: 'listing keys without an API key is a 401',
    description: 'a request to list API keys without an API key',
    record: (interaction) =>
      interaction
        .withRequest('GET', '/v1/apikeys')
        .willRespondWith(401, (b) => b.jsonBody(errorBody('listApiKeys', 401)))
        .executeTest((server) => expectError(client(server.url, undefined).listApiKeys(), 401)),
  },
  {
    behaviour: 'listing keys without the permission to is a 403',
    description: 'a request to list API keys from a caller without permission',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.callerCannotList)
        .withRequest('GET', '/v1/apikeys', (b) => b.headers(apiKeyHeader()))
        .willRespondWith(403, (b) => b.jsonBody(errorBody('listApiKeys', 403)))
        .executeTest((server) => expectError(client(server.url).listApiKeys(), 403)),
  },
  {
    behaviour: 'deactivating a key returns it with status INACTIVE',
    description: 'a request to deactivate an API key',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.keyExists)
        .withRequest('PUT', statePath(), (b) => b.headers(apiKeyHeader()).jsonBody(updateExamples.deactivate))
        .willRespondWith(200, (b) => b.jsonBody(apiKeyMetadata({ status: 'INACTIVE' })).matchingRules(onlyKeys('$', API_KEY_FIELDS)))
        .executeTest(async (server) => {
          const updated = await client(server.url).updateApiKey(EXAMPLE_ID, updateExamples.deactivate);
          assert.ok(updated.ok);
          assert.equal(updated.data.status, 'INACTIVE');
        }),
  },
  {
    behaviour: 'reactivating an inactive key returns it with status ACTIVE',
    description: 'a request to reactivate an inactive API key',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.keyExists, { status: 'INACTIVE' })
        .withRequest('PUT', statePath(), (b) => b.headers(apiKeyHeader()).jsonBody(REACTIVATE))
        .willRespondWith(200, (b) => b.jsonBody(apiKeyMetadata({ status: 'ACTIVE' })).matchingRules(onlyKeys('$', API_KEY_FIELDS)))
        .executeTest(async (server) => {
          const updated = await client(server.url).updateApiKey(EXAMPLE_ID, REACTIVATE);
          assert.ok(updated.ok);
          assert.equal(updated.data.status, 'ACTIVE');
        }),
  },
  {
    behaviour: 'merging labels keeps the existing ones and adds the new',
    description: 'a request to merge labels into an API key',
    record: (interaction) => {
      const labels = { ...STATE_LABELS, ...updateExamples.mergeLabels.mergeLabels };
      return interaction
        .given(PROVIDER_STATES.keyExists, { labels: STATE_LABELS })
        .withRequest('PUT', statePath(), (b) => b.headers(apiKeyHeader()).jsonBody(updateExamples.mergeLabels))
        .willRespondWith(200, (b) =>
          b
            .jsonBody(apiKeyMetadata({ labels }))
            .matchingRules(merge(onlyKeys('$', API_KEY_FIELDS), onlyKeys('$.labels', Object.keys(labels)))),
        )
        .executeTest(async (server) => {
          const updated = await client(server.url).updateApiKey(EXAMPLE_ID, updateExamples.mergeLabels);
          assert.ok(updated.ok);
          assert.deepEqual(updated.data.labels, labels);
        });
    },
  },
  {
    behaviour: 'replacing labels drops the existing ones',
    description: 'a request to replace the labels of an API key',
    record: (interaction) => {
      const labels = updateExamples.replaceLabels.replaceLabels!;
      return interaction
        .given(PROVIDER_STATES.keyExists, { labels: STATE_LABELS })
        .withRequest('PUT', statePath(), (b) => b.headers(apiKeyHeader()).jsonBody(updateExamples.replaceLabels))
        .willRespondWith(200, (b) =>
          b
            .jsonBody(apiKeyMetadata({ labels }))
            .matchingRules(merge(onlyKeys('$', API_KEY_FIELDS), onlyKeys('$.labels', Object.keys(labels)))),
        )
        .executeTest(async (server) => {
          const updated = await client(server.url).updateApiKey(EXAMPLE_ID, updateExamples.replaceLabels);
          assert.ok(updated.ok);
          assert.deepEqual(updated.data.labels, labels);
        });
    },
  },
  {
    behaviour: 'updating with both replaceLabels and mergeLabels is a 400',
    description: 'a request to update an API key with both replaceLabels and mergeLabels',
    record: (interaction) => {
      const body = { ...updateExamples.replaceLabels, ...updateExamples.mergeLabels };
      return interaction
        .given(PROVIDER_STATES.keyExists)
        .withRequest('PUT', statePath(), (b) => b.headers(apiKeyHeader()).jsonBody(body))
        .willRespondWith(400, (b) => b.jsonBody(errorBody('updateApiKey', 400)))
        .executeTest((server) => expectError(client(server.url).updateApiKey(EXAMPLE_ID, body), 400));
    },
  },
  {
    behaviour: 'updating a deleted key is a 404',
    description: 'a request to update an API key that has been deleted',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.keyDeleted)
        .withRequest('PUT', statePath(), (b) => b.headers(apiKeyHeader()).jsonBody(updateExamples.deactivate))
        .willRespondWith(404, (b) => b.jsonBody(errorBody('updateApiKey', 404)))
        .executeTest((server) => expectError(client(server.url).updateApiKey(EXAMPLE_ID, updateExamples.deactivate), 404)),
  },
  {
    behaviour: "updating another user's key is refused with 403 (or 404)",
    description: "a request to update another user's API key",
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.otherUsersKey)
        .withRequest('PUT', statePath(), (b) => b.headers(apiKeyHeader()).jsonBody(updateExamples.deactivate))
        .willRespondWith(foreignKeyStatus(), (b) => b.jsonBody(errorBody('updateApiKey', 403)))
        .executeTest((server) => expectError(client(server.url).updateApiKey(EXAMPLE_ID, updateExamples.deactivate), 403)),
  },
  {
    behaviour: 'deleting a key is a 204 with no body',
    description: 'a request to delete an API key',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.keyExists)
        .withRequest('DELETE', statePath(), (b) => b.headers(apiKeyHeader()))
        .willRespondWith(204)
        .executeTest(async (server) => {
          const deleted = await client(server.url).deleteApiKey(EXAMPLE_ID);
          assert.ok(deleted.ok);
          assert.equal(deleted.status, 204);
          assert.equal(deleted.data, undefined);
        }),
  },
  {
    behaviour: 'deleting a deleted key is a 404',
    description: 'a request to delete an API key that has been deleted',
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.keyDeleted)
        .withRequest('DELETE', statePath(), (b) => b.headers(apiKeyHeader()))
        .willRespondWith(404, (b) => b.jsonBody(errorBody('deleteApiKey', 404)))
        .executeTest((server) => expectError(client(server.url).deleteApiKey(EXAMPLE_ID), 404)),
  },
  {
    behaviour: 'deleting with a malformed id is a 400',
    description: 'a request to delete an API key with a malformed id',
    record: (interaction) =>
      interaction
        .withRequest('DELETE', `/v1/apikeys/${MALFORMED_ID}`, (b) => b.headers(apiKeyHeader()))
        .willRespondWith(400, (b) => b.jsonBody(errorBody('deleteApiKey', 400)))
        .executeTest((server) => expectError(client(server.url).deleteApiKey(MALFORMED_ID), 400)),
  },
  {
    behaviour: "deleting another user's key is refused with 403 (or 404)",
    description: "a request to delete another user's API key",
    record: (interaction) =>
      interaction
        .given(PROVIDER_STATES.otherUsersKey)
        .withRequest('DELETE', statePath(), (b) => b.headers(apiKeyHeader()))
        .willRespondWith(foreignKeyStatus(), (b) => b.jsonBody(errorBody('deleteApiKey', 403)))
        .executeTest((server) => expectError(client(server.url).deleteApiKey(EXAMPLE_ID), 403)),
  },
];

/** Several `onlyKeys` rules in one `matchingRules` call. */
function merge(...rules: ReturnType<typeof onlyKeys>[]): ReturnType<typeof onlyKeys> {
  return { body: rules.flatMap((r) => (Array.isArray(r.body) ? r.body : r.body ? [r.body] : [])) };
}
