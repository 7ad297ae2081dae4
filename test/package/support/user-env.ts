/**
 * The environment of a child process (npm, npx, the mock) as in a user's own shell.
 * Under `npm test`, npm has exported its run-time settings (`npm_config_local_prefix`
 * is this repository: a nested `npm install` would install into it) and vitest sets
 * NODE_ENV=test; both go, as do a developer's APIKEYS_* settings. The npm cache or
 * registry settings stay.
 */
export function userEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|init_cwd$|node_env$|apikeys_)/i.test(name)) continue;
    env[name] = value;
  }
  return { ...env, PACT_DO_NOT_TRACK: 'true', ...extra };
}
