import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha3Hex } from '../../mock/service/key-material.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { startMock } from '../../mock/start-mock.ts';
import { fileMock, ADMIN_TOKEN, type FileMock } from '../support/running-mock.ts';
import { httpClient } from './support/http-client.ts';
import { base32 } from './support/rfc4648-base32.ts';
import { rawKeyAnywhere, rawKeyPattern } from './support/spec-facts.ts';

interface Created {
  rawApiKey: string;
  apiKeyMetadata: { apiKeyId: string; keyPrefix: string };
}

async function create(mock: FileMock, apiKey: string = DEV_KEYS.alice, body: object = {}): Promise<Created> {
  const res = await mock.send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': apiKey }, body });
  expect(res.status, res.text).toBe(201);
  return res.json as Created;
}

/** Wraps the secure generator and remembers every draw, to check what was derived from it. */
function recordingRandom() {
  const draws: Buffer[] = [];
  return {
    draws,
    random: (size: number) => {
      const bytes = randomBytes(size);
      draws.push(Buffer.from(bytes));
      return bytes;
    },
  };
}

describe('SHA3-256, the hash keys are stored under', () => {
  it('matches the FIPS 202 known answers (so it is SHA3, not Keccak-256)', () => {
    // FIPS 202 / NIST CSRC example values for SHA3-256.
    const abc = '3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532';
    const empty = 'a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a';
    expect(sha3Hex(Buffer.from('abc'))).toBe(abc);
    expect(sha3Hex(Buffer.alloc(0))).toBe(empty);
    expect(createHash('sha3-256').update('abc').digest('hex')).toBe(abc);
  });
});

