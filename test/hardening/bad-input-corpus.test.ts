import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadSpec, type OperationId } from '../../contracts/openapi/load-spec.ts';
import { MockClock } from '../../mock/service/clock.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { badRequestCorpus, faultArbitraries, type CorpusContext } from './support/bad-request-corpus.ts';
import { expectErrorReply } from './support/expect-error-reply.ts';
import { FRAMINGS, framed } from './support/framings.ts';
import { fileMock } from '../support/running-mock.ts';
import { rawRequest } from './support/raw-request.ts';

// Fixed by default so every run sends the same corpus; HARDENING_SEED explores another one.
const SEED = Number(process.env.HARDENING_SEED ?? 20_260_101);
const PER_OPERATION: Record<OperationId, number> = { createApiKey: 200, updateApiKey: 200, deleteApiKey: 110, listApiKeys: 50 };
// A frozen clock: lastUsedAt, written by every authentication, then gets the same value each time.
const NOW = Date.UTC(2026, 0, 1);

function context(ids: { own: string; foreign: string; known: string[] }): CorpusContext {
  return {
    ownKeyId: ids.own,
    foreignKeyId: ids.foreign,
    knownIds: new Set(ids.known),
    callerKey: DEV_KEYS.alice,
    noPermissionKey: DEV_KEYS.nobody,
    now: NOW,
  };
}

describe('a generated corpus of invalid requests', () => {
  it('is reproducible: the same seed gives the same requests', () => {
    const ctx = context({ own: '11111111-1111-4111-8111-111111111111', foreign: '22222222-2222-4222-8222-222222222222', known: [] });
    const perOperation = { createApiKey: 30, updateApiKey: 30, deleteApiKey: 30, listApiKeys: 10 };
    expect(badRequestCorpus(ctx, { seed: SEED, perOperation })).toEqual(badRequestCorpus(ctx, { seed: SEED, perOperation }));
  });

  it('gets a documented 4xx with an Error body for each of 500+ requests, and leaves the store byte-for-byte unchanged', async () => {
    console.info(`bad-input corpus seed ${SEED} (HARDENING_SEED=${SEED} reproduces this run)`);
    const mock = await fileMock({ clock: new MockClock(() => NOW) });
    const create = async (apiKey: string, body: object) => {
      const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': apiKey }, body });
      expect(res.status).toBe(201);
      return (res.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
    };
    const own = await create(DEV_KEYS.alice, { labels: { env: 'ci' } });
    const foreign = await create(DEV_KEYS.bob, { labels: { owner: 'bob' } });
    // Every key the corpus authenticates with has been used once, so lastUsedAt is already NOW.
    for (const key of [DEV_KEYS.alice, DEV_KEYS.bob, DEV_KEYS.nobody])
      await mock.send({ path: '/v1/apikeys', headers: { 'x-api-key': key } });
    await mock.store.flush();
    const file = mock.fileText();
    const memory = mock.memoryText();

    const ctx = context({ own, foreign, known: mock.store.allKeys().map((k) => k.apiKeyId) });
    const corpus = badRequestCorpus(ctx, { seed: SEED, perOperation: PER_OPERATION });
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    // Every operation and, per operation, every fault family the spec yields is in the corpus.
    for (const op of loadSpec().operations) {
      const families = faultArbitraries(op.operationId, ctx).map((arb) => fc.sample(arb, { seed: SEED, numRuns: 1 })[0]!.fault);
      const seen = new Set(corpus.filter((r) => r.operationId === op.operationId).map((r) => r.fault));
      expect([...seen].sort(), op.operationId).toEqual([...new Set(families)].sort());
    }

    for (const [i, request] of corpus.entries()) {
      const reply = await mock.send(request);
      const what = `#${i} of seed ${SEED}: ${request.fault} ${request.method} ${request.path.slice(0, 120)} headers ${JSON.stringify(request.headers).slice(0, 200)} body ${JSON.stringify(request.body?.slice(0, 200))}`;
      expectErrorReply(reply, request.expected, what, request.operationId);
      expect(mock.memoryText(), `${what}: in-memory state`).toBe(memory);
      expect(mock.fileText(), `${what}: db file`).toBe(file);
    }
    await mock.store.flush();
    expect(mock.fileText()).toBe(file);
  });

  it('answers every framing of the same payload alike: Content-Length, chunked, Expect: 100-continue, early close', async () => {
    const mock = await fileMock({ clock: new MockClock(() => NOW) });
    const create = async (apiKey: string) => {
      const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': apiKey }, body: {} });
      return (res.json as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
    };
    const ids = { own: await create(DEV_KEYS.alice), foreign: await create(DEV_KEYS.bob) };
    const ctx = context({ ...ids, known: mock.store.allKeys().map((k) => k.apiKeyId) });
    // Bodies are where framing matters: every request of the body-carrying operations, BOM and invalid UTF-8 included.
    const corpus = badRequestCorpus(ctx, { seed: SEED, perOperation: { createApiKey: 80, updateApiKey: 40 } }).filter(
      (r) => r.body !== undefined,
    );
    for (const family of ['body.byte-order-mark', 'body.invalid-utf8', 'body.empty', 'body.malformed-json'])
      expect(
        corpus.map((r) => r.fault),
        family,
      ).toContain(family);
    const state = mock.stateText();
    for (const [i, request] of corpus.entries()) {
      const what = `#${i} ${request.fault} ${request.method} ${request.path.slice(0, 80)} body ${JSON.stringify(request.body?.slice(0, 120))}`;
      const replies = [];
      for (const framing of FRAMINGS) {
        const { bytes, halfClose } = framed(request, framing);
        const reply = await rawRequest(mock.port, bytes, 5000, { keepOpen: !halfClose });
        expectErrorReply({ ...reply, text: reply.body }, request.expected, `${what} framed as ${framing}`, request.operationId);
        replies.push({ framing, status: reply.status, body: reply.body });
      }
      const first = replies[0]!;
      for (const reply of replies)
        expect({ ...reply, framing: first.framing }, `${what}: ${reply.framing} vs ${first.framing}`).toEqual(first);
      expect(mock.stateText(), what).toBe(state);
    }
  });
});
