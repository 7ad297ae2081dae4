#!/usr/bin/env node
// The `apikeys-mock` command. In a clone of the repository it runs the TypeScript
// sources through tsx (a dev dependency), so no build is needed and nothing is stale;
// the published package holds no .ts sources, so there it runs the compiled
// JavaScript in dist/ and never loads a compiler.
import { existsSync } from 'node:fs';

if (existsSync(new URL('./cli.ts', import.meta.url))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./cli.ts');
} else {
  await import('../dist/mock/cli.js');
}
