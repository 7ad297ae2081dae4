import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Where a frame's code lives: our own files by path, packages by name, node internals, V8's pseudo-frames. */
function areaOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg) return pkg[1]!;
  return relative(ROOT, path);
}

function label(frame: ProfileNode['callFrame']): string {
  // Code run through tsx reports line 0 for every function: no line is better than a wrong one.
  return `${frame.functionName || '(anonymous)'}  ${areaOf(frame.url, frame.functionName)}${frame.url && frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ''}`;
}

/**
 * The busiest thread's profile in a --cpu-prof folder (the server's main
 * thread, not tsx's module-hooks thread), or the file itself.
 */
export function mainThreadProfile(path: string): string {
  if (!statSync(path).isDirectory()) return path;
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(path, f));
  if (files.length === 0) throw new Error(`${path}: no .cpuprofile files (did the process exit cleanly?)`);
  return files
    .map((file) => ({ file, busy: busyUs(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile) }))
    .sort((a, b) => b.busy - a.busy)[0]!.file;
}

function busyUs(profile: CpuProfile): number {
  const idle = new Set(profile.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  return profile.samples.reduce((sum, id, i) => (idle.has(id) ? sum : sum + (profile.timeDeltas[i] ?? 0)), 0);
}

/**
 * A text summary of a V8 .cpuprofile (`node --cpu-prof`): self time by area
 * (our files, each package, node internals, GC), the top functions by self
 * time, and our own functions by inclusive time (each sample counted once per
 * function on its stack, so recursion does not inflate it). Idle time is left
 * out of the percentages: they are shares of the time the process was busy.
 *
 * @example
 * console.log(summarizeCpuProfile('profiles/ours-list'));
 */
export function summarizeCpuProfile(fileOrFolder: string, top = 15): string {
  const path = mainThreadProfile(fileOrFolder);
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const areas = new Map<string, number>();
  let busy = 0;
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') return;
    busy += us;
    add(self, label(node.callFrame), us);
    add(areas, areaOf(node.callFrame.url, node.callFrame.functionName), us);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)!.callFrame;
      const key = label(frame);
      if (!seen.has(key) && /^(mock|contracts)\//.test(areaOf(frame.url, frame.functionName))) {
        seen.add(key);
        add(inclusive, key, us);
      }
    }
  });
  const share = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)}%`;
  const list = (map: Map<string, number>, n: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([key, us]) => `  ${share(us)}  ${key}`);
  return [
    `${relative(process.cwd(), path)}: ${(busy / 1e6).toFixed(1)} s busy`,
    'self time by area:',
    ...list(areas, 12),
    'top functions by self time:',
    ...list(self, top),
    'our functions by inclusive time (mock/, contracts/):',
    ...list(inclusive, top),
  ].join('\n');
}

// `tsx test/bench/summarize-cpu-profile.ts FILE.cpuprofile|FOLDER...`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) console.log(`${summarizeCpuProfile(file)}\n`);
}
