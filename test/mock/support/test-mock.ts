import { createMock, type MockOptions } from '../../../mock/create-mock.ts';
import { DEV_KEYS } from '../../../mock/seed/default-seed.ts';

/** A fresh in-memory mock per test (no shared state between tests). */
export async function testMock(options: MockOptions = {}) {
  const mock = await createMock({ inMemory: true, logLevel: 'silent', ...options });
  return {
    ...mock,
    /** Everything a client could observe about the stored keys, minus lastUsedAt (authentication itself moves it). */
    snapshot(): string {
      return JSON.stringify({ users: mock.store.userCount, keys: mock.store.allKeys().map(({ lastUsedAt: _, ...key }) => key) });
    },
  };
}

export const KEYS = DEV_KEYS;
export const USERS = {
  admin: '00000000-0000-4000-8000-000000000001',
  alice: '00000000-0000-4000-8000-000000000002',
  bob: '00000000-0000-4000-8000-000000000003',
  nobody: '00000000-0000-4000-8000-000000000004',
} as const;
