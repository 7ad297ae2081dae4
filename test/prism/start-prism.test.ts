import { describe, expect, it } from 'vitest';
import { prismScriptArgs } from './support/prism-script-args.ts';
import { startPrism } from './support/start-prism.ts';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('startPrism, the helper every Prism test starts Prism with', () => {
  it("runs the package.json scripts' own flags, with only the port changed to a free one", () => {
    for (const name of ['mock:prism', 'proxy'] as const) {
      const args = prismScriptArgs(name);
      expect(args.slice(-2)).toEqual(['--port', '0']);
      expect(args.filter((a) => a === '--port')).toHaveLength(1);
    }
  });

  it("rejects with Prism's own output when Prism cannot start", async () => {
    await expect(startPrism({ mode: 'mock', spec: 'no-such-openapi.yaml' })).rejects.toThrow(
      /exited \(\d+\) before listening:[\s\S]*no-such-openapi\.yaml/,
    );
  });

  it('stops Prism when it is not ready within the bound, leaving no process behind', async () => {
    const error = await startPrism({ mode: 'mock', readyTimeoutMs: 1 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/in time; stopped it/);
    const pid = Number(/\(pid (\d+)\)/.exec(error!.message)?.[1]);
    expect(isRunning(pid)).toBe(false);
  });
});
