import { describe, expect, it } from 'vitest';
import { WriteQueue } from '../../mock/store/write-queue.ts';

/** A document write whose completion the test controls. */
function controlledWrites() {
  const pending: { resolve(): void; reject(e: Error): void }[] = [];
  let writes = 0;
  const write = () => {
    writes += 1;
    return new Promise<void>((resolve, reject) => pending.push({ resolve, reject }));
  };
  return { write, pending, count: () => writes };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('WriteQueue', () => {
  it('coalesces changes made during a write into one next write', async () => {
    const io = controlledWrites();
    const queue = new WriteQueue(io.write);
    const first = queue.commit(() => undefined);
    const others = [queue.commit(() => undefined), queue.commit(() => undefined), queue.commit(() => undefined)];
    expect(io.count()).toBe(1);
    io.pending.shift()!.resolve();
    await first;
    await tick();
    expect(io.count()).toBe(2);
    io.pending.shift()!.resolve();
    await Promise.all(others);
    expect(io.count()).toBe(2);
  });

  it('resolves a change only after a write that started after it', async () => {
    const io = controlledWrites();
    const queue = new WriteQueue(io.write);
    void queue.commit(() => undefined);
    let late = false;
    const second = queue.commit(() => undefined).then(() => (late = true));
    io.pending.shift()!.resolve();
    await tick();
    expect(late).toBe(false);
    io.pending.shift()!.resolve();
    await second;
    expect(late).toBe(true);
  });

  it('undoes every change not yet on disk, newest first, and rejects all their callers when a write fails', async () => {
    const io = controlledWrites();
    const queue = new WriteQueue(io.write);
    const undone: string[] = [];
    const a = queue.commit(() => undone.push('a'));
    const b = queue.commit(() => undone.push('b'));
    const c = queue.commit(() => undone.push('c'));
    io.pending.shift()!.reject(new Error('disk full'));
    await expect(a).rejects.toThrow('disk full');
    await expect(b).rejects.toThrow('disk full');
    await expect(c).rejects.toThrow('disk full');
    expect(undone).toEqual(['c', 'b', 'a']);
  });

  it('never undoes a change that is already on disk', async () => {
    const io = controlledWrites();
    const queue = new WriteQueue(io.write);
    const undone: string[] = [];
    const a = queue.commit(() => undone.push('a'));
    io.pending.shift()!.resolve();
    await a;
    const b = queue.commit(() => undone.push('b'));
    io.pending.shift()!.reject(new Error('io'));
    await expect(b).rejects.toThrow('io');
    expect(undone).toEqual(['b']);
  });
});
