#!/usr/bin/env node
// The `apikeys-mock` command (contracts/common/run-cli.js says how it starts).
import { runCli } from '../contracts/common/run-cli.js';

await runCli(new URL('./cli.ts', import.meta.url), new URL('../dist/mock/cli.js', import.meta.url));
