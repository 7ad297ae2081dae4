// How the three bin.js files start their CLI. In a clone of the repository the
// TypeScript sources sit beside the bin and run through tsx (a dev dependency),
// so no build is needed and nothing is stale; the published package holds no .ts
// sources, so there the compiled JavaScript in dist/ runs and no compiler loads.
import { existsSync } from 'node:fs';
import module from 'node:module';

/**
 * @param {URL} source the CLI's TypeScript entry (present in a clone)
 * @param {URL} compiled the same entry compiled into dist/ (present in the package)
 */
export async function runCli(source, compiled) {
  if (existsSync(source)) {
    const { register } = await import('tsx/esm/api');
    register();
    await import(source.href);
  } else {
    // Node 22.1+ keeps V8's compiled code between runs (CI jobs start these often); older Node has no cache.
    module.enableCompileCache?.();
    await import(compiled.href);
  }
}
