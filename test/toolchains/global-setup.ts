import type { TestProject } from 'vitest/node';
import { setupToolchains, type Toolchains } from './setup-toolchains.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    toolchains: Toolchains;
  }
}

/** Vitest's globalSetup: builds (or finds) the Python and Java toolchains once per run and hands their status to the tests. */
export default async function setup(project: TestProject): Promise<void> {
  const toolchains = await setupToolchains();
  for (const [name, status] of Object.entries(toolchains)) if (!status.ok) console.warn(`toolchain ${name}: ${status.reason}`);
  project.provide('toolchains', toolchains);
}
