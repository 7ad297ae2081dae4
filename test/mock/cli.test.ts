import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';

const BIN = fileURLToPath(new URL('../../mock/bin.js', import.meta.url));
const children: ChildProcessWithoutNullStreams[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the CLI and resolves with its URL once it prints the listening line. */
function startCli(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: tmpdir(), env: { ...process.env, NODE_ENV: 'production' } });
  children.push(child);
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    void exited.then((code) => reject(new Error(`exited ${code}: ${err}`)));
  });
  // Tests of start-up failures never await `ready`.
  ready.catch(() => undefined);
  return { child, ready, exited, output: () => out, errors: () => err };
}

describe('the apikeys-mock CLI', () => {
  it('starts, prints the dev keys and the admin token, logs one line per request and stops cleanly on SIGTERM', async () => {
    const cli = startCli(['--port', '0', '--in-memory', '--admin-token', 'cli-test-token']);
    const url = await cli.ready;
    expect(cli.output()).toContain(DEV_KEYS.alice);
    expect(cli.output()).toContain('x-admin-token: cli-test-token');
    const res = await fetch(`${url}/v1/apikeys`, { headers: { 'x-api-key': DEV_KEYS.alice } });
    expect(res.status).toBe(200);
    await expect.poll(() => cli.output(), { timeout: 5000 }).toMatch(/GET \/v1\/apikeys 200 /);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('flushes state to the db file on SIGINT and finds it again on the next start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'apikeys-cli-'));
    dirs.push(dir);
    const db = join(dir, 'nested', 'db.json');
    const first = startCli(['--port', '0', '--db', db, '--log-level', 'error']);
    const url = await first.ready;
    const created = await fetch(`${url}/v1/apikeys`, {
      method: 'POST',
      headers: { 'x-api-key': DEV_KEYS.bob, 'content-type': 'application/json' },
      body: '{}',
    });
    const { rawApiKey } = await created.json();
    // This request records lastUsedAt, which is written lazily: SIGINT must flush it.
    await fetch(`${url}/v1/apikeys`, { headers: { 'x-api-key': rawApiKey } });
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    const onDisk = JSON.parse(readFileSync(db, 'utf8'));
    expect(Object.values(onDisk.keys).some((k) => (k as { lastUsedAt: number | null }).lastUsedAt !== null)).toBe(true);

    const second = startCli(['--port', '0', '--db', db, '--log-level', 'error']);
    const url2 = await second.ready;
    expect((await fetch(`${url2}/v1/apikeys`, { headers: { 'x-api-key': rawApiKey } })).status).toBe(200);
  });

  it.each([
    [['--port', 'eighty'], /--port/],
    [['--log-level', 'loud'], /silent, error, info, debug/],
    [['--seed', '/nonexistent/seed.json', '--in-memory'], /--seed \/nonexistent\/seed.json/],
    [['--headers-timeout', 'soon'], /--headers-timeout/],
    [['--headers-timeout', '5000', '--request-timeout', '1000'], /--headers-timeout \(5000\) must not be greater than --request-timeout/],
  ])('refuses %j with a message naming the option', async (args, message) => {
    const cli = startCli(args);
    expect(await cli.exited).not.toBe(0);
    expect(cli.errors()).toMatch(message);
  });
});
