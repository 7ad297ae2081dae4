import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root: `npm run` scripts run from here, so `openapi.yaml` resolves the same way. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The package.json scripts that start Prism, by the mode they start it in. */
export const PRISM_SCRIPTS = { mock: 'mock:prism', proxy: 'proxy' } as const;

/**
 * The arguments of a package.json script that runs `prism`, exactly as a user
 * gets them from `npm run <name>`, except that `--port` becomes 0 (a free
 * port, so tests run in parallel). Tests start Prism through this so that
 * they exercise the scripts as written, not a copy of their flags.
 *
 * @example
 * prismScriptArgs('proxy'); // ['proxy', 'openapi.yaml', '--errors', '--host', '127.0.0.1', '--port', '0']
 */
export function prismScriptArgs(name: (typeof PRISM_SCRIPTS)[keyof typeof PRISM_SCRIPTS]): string[] {
  const pkg = JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')) as { scripts?: Record<string, string> };
  const script = pkg.scripts?.[name];
  if (!script) throw new Error(`package.json has no script "${name}"; expected one of: ${Object.values(PRISM_SCRIPTS).join(', ')}`);
  // The scripts are plain words: no quotes, pipes or variables to interpret.
  const [command, ...args] = script.trim().split(/\s+/);
  if (command !== 'prism' || /["'`$|&;<>]/.test(script)) {
    throw new Error(`package.json script "${name}" must be a plain \`prism …\` command, got: ${script}`);
  }
  const port = args.findIndex((a) => a === '--port' || a === '-p');
  if (port >= 0) args.splice(port, 2);
  return [...args.filter((a) => !a.startsWith('--port=')), '--port', '0'];
}
