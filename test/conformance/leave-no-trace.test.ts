import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveOptions } from '../../contracts/conformance/conformance-options.ts';
import { ConformanceSession } from '../../contracts/conformance/conformance-session.ts';
import { runConformance } from '../../contracts/conformance/run-conformance.ts';
import { sweepJournal } from '../../contracts/conformance/sweep-journal.ts';
import { startMock, type RunningMock } from '../../mock/start-mock.ts';
import { allCredentials, keySnapshot } from './support/all-credentials.ts';
import { startVariantServer } from './support/variant-server.ts';
import { brokenVariants } from './support/broken-variants.ts';

let mock: RunningMock | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

/** A mock that already holds keys of every user, some labelled, one inactive, one expiring. */
async function mockWithExistingKeys(): Promise<RunningMock> {
  const running = await startMock();
  const create = async (key: string, body: unknown) => {
    const res = await fetch(`${running.url}/v1/apikeys`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { apiKeyMetadata: { apiKeyId: string } }).apiKeyMetadata.apiKeyId;
  };
  await create(running.devKeys.alice, { labels: { env: 'prod' } });
  await create(running.devKeys.bob, { expiresAt: Date.now() + 86_400_000 });
  await create(running.devKeys.admin, {});
  const inactive = await create(running.devKeys.alice, { labels: { old: 'yes' } });
  const res = await fetch(`${running.url}/v1/apikeys/${inactive}`, {
    method: 'PUT',
    headers: { 'x-api-key': running.devKeys.alice, 'content-type': 'application/json' },
    body: '{"status":"INACTIVE"}',
  });
  expect(res.status).toBe(200);
  return running;
}

describe('the suite leaves no trace', () => {
  it("leaves the server's key set exactly as it found it after a full run", async () => {
    mock = await mockWithExistingKeys();
    const before = keySnapshot(mock);
    const report = await runConformance(allCredentials(mock));
    expect(report.ok).toBe(true);
    expect(report.cleanup.created).toBeGreaterThan(0);
    expect(report.cleanup.deleted).toBe(report.cleanup.created);
    expect(keySnapshot(mock)).toBe(before);
  });

  it('deletes every key it created when the run is interrupted part-way', async () => {
    mock = await mockWithExistingKeys();
    const before = keySnapshot(mock);
    const controller = new AbortController();
    let finished = 0;
    const report = await runConformance({
      ...allCredentials(mock),
      signal: controller.signal,
      onResult: () => {
        if (++finished === 10) controller.abort();
      },
    });
    expect(report.interrupted).toBe(true);
    expect(report.ok).toBe(false);
    expect(report.results.some((r) => r.message.includes('interrupted'))).toBe(true);
    expect(report.cleanup.leaked).toEqual([]);
    expect(keySnapshot(mock)).toBe(before);
  });

  it('deletes the keys a broken server made while answering an error', async () => {
    const server = await startVariantServer(brokenVariants['rejected request changes state']!);
    try {
      const before = keySnapshot(server.mock);
      const report = await runConformance(allCredentials(server.mock, server.url));
      expect(report.ok).toBe(false);
      expect(keySnapshot(server.mock)).toBe(before);
    } finally {
      await server.close();
    }
  });

  it('sweeps the keys a run journalled and never deleted (its worker died), with the same ledger, and nothing else', async () => {
    mock = await mockWithExistingKeys();
    const before = keySnapshot(mock);
    const dir = mkdtempSync(join(tmpdir(), 'leave-no-trace-'));
    try {
      const journalPath = join(dir, 'journal.jsonl');
      const session = new ConformanceSession(resolveOptions({ ...allCredentials(mock), journalPath }));
      const create = async (apiKey: string) => {
        const exchange = await session.send({ method: 'POST', path: '/v1/apikeys', apiKey, body: {} }, 'a check');
        expect(exchange.status).toBe(201);
        return (exchange.json as { apiKeyMetadata: { apiKeyId: string }; rawApiKey: string }).apiKeyMetadata.apiKeyId;
      };
      const ofAlice = await create(mock.devKeys.alice);
      await create(mock.devKeys.bob);
      await create(mock.devKeys.admin);
      const deleted = await session.send({ method: 'DELETE', path: `/v1/apikeys/${ofAlice}`, apiKey: mock.devKeys.alice }, 'a check');
      expect(deleted.status).toBe(204);
      // The worker dies here: the session's clean-up never runs.
      expect(keySnapshot(mock)).not.toBe(before);
      expect(readFileSync(journalPath, 'utf8')).not.toContain(mock.devKeys.alice);

      const sweep = await sweepJournal(journalPath, allCredentials(mock));

      expect(sweep).toEqual({ swept: 2, leaked: [] });
      expect(keySnapshot(mock)).toBe(before);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to update or delete a key it did not create', async () => {
    mock = await startMock();
    const session = new ConformanceSession(resolveOptions(allCredentials(mock)));
    const [existing] = mock.store.keysOfUser('00000000-0000-4000-8000-000000000002');
    const path = `/v1/apikeys/${existing!.apiKeyId}`;
    await expect(session.send({ method: 'DELETE', path, apiKey: mock.devKeys.alice }, 'test')).rejects.toThrow(/did not create/);
    await expect(
      session.send(
        { method: 'PUT', path: path.toUpperCase().replace('/V1/APIKEYS', '/v1/apikeys'), apiKey: mock.devKeys.alice, body: {} },
        'test',
      ),
    ).rejects.toThrow(/did not create/);
    expect(session.exchanges).toEqual([]);
  });
});
