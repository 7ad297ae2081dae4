#!/usr/bin/env node
// The `apikeys-conformance` command (contracts/common/run-cli.js says how it starts).
import { runCli } from '../common/run-cli.js';

await runCli(new URL('./cli.ts', import.meta.url), new URL('../../dist/contracts/conformance/cli.js', import.meta.url));
