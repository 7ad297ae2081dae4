import { inject, type TestContext } from 'vitest';
import type { JavaToolchain, PythonToolchain } from './setup-toolchains.ts';
import './global-setup.ts';

/**
 * The Python or Java toolchain for a test that needs it. Missing on a developer's machine:
 * the test is skipped with the reason ("skipped: no python: …"). Missing with `CI=true`:
 * the test fails with the reason, so CI can never go green by skipping these tests.
 */
export function toolchain(name: 'python', context: TestContext): PythonToolchain;
export function toolchain(name: 'java', context: TestContext): JavaToolchain;
export function toolchain(name: 'python' | 'java', context: TestContext): PythonToolchain | JavaToolchain {
  const status = inject('toolchains')[name];
  if (status.ok) return status;
  if (process.env.CI === 'true') throw new Error(`CI=true and the ${name} toolchain is missing: ${status.reason}`);
  context.skip(`skipped: ${status.reason}`);
}
