import { describe, expect, it } from 'vitest';
import { StorageWriteError, WriteQueue } from '../../mock/store/write-queue.ts';

/** Journal appends whose completion the test controls. */
function controlledAppends() {
  const pending: { text: string; resolve(): void; reject(e: Error): void }[] = [];
  const append = (text: string) => new Promise<void>((resolve, reject) => pending.push({ text, resolve, reject }));
  return { append, pending };
}

/** One turn of the event loop: the queue starts a batch at the end of the turn its first line arrived in. */
const tick = () => new Promise((r) => setImmediate(r));

describe('WriteQueue (group commit)', () => {
  it('sends the lines of one turn as one append, and the lines that arrive during it as one next append', async () => {
    const io = controlledAppends();
    const queue = new WriteQueue(io.append);
    const first = [queue.commit('a\n'), queue.commit('b\n')];
    await tick();
    expect(io.pending.map((p) => p.text)).toEqual(['a\nb\n']);
    const others = [queue.commit('c\n'), queue.commit('d\n'), queue.commit('e\n')];
    await tick();
    expect(io.pending).toHaveLength(1);
    io.pending.shift()!.resolve();
    await Promise.all(first);
    await tick();
    expect(io.pending.map((p) => p.text)).toEqual(['c\nd\ne\n']);
    io.pending.shift()!.resolve();
    await Promise.all(others);
  });

  it('resolves a change only once the append carrying its line is done', async () => {
    const io = controlledAppends();
    const queue = new WriteQueue(io.append);
    void queue.commit('a\n');
    await tick();
    let late = false;
    const second = queue.commit('b\n').then(() => (late = true));
    io.pending.shift()!.resolve();
    await tick();
    expect(late).toBe(false);
    io.pending.shift()!.resolve();
    await second;
    expect(late).toBe(true);
  });

  it('undoes every change not yet on disk, newest first, and rejects all their callers with StorageWriteError when an append fails', async () => {
    const io = controlledAppends();
    const queue = new WriteQueue(io.append);
    const undone: string[] = [];
    const a = queue.commit('a\n', () => undone.push('a'));
    await tick();
    const b = queue.commit('b\n', () => undone.push('b'));
    const c = queue.commit('c\n', () => undone.push('c'));
    io.pending.shift()!.reject(new Error('disk full'));
    for (const p of [a, b, c]) await expect(p).rejects.toThrow(StorageWriteError);
    await expect(c).rejects.toThrow('disk full');
    expect(undone).toEqual(['c', 'b', 'a']);
    expect(queue.failures).toBe(1);
  });

  it('never undoes a change that is already on disk', async () => {
    const io = controlledAppends();
    const queue = new WriteQueue(io.append);
    const undone: string[] = [];
    const a = queue.commit('a\n', () => undone.push('a'));
    await tick();
    io.pending.shift()!.resolve();
    await a;
    const b = queue.commit('b\n', () => undone.push('b'));
    await tick();
    io.pending.shift()!.reject(new Error('io'));
    await expect(b).rejects.toThrow('io');
    expect(undone).toEqual(['b']);
  });

  it('pause() sends what was queued before it and holds later lines until resume()', async () => {
    const io = controlledAppends();
    const queue = new WriteQueue(io.append);
    const before = queue.commit('before\n');
    const paused = queue.pause();
    await tick();
    expect(io.pending.map((p) => p.text)).toEqual(['before\n']);
    const after = queue.commit('after\n');
    io.pending.shift()!.resolve();
    await paused;
    await before;
    await tick();
    expect(io.pending, 'held while paused').toEqual([]);
    queue.resume();
    expect(io.pending.map((p) => p.text)).toEqual(['after\n']);
    io.pending.shift()!.resolve();
    await after;
  });

  it('drain() waits out a pause: lines held back still count as not yet on disk', async () => {
    const io = controlledAppends();
    const queue = new WriteQueue(io.append);
    await queue.pause();
    void queue.commit('held\n');
    let drained = false;
    const drain = queue.drain().then(() => (drained = true));
    await tick();
    expect(drained).toBe(false);
    queue.resume();
    await tick();
    expect(drained).toBe(false);
    io.pending.shift()!.resolve();
    await drain;
    expect(drained).toBe(true);
  });
});
