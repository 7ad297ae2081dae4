import { timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ADMIN_TOKEN, fileMock } from '../support/running-mock.ts';

// A timing measurement on a shared 2-core machine cannot prove constant time
// without flaking, so this is a white-box check: every token comparison goes
// through Node's constant-time primitive, on inputs of one fixed length
// whatever the caller sent (no early exit on a length mismatch).
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

afterEach(() => {
  vi.mocked(timingSafeEqual).mockClear();
});

describe('the control-plane token comparison', () => {
  it('runs through crypto.timingSafeEqual once per request, on equal-length inputs, whatever token is sent', async () => {
    const mock = await fileMock();
    const tokens: (string | undefined)[] = [undefined, '', 'x', ADMIN_TOKEN.slice(0, -1), `${ADMIN_TOKEN}x`, 'y'.repeat(4096), ADMIN_TOKEN];
    const lengths = new Set<number>();
    for (const token of tokens) {
      vi.mocked(timingSafeEqual).mockClear();
      const reply = await mock.send({ path: '/_mock/health', headers: token === undefined ? {} : { 'x-admin-token': token } });
      expect(reply.status).toBe(token === ADMIN_TOKEN ? 200 : 401);
      const calls = vi.mocked(timingSafeEqual).mock.calls;
      expect(calls, `token ${JSON.stringify(token?.slice(0, 20))}`).toHaveLength(1);
      const [a, b] = calls[0]! as [NodeJS.ArrayBufferView, NodeJS.ArrayBufferView];
      expect(a.byteLength).toBe(b.byteLength);
      lengths.add(a.byteLength);
    }
    expect(lengths.size, 'the compared length does not depend on the token sent').toBe(1);
  });
});
