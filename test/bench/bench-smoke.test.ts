import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { Target } from './bench-report.ts';
import type { BenchResults } from './bench-results.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];
const runs: ReturnType<typeof spawn>[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) run.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `npm run bench -- args` without npm: node with tsx's loader, so the pid is the runner's. */
function bench(args: string[]) {
  const run = spawn(process.execPath, ['--import', 'tsx', 'test/bench/run-bench.ts', ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  runs.push(run);
  let stdout = '';
  let stderr = '';
  run.stdout.on('data', (d) => (stdout += d));
  run.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => run.on('exit', (code) => resolve(code)));
  return { run, exited, stdout: () => stdout, stderr: () => stderr };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function workDirsOf(text: string): string[] {
  return [...text.matchAll(/apikeys-bench-\w+/g)].map((m) => join(tmpdir(), m[0]));
}

describe('npm run bench', () => {
  // About 45 s alone (two crash rounds, the compaction rows); the whole suite running beside it on 2 cores can triple that.
  it(
    'measures every server and operation, prints the table, ratios and targets, writes JSON and leaves no server running',
    { timeout: 180_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
      dirs.push(dir);
      const json = join(dir, 'results.json');
      const tiny =
        '--duration 0.2 --warmup 0 --connections 4 --large-store 200 --huge-store 400 --crash-rounds 2 --flood-sockets 200 --flood-seconds 1'.split(
          ' ',
        );
      const b = bench([...tiny, '--json', json]);
      expect(await b.exited, `${b.stderr()}\n${b.stdout()}`).toBe(0);

      const results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults & { targets: Target[] };
      const rows = results.measurements.map((m) => `${m.server} ${m.operation} ${m.stored}`);
      expect(rows).toEqual([
        'bare list fixed 10',
        'ours list 10 of 13',
        'ours list 10 of 200',
        'ours unauthenticated 10 of 13',
        'ours update 10 of 13',
        'ours create 13+ (file)',
        'ours create 13+ (file)',
        'ours list 10 of 400',
        'ours list while compacting 1 of 400',
        'ours create while compacting 400+ (file)',
        'prism list examples',
        'prism unauthenticated examples',
        'prism update examples',
        'prism create examples',
        'json-server list 10 (file)',
        'json-server create 10+ (file)',
      ]);
      for (const m of results.measurements) {
        expect(m.ok, `${m.server} ${m.operation}: ${JSON.stringify(m.load.statuses)}`).toBe(true);
        expect(m.load.requests).toBeGreaterThan(0);
        expect(m.load.p99Ms).toBeGreaterThanOrEqual(m.load.p50Ms);
        expect(m.peakRssKib).toBeGreaterThan(0);
        expect(alive(m.pid), `${m.server} (pid ${m.pid}) still running`).toBe(false);
      }
      // Ours must keep every acknowledged write; another server's losses are reported, not failed on.
      const ourCreate = results.measurements.find((m) => m.server === 'ours' && m.operation === 'create')!;
      expect(ourCreate.persisted!.found).toBeGreaterThanOrEqual(ourCreate.persisted!.acknowledged);
      expect(results.measurements.filter((m) => m.persisted).map((m) => m.server)).toEqual(['ours', 'json-server']);
      expect(results.footprints.map((f) => f.keys)).toEqual([200, 400]);
      expect(results.measurements.filter((m) => m.operation === 'create').map((m) => m.connections)).toEqual([4, 100, 4, 4]);
      expect(results.crash).toMatchObject({ keys: 400, rounds: 2, writers: 200, lost: 0, unreadable: 0 });
      expect(results.crash!.acknowledged).toBeGreaterThan(0);
      // The flood row ran, every ordinary request got its 200 and every 10 MiB upload its 413.
      expect(results.flood).toMatchObject({ slowSockets: 200, seconds: 1, ordinary: { unanswered: 0 } });
      expect(Object.keys(results.flood!.ordinary.statuses)).toEqual(['200']);
      expect(Object.keys(results.flood!.uploads.statuses)).toEqual(['413']);
      expect(b.stdout()).toMatch(/flood \(issue 19\): 200 connections sending header bytes/);
      expect(results.targets.map((t) => t.met)).not.toContain(null);

      expect(b.stdout()).toMatch(/\| server +\| operation +\| request .*\| +req\/s \| p50 ms \| p99 ms \|/);
      expect(b.stdout()).toMatch(
        /\| operation +\| keys listed of stored \| ours req\/s \| ours\/Prism \| ours\/json-server \| ours\/bare \|/,
      );
      expect(b.stdout()).toContain('start-up (spawn → listening)');
    },
  );

  it('with --startup-only measures only our start-up rows, each start counted and the median reported', { timeout: 180_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
    dirs.push(dir);
    const json = join(dir, 'results.json');
    const b = bench([
      '--startup-only',
      '--startup-runs',
      '2',
      '--duration',
      '0.2',
      '--warmup',
      '0',
      '--large-store',
      '200',
      '--huge-store',
      '400',
      '--json',
      json,
    ]);
    expect(await b.exited, `${b.stderr()}\n${b.stdout()}`).toBe(0);
    const results = JSON.parse(readFileSync(json, 'utf8')) as BenchResults;
    expect(results.measurements.map((m) => `${m.server} ${m.operation} ${m.stored}`)).toEqual([
      'ours list 10 of 200',
      'ours list 10 of 400',
    ]);
    expect(results.footprints.map((f) => [f.keys, f.startupRunsMs.length])).toEqual([
      [200, 2],
      [400, 2],
    ]);
    for (const f of results.footprints) expect(f.startupMs).toBe(Math.min(...f.startupRunsMs));
    expect(results.crash).toBeNull();
    expect(b.stdout()).toMatch(/ms \(median of \d[\d,]*, \d[\d,]*\)/);
  });

  it('stops its servers and removes its files when interrupted with SIGINT', async () => {
    const b = bench(['--duration', '5', '--warmup', '0', '--only', 'bare', '--large-store', '20', '--huge-store', '20']);
    await expect.poll(() => /up in \d+ ms \(pid (\d+)\)/.exec(b.stderr()), { timeout: 15_000 }).not.toBeNull();
    const pid = Number(/up in \d+ ms \(pid (\d+)\)/.exec(b.stderr())![1]);
    const workDirs = workDirsOf(b.stderr());
    expect(workDirs).toHaveLength(1);
    b.run.kill('SIGINT');
    expect(await b.exited).toBe(130);
    expect(alive(pid)).toBe(false);
    expect(workDirs.filter(existsSync)).toEqual([]);
  });

  it('rejects a bad flag with a message naming it and the usage', async () => {
    const b = bench(['--connections', 'many']);
    expect(await b.exited).toBe(2);
    expect(b.stderr()).toContain('--connections must be an integer ≥ 1, got "many"');
    expect(b.stderr()).toContain('Usage: npm run bench');
  });
});
