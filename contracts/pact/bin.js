#!/usr/bin/env node
// The `apikeys-pact-verify` command. In a clone of the repository it runs the TypeScript
// sources through tsx (a dev dependency), so no build is needed and nothing is stale;
// the published package holds no .ts sources, so there it runs the compiled
// JavaScript in dist/ and never loads a compiler.
import { existsSync } from 'node:fs';
import module from 'node:module';

if (existsSync(new URL('./cli.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
} else {
  // Node 22.1+ keeps V8's compiled code between runs (CI jobs start these often); older Node has no cache.
  module.enableCompileCache?.();
  await import('../../dist/contracts/pact/cli.js');
}
