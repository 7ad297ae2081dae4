import { describe, expect, it } from 'vitest';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import { loadSpec, type OperationId } from '../../contracts/openapi/load-spec.ts';
import { createMock } from '../../mock/create-mock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { fileMock, type FileMock } from '../support/running-mock.ts';
import type { Reply } from './support/http-client.ts';

const alice = { 'x-api-key': DEV_KEYS.alice };

interface KeyBody {
  apiKeyId: string;
  status: 'ACTIVE' | 'INACTIVE';
  labels: Record<string, string> | null;
}

/** A success reply must still be exactly what openapi.yaml documents, however busy the mock is. */
function expectValid(operationId: OperationId, reply: Reply, status: number) {
  expect(reply.status, reply.text).toBe(status);
  const validate = loadSpec().byId[operationId].responses.get(status)?.validate;
  if (validate) expect(validate(reply.json), formatErrors(validate.errors, 'response body')).toBe(true);
}

async function createKey(mock: FileMock, labels: Record<string, string> = {}) {
  const reply = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels } });
  expectValid('createApiKey', reply, 201);
  return (reply.json as { apiKeyMetadata: KeyBody }).apiKeyMetadata.apiKeyId;
}

/** The file on disk, reopened as after a restart, holds exactly what memory holds. */
async function expectDiskMatchesMemory(mock: FileMock) {
  await mock.store.flush();
  const reopened = await createMock({ dbPath: mock.dbPath, logLevel: 'silent' });
  expect(JSON.stringify(reopened.store.allKeys())).toBe(JSON.stringify(mock.store.allKeys()));
  await reopened.store.close();
}

describe('concurrency', () => {
  it('answers 200 parallel creates with 201 each, 200 distinct keys, all listed and all on disk', async () => {
    const mock = await fileMock();
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        mock.send({ method: 'POST', path: '/v1/apikeys', headers: alice, body: { labels: { i: String(i) } } }),
      ),
    );
    for (const reply of replies) expectValid('createApiKey', reply, 201);
    const created = replies.map((r) => r.json as { apiKeyMetadata: KeyBody; rawApiKey: string });
    expect(new Set(created.map((c) => c.apiKeyMetadata.apiKeyId)).size).toBe(200);
    expect(new Set(created.map((c) => c.rawApiKey)).size).toBe(200);
    expect(created.map((c) => c.apiKeyMetadata.labels!.i).sort()).toEqual(Array.from({ length: 200 }, (_, i) => String(i)).sort());
    const listed = await mock.send({ path: '/v1/apikeys', headers: alice });
    const listedIds = new Set((listed.json as { keys: KeyBody[] }).keys.map((k) => k.apiKeyId));
    for (const c of created) expect(listedIds.has(c.apiKeyMetadata.apiKeyId)).toBe(true);
    const onDisk = JSON.parse(mock.fileText()) as { keys: Record<string, unknown> };
    for (const c of created) expect(onDisk.keys[c.apiKeyMetadata.apiKeyId]).toBeDefined();
    await expectDiskMatchesMemory(mock);
  });

  it('ends 200 parallel replace-and-status updates of one key in exactly one request’s state, never a mix', async () => {
    const mock = await fileMock();
    const id = await createKey(mock, { start: 'yes' });
    // Each request sets a status and a label set that name the request, so a mix is visible.
    const requestState = (i: number) => ({
      status: i % 3 === 0 ? 'INACTIVE' : 'ACTIVE',
      labels: { writer: String(i), copy: String(i), parity: String(i % 2) },
    });
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        mock.send({
          method: 'PUT',
          path: `/v1/apikeys/${id}`,
          headers: alice,
          body: { status: requestState(i).status, replaceLabels: requestState(i).labels },
        }),
      ),
    );
    for (const reply of replies) {
      expectValid('updateApiKey', reply, 200);
      const body = reply.json as KeyBody;
      expect({ status: body.status, labels: body.labels }).toEqual(requestState(Number(body.labels!.writer)));
    }
    const final = mock.store.keyById(id)!;
    const writer = Number(final.labels!.writer);
    expect({ status: final.status, labels: final.labels }).toEqual(requestState(writer));
    await expectDiskMatchesMemory(mock);
  });

  it('ends 200 parallel merges of the same two labels with both from one request, keeping the others', async () => {
    const mock = await fileMock();
    const id = await createKey(mock, { keep: 'me', a: 'start', b: 'start' });
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { mergeLabels: { a: String(i), b: String(i) } } }),
      ),
    );
    for (const reply of replies) {
      expectValid('updateApiKey', reply, 200);
      const labels = (reply.json as KeyBody).labels!;
      expect(labels.a).toBe(labels.b);
    }
    const labels = mock.store.keyById(id)!.labels!;
    expect(labels.keep).toBe('me');
    expect(labels.a).toBe(labels.b);
    expect(Object.keys(labels).sort()).toEqual(['a', 'b', 'keep']);
    await expectDiskMatchesMemory(mock);
  });

  it('loses no update: parallel merges of distinct labels all end up in the set, round after round', async () => {
    const mock = await fileMock();
    const id = await createKey(mock, { base: 'yes' });
    for (let round = 0; round < 20; round++) {
      const reset = await mock.send({
        method: 'PUT',
        path: `/v1/apikeys/${id}`,
        headers: alice,
        body: { replaceLabels: { base: String(round) } },
      });
      expect(reset.status).toBe(200);
      const replies = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { mergeLabels: { [`m${i}`]: String(round) } } }),
        ),
      );
      for (const reply of replies) expectValid('updateApiKey', reply, 200);
      const expected = { base: String(round), ...Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`m${i}`, String(round)])) };
      expect(mock.store.keyById(id)!.labels, `round ${round}`).toEqual(expected);
    }
    await expectDiskMatchesMemory(mock);
  });

  it('resolves a delete racing updates and another delete without a 5xx and with the key gone for good', async () => {
    const mock = await fileMock();
    for (let round = 0; round < 10; round++) {
      const id = await createKey(mock, { round: String(round) });
      const put = (i: number) =>
        mock.send({
          method: 'PUT',
          path: `/v1/apikeys/${id}`,
          headers: alice,
          body: { mergeLabels: { n: String(i) }, status: i % 2 ? 'INACTIVE' : 'ACTIVE' },
        });
      const del = () => mock.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: alice });
      // The deletes sit at different places among the updates in each round.
      const requests = Array.from({ length: 20 }, (_, i) => (i === round || i === 19 - round ? del : () => put(i)));
      const replies = await Promise.all(requests.map((send) => send()));
      const deletes = replies.filter((_, i) => i === round || i === 19 - round);
      const updates = replies.filter((_, i) => i !== round && i !== 19 - round);
      expect(replies.filter((r) => r.status >= 500).map((r) => r.text)).toEqual([]);
      expect(deletes.map((r) => r.status).sort(), `round ${round}`).toEqual([204, 404]);
      for (const reply of updates) expect([200, 404], reply.text).toContain(reply.status);
      expect(mock.store.keyById(id)).toBeUndefined();
      expect((await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: alice, body: { status: 'ACTIVE' } })).status).toBe(404);
      const listed = await mock.send({ path: '/v1/apikeys', headers: alice });
      expect((listed.json as { keys: KeyBody[] }).keys.map((k) => k.apiKeyId)).not.toContain(id);
    }
    await mock.store.flush();
    const onDisk = JSON.parse(mock.fileText()) as { keys: Record<string, { labels: Record<string, string> | null }> };
    expect(Object.values(onDisk.keys).filter((k) => k.labels?.round !== undefined)).toEqual([]);
    await expectDiskMatchesMemory(mock);
  });
});
