import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CleanupLedger, type NamedCredentials } from '../../contracts/cleanup/cleanup-ledger.ts';
import type { DeleteAnswer } from '../../contracts/cleanup/delete-through-api.ts';

type Name = 'alice' | 'admin' | 'bob';
const KEYS: Record<Name, string> = { alice: 'gm_alice_raw_key', admin: 'gm_admin_raw_key', bob: 'gm_bob_raw_key' };
const CREDENTIALS: NamedCredentials<Name> = [
  ['alice', KEYS.alice],
  ['admin', KEYS.admin],
  ['bob', KEYS.bob],
];
const nameOf = (rawKey: string) => (Object.entries(KEYS).find(([, key]) => key === rawKey)?.[0] ?? rawKey) as Name;

const ID = {
  a: '0190a0b0-0000-7000-8000-00000000000a',
  b: '0190a0b0-0000-7000-8000-00000000000b',
  c: '0190a0b0-0000-7000-8000-00000000000c',
};

/**
 * A server the ledger's DELETEs go to, scripted per (id, credential): a
 * status, or 'down' for no answer at all. Unscripted DELETEs answer 204.
 */
function fakeServer(script: Record<string, number | 'down'> = {}) {
  const sent: string[] = [];
  const send = async (apiKeyId: string, rawKey: string): Promise<DeleteAnswer> => {
    const call = `${apiKeyId} ${nameOf(rawKey)}`;
    sent.push(call);
    const scripted = script[call] ?? 204;
    if (scripted === 'down') throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } });
    return { status: scripted, detail: scripted < 300 ? '' : `{"error":"scripted ${scripted}"}` };
  };
  return { sent, send, script };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the cleanup ledger', () => {
  it('deletes each key with the credential that created it, and tries the others in order only when that fails', async () => {
    const server = fakeServer({ [`${ID.b} bob`]: 403, [`${ID.b} alice`]: 404 });
    const ledger = new CleanupLedger<Name>({ credentials: CREDENTIALS, send: server.send });
    ledger.recordCreated(ID.a, 'alice');
    ledger.recordCreated(ID.b, 'bob');

    const report = await ledger.deleteAll();

    // bob's key: bob first; alice's 404 may only hide bob's key, so the admin is tried too.
    expect(server.sent).toEqual([`${ID.a} alice`, `${ID.b} bob`, `${ID.b} alice`, `${ID.b} admin`]);
    expect(report).toEqual({ created: 2, deleted: 2, leaked: [] });
  });

  it("counts a 404 as gone only when the key's owner (or, for a key of unknown owner, anyone) answered it", async () => {
    const server = fakeServer({
      [`${ID.a} alice`]: 404,
      [`${ID.b} bob`]: 401,
      [`${ID.b} alice`]: 404,
      [`${ID.b} admin`]: 404,
      [`${ID.c} alice`]: 404,
    });
    const ledger = new CleanupLedger<Name>({ credentials: CREDENTIALS, send: server.send });
    ledger.recordCreated(ID.a, 'alice');
    ledger.recordCreated(ID.b, 'bob');
    ledger.recordCreated(ID.c, null);

    const report = await ledger.deleteAll();

    expect(report.deleted).toBe(2);
    expect(ledger.get(ID.b)?.deleted).toBe(false);
    expect(report.leaked).toEqual([
      {
        apiKeyId: ID.b,
        owner: 'bob',
        reason:
          'DELETE with bob answered 401 {"error":"scripted 401"}; DELETE with alice answered 404 {"error":"scripted 404"}; DELETE with admin answered 404 {"error":"scripted 404"}',
      },
    ]);
  });

  it('never sends a DELETE for a key it did not record, even when handed one', async () => {
    const server = fakeServer();
    const ledger = new CleanupLedger<Name>({ credentials: CREDENTIALS, send: server.send });
    const other = new CleanupLedger<Name>({ credentials: CREDENTIALS, send: server.send });
    other.recordCreated(ID.a, 'alice');
    ledger.recordCreated(ID.b, 'alice');

    await ledger.deleteKeys([
      ...other.entries(),
      { apiKeyId: ID.c, owner: 'alice', rawKey: null, madeBy: '', isCredential: false, deleted: false },
    ]);

    expect(server.sent).toEqual([]);
    await ledger.deleteAll();
    expect(server.sent).toEqual([`${ID.b} alice`]);
  });

  it('deletes a key that is itself a credential after every other key, and uses it as that credential until then', async () => {
    const server = fakeServer();
    const ledger = new CleanupLedger<Name | 'made'>({ credentials: [['alice', KEYS.alice]], send: server.send });
    ledger.recordCredential(ID.a, 'made', 'gm_made_raw_key');
    ledger.recordCreated(ID.b, ledger.credentialOf('gm_made_raw_key'));
    ledger.recordCreated(ID.c, 'alice');

    await ledger.deleteAll();

    expect(server.sent).toEqual([`${ID.b} gm_made_raw_key`, `${ID.c} alice`, `${ID.a} gm_made_raw_key`]);
  });

  it('reports a key it could not delete, with the reason, until a later attempt deletes it', async () => {
    const server = fakeServer({ [`${ID.a} alice`]: 'down', [`${ID.a} admin`]: 500, [`${ID.a} bob`]: 'down' });
    const ledger = new CleanupLedger<Name>({ credentials: CREDENTIALS, send: server.send });
    ledger.recordCreated(ID.a, 'alice');

    expect((await ledger.deleteAll()).leaked).toEqual([
      {
        apiKeyId: ID.a,
        owner: 'alice',
        reason:
          'DELETE with alice failed: fetch failed (ECONNREFUSED); DELETE with admin answered 500 {"error":"scripted 500"}; DELETE with bob failed: fetch failed (ECONNREFUSED)',
      },
    ]);

    server.script[`${ID.a} alice`] = 204;
    expect(await ledger.deleteAll()).toEqual({ created: 1, deleted: 1, leaked: [] });
  });

  it('says so when it holds no credential to delete a key with', async () => {
    const ledger = new CleanupLedger<Name>({ credentials: [['alice', undefined]], send: fakeServer().send });
    ledger.recordCreated(ID.a, 'alice');
    expect((await ledger.deleteAll()).leaked).toEqual([{ apiKeyId: ID.a, owner: 'alice', reason: 'no credential to delete it with' }]);
  });

  it('knows an id in any form the contract allows, and deletes it by its canonical form', async () => {
    const server = fakeServer();
    const ledger = new CleanupLedger<Name>({ credentials: CREDENTIALS, send: server.send });
    ledger.recordCreated(ID.a.toUpperCase(), 'alice');
    expect(ledger.knows(ID.a.replaceAll('-', ''))).toBe(true);
    await ledger.deleteAll();
    expect(server.sent).toEqual([`${ID.a} alice`]);
  });
});

