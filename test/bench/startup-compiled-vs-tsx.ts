import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { trackChild } from './child-processes.ts';

// Issue 14's row "start-up: compiled vs tsx": the mock's cold start, from spawning
// `node` to the first answered request, as the published package runs it (compiled
// JavaScript) and as a clone runs it (`mock/bin.js` loading tsx). Target: compiled ≤ 300 ms.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TARGET_MS = 300;
const LISTENING = /listening on (http:\/\/\S+)/;

interface StartupOptions {
  durationS: number;
  servers: readonly string[];
}

/**
 * Builds the package into `workDir` in the installed layout (dist/, openapi.yaml,
 * package.json, `mock/bin.js` and its launcher side by side, node_modules linked; the repository's
 * own dist/ is left alone), then times both variants alternately. Returns the report
 * section, or '' when our mock is not part of this run (`--only`).
 */
export async function startupReport(options: StartupOptions, workDir: string, log: (line: string) => void): Promise<string> {
  if (!options.servers.includes('ours')) return '';
  // The smoke test's tiny rows get one start each; a real run the median of 7 after a warm-up.
  const runs = options.durationS < 1 ? 1 : 7;
  log('start-up: building the package (as npm run build does) for the compiled variant');
  const pkg = join(workDir, 'startup-package');
  for (const file of ['openapi.yaml', 'package.json', 'mock/bin.js', 'contracts/common/run-cli.js']) {
    mkdirSync(dirname(join(pkg, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(pkg, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  await emitJavaScript(join(pkg, 'dist'));
  const cache = (await import(pathToFileURL(join(pkg, 'dist/contracts/openapi/parsed-spec-cache.js')).href)) as {
    writeParsedSpecCache(): void;
  };
  cache.writeParsedSpecCache();

  const variants = [
    { name: 'compiled (published package)', bin: join(pkg, 'mock/bin.js'), times: [] as number[], cpu: [] as number[] },
    { name: 'tsx (clone: node mock/bin.js)', bin: join(ROOT, 'mock/bin.js'), times: [] as number[], cpu: [] as number[] },
  ];
  if (runs > 1) for (const variant of variants) await timeStart(variant.bin); // disk cache, not our code
  for (let i = 0; i < runs; i++) {
    for (const variant of variants) {
      const { ms, cpuMs } = await timeStart(variant.bin);
      variant.times.push(ms);
      if (cpuMs !== null) variant.cpu.push(cpuMs);
    }
  }
  log(`start-up: ${variants.map((v) => `${v.name} ${Math.round(median(v.times))} ms`).join(', ')}`);

  const compiled = median(variants[0]!.times);
  const rows = variants.map((v) => [
    v.name,
    `${Math.round(median(v.times))} ms`,
    `${Math.round(Math.min(...v.times))} ms`,
    v.cpu.length > 0 ? `${Math.round(median(v.cpu))} ms` : '?',
    String(runs),
  ]);
  return [
    'start-up: compiled vs tsx (spawn → first answered request, in-memory store)',
    // CPU = user + system time of the mock's process (all its threads) until that answer:
    // what the start costs when other processes compete for the cores, as on a busy CI runner.
    formatTable(['variant', 'median', 'fastest', 'CPU (median)', 'runs'], rows),
    `target: compiled ≤ ${TARGET_MS} ms — ${compiled <= TARGET_MS ? 'met' : 'MISSED'} (${Math.round(compiled)} ms, ${(median(variants[1]!.times) / compiled).toFixed(1)}× faster than tsx)`,
    '',
  ].join('\n');
}

/**
 * The JavaScript `npm run build` emits, file by file with TypeScript's transpiler: the
 * same bytes as `tsc -p tsconfig.build.json` (checked when this was written) in seconds,
 * where a whole program build type-checks for tens of seconds (the smoke test runs this).
 */
async function emitJavaScript(outDir: string): Promise<void> {
  const { default: ts } = await import('typescript');
  const config = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, 'tsconfig.build.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  if (!config) throw new Error('tsconfig.build.json could not be read');
  // Each file alone: ESNext is what NodeNext emits for this "type": "module" package.
  const options = {
    ...config.options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    declaration: false,
  };
  for (const file of config.fileNames.filter((name) => !name.endsWith('.d.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { fileName: file, compilerOptions: options });
    const target = join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
}

/** Spawns the mock, waits for its URL, sends one authenticated list: ms from spawn to the response's end, and the CPU the process used. */
async function timeStart(bin: string): Promise<{ ms: number; cpuMs: number | null }> {
  const { NODE_ENV: _, ...env } = process.env;
  for (const name of Object.keys(env)) if (name.startsWith('APIKEYS_MOCK_')) delete env[name];
  const started = performance.now();
  const child = spawn(process.execPath, [bin, '--port', '0', '--in-memory', '--log-level', 'error'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child); // killed with the others if the run is interrupted
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = LISTENING.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`${bin} exited (${code}) before listening:\n${output}`)));
    });
    const response = await fetch(`${url}/v1/apikeys`, { headers: { 'x-api-key': DEV_KEYS.alice } });
    await response.arrayBuffer();
    const ms = performance.now() - started;
    if (response.status !== 200) throw new Error(`${bin}: first request answered ${response.status}`);
    return { ms, cpuMs: cpuMsOf(child.pid!) };
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

/** utime + stime from /proc (Linux; clock ticks of 10 ms), null elsewhere. */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function formatTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}
