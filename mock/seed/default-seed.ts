import type { Seed } from './seed.ts';

/**
 * Well-known development keys, documented in docs/configuration.md, so an SDK can be
 * pointed at the mock with zero set-up. Never use them anywhere real.
 */
export const DEV_KEYS = {
  admin: 'gm_mfsg22lofvsgk5rnnnsxsljqge',
  alice: 'gm_mfwgsy3ffvsgk5rnnnsxsljqge',
  bob: 'gm_mjxwellemv3c223fpewtambqge',
  nobody: 'gm_nzxwe33epewwizlwfvvwk6jqge',
} as const;

export const DEFAULT_SEED: Seed = {
  users: [
    { userId: '00000000-0000-4000-8000-000000000001', name: 'admin', role: 'ADMIN', apiKey: DEV_KEYS.admin },
    { userId: '00000000-0000-4000-8000-000000000002', name: 'alice', role: 'USER', apiKey: DEV_KEYS.alice },
    { userId: '00000000-0000-4000-8000-000000000003', name: 'bob', role: 'USER', apiKey: DEV_KEYS.bob },
    { userId: '00000000-0000-4000-8000-000000000004', name: 'nobody', role: 'USER', permissions: [], apiKey: DEV_KEYS.nobody },
  ],
};