describe("the cleanup ledger's journal", () => {
  it("lets another process sweep a crashed run's keys with its own credentials, never with a raw key on disk", async () => {
    dir = mkdtempSync(join(tmpdir(), 'cleanup-ledger-'));
    const journalPath = join(dir, 'journal.jsonl');
    const crashed = new CleanupLedger<Name>({ credentials: CREDENTIALS, send: fakeServer().send, journalPath });
    crashed.recordCreated(ID.a, 'alice', 'gm_raw_key_of_a');
    crashed.recordCreated(ID.b, 'bob');
    crashed.recordCreated(ID.c, null);
    crashed.recordDeleted(ID.a);
    // The run dies here, part-way through writing a line.
    appendFileSync(journalPath, '{"event":"created","apiKeyId":"0190a0b0-');
    const journal = readFileSync(journalPath, 'utf8');
    for (const rawKey of [...Object.values(KEYS), 'gm_raw_key_of_a']) expect(journal).not.toContain(rawKey);

    const server = fakeServer();
    const sweep = CleanupLedger.fromJournal<Name>(journalPath, { credentials: CREDENTIALS, send: server.send });
    expect(await sweep.deleteAll()).toEqual({ created: 2, deleted: 2, leaked: [] });
    expect(server.sent).toEqual([`${ID.b} bob`, `${ID.c} alice`]);

    // The sweep journals its own deletions: a second sweep finds nothing left.
    const again = fakeServer();
    expect(await CleanupLedger.fromJournal<Name>(journalPath, { credentials: CREDENTIALS, send: again.send }).deleteAll()).toEqual({
      created: 0,
      deleted: 0,
      leaked: [],
    });
    expect(again.sent).toEqual([]);
  });

  it('is an empty ledger when the run wrote no journal', async () => {
    const server = fakeServer();
    const sweep = CleanupLedger.fromJournal<Name>(join(tmpdir(), 'no-such-dir-for-a-journal', 'journal.jsonl'), {
      credentials: CREDENTIALS,
      send: server.send,
    });
    expect(await sweep.deleteAll()).toEqual({ created: 0, deleted: 0, leaked: [] });
    expect(server.sent).toEqual([]);
  });
});
