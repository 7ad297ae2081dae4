import { spawn, type ChildProcess } from 'node:child_process';
import { PRISM_SCRIPTS, PROJECT_ROOT, prismScriptArgs } from './prism-script-args.ts';

const PRISM_BIN = `${PROJECT_ROOT}node_modules/.bin/prism`;
const LISTENING = /Prism is listening on (http:\/\/\S+)/;

export interface StartPrismOptions {
  /** `mock` runs `npm run mock:prism`'s flags, `proxy` runs `npm run proxy -- <upstream>`'s. */
  mode: 'mock' | 'proxy';
  /** The server a proxy forwards to; required for `proxy`. */
  upstream?: string;
  /**
   * Proxy only; default: as the script says (`--errors`). `true` answers
   * violations with Prism's own errors; `false` drops `--errors`: everything
   * is forwarded and the violations only travel in the `sl-violations` header.
   */
  errors?: boolean;
  /** Another OpenAPI file instead of the script's `openapi.yaml`. */
  spec?: string;
  /** Appended to the script's flags. */
  extraArgs?: string[];
  /** Upper bound for start-up. Default 20 s (Prism needs 1–3 s on a busy 2-core machine). */
  readyTimeoutMs?: number;
}

export interface RunningPrism {
  /** e.g. `http://127.0.0.1:41234`, no trailing slash. */
  url: string;
  /** The arguments Prism was started with (after the `prism` command). */
  args: string[];
  /** Everything Prism printed so far, stdout and stderr interleaved. */
  output(): string;
  /** What Prism printed to stderr only. */
  errorOutput(): string;
  /** The lines printed before Prism said it was listening. */
  startupOutput: string;
  /** Stops Prism (SIGTERM, then SIGKILL after a bound); safe to call twice. */
  close(): Promise<void>;
}

// Children still running when the test process exits are killed with it, so a
// crashed or timed-out test never leaves a Prism listening.
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/**
 * Spawns `node_modules/.bin/prism` on a free 127.0.0.1 port with the flags of
 * the package.json script for `mode`, and resolves once it answers HTTP.
 * Rejects (and kills the process) if it exits or is not ready in time.
 *
 * @example
 * const prism = await startPrism({ mode: 'proxy', upstream: mock.url });
 * try { await fetch(`${prism.url}/v1/apikeys`, …); } finally { await prism.close(); }
 */
export async function startPrism(options: StartPrismOptions): Promise<RunningPrism> {
  const args = argsFor(options);
  const child = spawn(process.execPath, [PRISM_BIN, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    err += chunk;
  });
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      live.delete(child);
      resolve();
    };
    child.once('exit', done);
    // A process that could not be spawned emits 'error' and never 'exit'.
    child.once('error', (error) => {
      err += `${String(error)}\n`;
      done();
    });
  });
  const close = () => stop(child, exited);
  try {
    const deadline = Date.now() + (options.readyTimeoutMs ?? 20_000);
    const url = await pollUntil(
      deadline,
      () => {
        if (!live.has(child)) {
          throw new Error(`prism ${args.join(' ')} exited (${child.exitCode ?? child.signalCode}) before listening:\n${out}`);
        }
        return LISTENING.exec(out)?.[1];
      },
      () => `prism ${args.join(' ')} (pid ${child.pid}) printed no "Prism is listening on" line in time; stopped it. Output:\n${out}`,
    );
    const startupOutput = out.slice(0, out.search(LISTENING));
    // The line is printed after listen() returns; one request proves the port answers.
    await pollUntil(
      deadline,
      () =>
        fetch(`${url}/`).then(
          async (res) => (await res.arrayBuffer(), true),
          () => undefined,
        ),
      () => `prism ${args.join(' ')} said it listens on ${url} but does not answer`,
    );
    return { url, args, output: () => out, errorOutput: () => err, startupOutput, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function argsFor(options: StartPrismOptions): string[] {
  if (options.mode !== 'mock' && options.mode !== 'proxy') {
    throw new TypeError(`startPrism: options.mode must be 'mock' or 'proxy', got ${JSON.stringify(options.mode)}`);
  }
  const args = prismScriptArgs(PRISM_SCRIPTS[options.mode]);
  const spec = args.indexOf('openapi.yaml');
  if (spec < 0) throw new Error(`package.json script ${PRISM_SCRIPTS[options.mode]} does not serve openapi.yaml: prism ${args.join(' ')}`);
  if (options.spec) args[spec] = options.spec;
  if (options.mode === 'proxy') {
    if (!options.upstream) throw new TypeError("startPrism: options.upstream (the server to forward to) is required with mode 'proxy'");
    const flags = options.errors === undefined ? args : [...args.filter((a) => a !== '--errors'), ...(options.errors ? ['--errors'] : [])];
    // `npm run proxy -- <url>` appends the upstream after the script's flags.
    return [...flags, options.upstream, ...(options.extraArgs ?? [])];
  } else if (options.upstream || options.errors !== undefined) {
    throw new TypeError("startPrism: options.upstream and options.errors only apply to mode 'proxy'");
  }
  return [...args, ...(options.extraArgs ?? [])];
}

/** Calls `probe` every 25 ms until it yields a value or the deadline passes. */
async function pollUntil<T>(
  deadline: number,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMessage: () => string,
): Promise<T> {
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(timeoutMessage());
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (!live.has(child)) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The pair every proxy test needs in front of one upstream: `npm run proxy`
 * (`--errors`) and an observing proxy without `--errors`, through which requests
 * Prism refuses are replayed so the upstream's own answer is still validated.
 * allSettled: when one fails to start, the other is still closed.
 */
export async function startProxyPair(upstream: string): Promise<{ proxy: RunningPrism; observer: RunningPrism; close(): Promise<void> }> {
  const started = await Promise.allSettled([
    startPrism({ mode: 'proxy', upstream }),
    startPrism({ mode: 'proxy', upstream, errors: false }),
  ]);
  const running = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const close = async () => {
    await Promise.all(running.map((p) => p.close()));
  };
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { proxy: running[0]!, observer: running[1]!, close };
}