describe('key material', () => {
  it('makes each raw key gm_ + base32 of 16 fresh random bytes, its prefix the first 8 characters, and stores only the SHA3-256 of the bytes', async () => {
    // The base32 oracle itself, against RFC 4648 §10's test vectors.
    expect(['f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((s) => base32(Buffer.from(s)))).toEqual([
      'my',
      'mzxq',
      'mzxw6',
      'mzxw6yq',
      'mzxw6ytb',
      'mzxw6ytboi',
    ]);
    const { draws, random } = recordingRandom();
    const mock = await fileMock({ random });
    const created: Created[] = [];
    for (let i = 0; i < 40; i++) created.push(await create(mock, DEV_KEYS.alice, { labels: { i: String(i) } }));
    expect(draws).toHaveLength(40);
    const stored = JSON.parse(mock.fileText()) as { keys: Record<string, { keyHash: string; keyPrefix: string }> };
    created.forEach((c, i) => {
      const bytes = draws[i]!;
      expect(bytes).toHaveLength(16);
      expect(c.rawApiKey).toMatch(rawKeyPattern());
      expect(c.rawApiKey).toBe(`gm_${base32(bytes)}`);
      expect(c.apiKeyMetadata.keyPrefix).toBe(c.rawApiKey.slice(0, 8));
      const record = stored.keys[c.apiKeyMetadata.apiKeyId]!;
      expect(record.keyHash).toBe(createHash('sha3-256').update(bytes).digest('hex'));
      expect(record.keyPrefix).toBe(c.apiKeyMetadata.keyPrefix);
    });
  });

  it('never writes a raw key into the db file, the temp file or any other file of the store', async () => {
    const mock = await fileMock();
    const created = [await create(mock), await create(mock, DEV_KEYS.bob, { labels: { env: 'ci' } }), await create(mock, DEV_KEYS.admin)];
    const [first, second] = created;
    await mock.send({
      method: 'PUT',
      path: `/v1/apikeys/${first!.apiKeyMetadata.apiKeyId}`,
      headers: { 'x-api-key': first!.rawApiKey },
      body: { status: 'INACTIVE' },
    });
    await mock.send({ method: 'DELETE', path: `/v1/apikeys/${second!.apiKeyMetadata.apiKeyId}`, headers: { 'x-api-key': DEV_KEYS.bob } });
    await mock.send({ method: 'POST', path: '/_mock/users', headers: { 'x-admin-token': ADMIN_TOKEN }, body: { name: 'carol' } });
    await mock.store.flush();
    for (const file of readdirSync(mock.dir)) {
      const text = readFileSync(join(mock.dir, file), 'utf8');
      // No raw key at all: neither the created ones nor the seed's dev keys.
      expect(text.match(rawKeyAnywhere()), file).toBeNull();
    }
    expect(Object.keys(JSON.parse(mock.fileText()).keys)).toHaveLength(4 + 3 + 1 - 1);
  });

  it('never writes a raw key into the log, whatever the request and however it authenticates', async () => {
    const mock = await fileMock();
    const key = await create(mock);
    const id = key.apiKeyMetadata.apiKeyId;
    const requests = [
      { method: 'GET', path: '/v1/apikeys', headers: { 'x-api-key': key.rawApiKey } },
      { method: 'GET', path: '/v1/apikeys', headers: { authorization: `Bearer ${key.rawApiKey}` } },
      { method: 'PUT', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': key.rawApiKey }, body: { mergeLabels: { a: 'b' } } },
      { method: 'PUT', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': key.rawApiKey }, body: '{"broken' },
      { method: 'PATCH', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': key.rawApiKey } },
      { method: 'GET', path: '/nowhere', headers: { 'x-api-key': key.rawApiKey } },
      { method: 'PUT', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': DEV_KEYS.alice }, body: { status: 'INACTIVE' } },
      { method: 'GET', path: '/v1/apikeys', headers: { 'x-api-key': key.rawApiKey } },
      { method: 'DELETE', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': DEV_KEYS.alice } },
      { method: 'GET', path: '/v1/apikeys', headers: { 'x-api-key': key.rawApiKey } },
    ];
    for (const request of requests) await mock.send(request);
    await mock.store.flush();
    expect(mock.logLines.length, 'the request log is on at debug level').toBeGreaterThanOrEqual(requests.length);
    expect(mock.logLines.filter((line) => rawKeyAnywhere().test(line))).toEqual([]);
  });

  it('does not write a raw key into the log when a client sends it in the URL by mistake', async () => {
    const mock = await fileMock();
    const key = await create(mock);
    // A client that passes the raw key where the id belongs, or as a query parameter.
    await mock.send({ method: 'DELETE', path: `/v1/apikeys/${key.rawApiKey}`, headers: { 'x-api-key': DEV_KEYS.alice } });
    await mock.send({ method: 'GET', path: `/v1/apikeys?api_key=${key.rawApiKey}`, headers: { 'x-api-key': DEV_KEYS.alice } });
    expect(mock.logLines.length).toBeGreaterThanOrEqual(2);
    expect(mock.logLines.filter((line) => line.includes(key.rawApiKey))).toEqual([]);
  });

  it('never sends a raw key again after the create response, in any body or header', async () => {
    const mock = await fileMock();
    const key = await create(mock, DEV_KEYS.alice, { labels: { env: 'ci' } });
    const id = key.apiKeyMetadata.apiKeyId;
    const asKey = { 'x-api-key': key.rawApiKey };
    const admin = { 'x-admin-token': ADMIN_TOKEN };
    const replies = [
      await mock.send({ method: 'GET', path: '/v1/apikeys', headers: asKey }),
      await mock.send({ method: 'GET', path: '/v1/apikeys', headers: { 'x-api-key': DEV_KEYS.admin } }),
      await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: asKey, body: { mergeLabels: { more: 'x' } } }),
      await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: asKey, body: { unknown: 1 } }),
      await mock.send({ method: 'PUT', path: '/v1/apikeys/00000000-0000-4000-8000-00000000dead', headers: asKey, body: {} }),
      await mock.send({ method: 'PATCH', path: `/v1/apikeys/${id}`, headers: asKey }),
      await mock.send({ method: 'GET', path: '/_mock/health', headers: admin }),
      await mock.send({ method: 'GET', path: '/_mock/faults', headers: admin }),
      await mock.send({ method: 'PUT', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': DEV_KEYS.admin }, body: { status: 'INACTIVE' } }),
      await mock.send({ method: 'GET', path: '/v1/apikeys', headers: asKey }),
      await mock.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': DEV_KEYS.alice } }),
      await mock.send({ method: 'DELETE', path: `/v1/apikeys/${id}`, headers: { 'x-api-key': DEV_KEYS.alice } }),
    ];
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 400, 404, 405, 200, 200, 200, 401, 204, 404]);
    for (const reply of replies) {
      expect(reply.text).not.toContain(key.rawApiKey);
      expect(JSON.stringify(reply.headers)).not.toContain(key.rawApiKey);
      expect(reply.text).not.toMatch(/keyHash/);
    }
  });

  it('gives 10,000 created keys distinct ids, raw keys and hashes', async () => {
    // In memory: this is about the generator, not the disk (a 10,000-key file would be rewritten per write).
    const mock = await startMock({ adminToken: ADMIN_TOKEN });
    try {
      const { send } = httpClient(mock.url);
      const total = 10_000;
      const ids = new Set<string>();
      const raws = new Set<string>();
      let next = 0;
      // 32 clients in parallel, each creating keys until the total is reached.
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < total) {
            next += 1;
            const res = await send({ method: 'POST', path: '/v1/apikeys', headers: { 'x-api-key': DEV_KEYS.alice }, body: {} });
            expect(res.status).toBe(201);
            const body = res.json as Created;
            expect(body.rawApiKey).toMatch(rawKeyPattern());
            ids.add(body.apiKeyMetadata.apiKeyId);
            raws.add(body.rawApiKey);
          }
        }),
      );
      expect(ids.size).toBe(total);
      expect(raws.size).toBe(total);
      const hashes = new Set(mock.store.allKeys().map((k) => k.keyHash));
      expect(hashes.size).toBe(total + 4);
    } finally {
      await mock.close();
    }
  });
});
