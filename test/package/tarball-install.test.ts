import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { brokenLinks } from '../docs/markdown-links.ts';
import { userEnv } from './support/user-env.ts';
import { packAndInstall, type InstalledPackage } from './support/pack-and-install.ts';
import { spawnCli } from './support/spawn-cli.ts';
import { STARTUP_LINE } from './startup-line.ts';

// The package as a user gets it: `npm pack` (prepack builds dist/), then `npm install
// <tarball>` into an empty project outside this repository, then the three commands and
// an `import`, run from that project. Slow (a build and an install), so generous bounds.
const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const ADMIN_TOKEN = 'tarball-test-admin-token';
let pkg: InstalledPackage;

beforeAll(async () => {
  pkg = await packAndInstall();
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  console.info(
    `package: tarball ${(pkg.tarballBytes / 1024).toFixed(1)} KiB (${pkg.packedFiles.length} files); ` +
      `installed ${mib(pkg.installedBytes)} in ${pkg.packageCount} packages`,
  );
}, 600_000);
afterAll(() => pkg?.cleanUp());

/** `npx apikeys-mock --port 0 --in-memory` in the consumer project; stopped when the test ends. */
async function startInstalledMock() {
  const mock = await spawnCli(NPX, ['apikeys-mock', '--port', '0', '--in-memory', '--admin-token', ADMIN_TOKEN], {
    cwd: pkg.project,
    env: userEnv(),
  });
  onTestFinished(() => mock.stop());
  const url = STARTUP_LINE.exec(mock.firstLine)?.[1];
  if (!url) throw new Error(`the first line does not announce the URL: ${mock.firstLine}\n${mock.output()}`);
  return { ...mock, url };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
}

// Each test starts processes or a compiler: minutes when the whole suite shares two busy cores.
describe('the npm package installed from its tarball', { timeout: 180_000 }, () => {
  it('holds the compiled code, the spec, the pacts and the licence, and no tests, TypeScript sources or local data', () => {
    for (const path of [
      'dist/mock/cli.js',
      'dist/mock/index.js',
      'dist/mock/index.d.ts',
      'dist/contracts/index.js',
      'dist/contracts/index.d.ts',
      'dist/contracts/conformance/conformance.suite.js',
      'dist/contracts/pact/cli.js',
      'dist/contracts/generated/openapi.d.ts',
      'mock/bin.js',
      'contracts/conformance/bin.js',
      'contracts/pact/bin.js',
      'contracts/conformance/server-profile.schema.json',
      'openapi.yaml',
      'pacts/apikeys-sdk-apikeys-api.json',
      'contracts/CONTRACT.md',
      'contracts/conformance/README.md',
      'README.md',
      'LICENSE',
      'package.json',
    ]) {
      expect(pkg.packedFiles, path).toContain(path);
    }
    // Every entry of package.json "files" is in the tarball: a file as itself, a folder by a file under it.
    const { files } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { files: string[] };
    for (const entry of files) {
      const packed = entry.endsWith('/') ? pkg.packedFiles.some((path) => path.startsWith(entry)) : pkg.packedFiles.includes(entry);
      expect(
        packed,
        `package.json "files" lists ${entry}, but the tarball holds no ${entry.endsWith('/') ? 'file under it' : 'such file'}`,
      ).toBe(true);
    }
    const unwanted = pkg.packedFiles.filter(
      (path) =>
        /^(test|dist\/test)\//.test(path) ||
        (/\.ts$/.test(path) && !/\.d\.ts$/.test(path)) ||
        /(^|\/)(\.data|node_modules|coverage|reports)\//.test(path) ||
        /\.(tgz|log)$/.test(path),
    );
    expect(unwanted).toEqual([]);
    // A whitelist gone wrong (data, node_modules) shows up as size first.
    expect(pkg.tarballBytes).toBeLessThan(1024 * 1024);
  });

  it('holds the docs, and every relative link in them resolves inside the installed package', () => {
    const installed = join(pkg.project, 'node_modules', 'apikeys-mock');
    const packed = (path: string) => pkg.packedFiles.some((file) => file === path || file.startsWith(`${path}/`));
    const markdown = pkg.packedFiles.filter((path) => path.endsWith('.md'));
    expect(markdown).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/configuration.md', 'contracts/pact/README.md']));
    expect(brokenLinks(markdown, (file) => readFileSync(join(installed, file), 'utf8'), packed)).toEqual([]);
  });

  it('installs without a compiler or this repository’s test tools', () => {
    const modules = join(pkg.project, 'node_modules');
    for (const devOnly of [
      'tsx',
      'typescript',
      '@stoplight/prism-cli',
      '@redocly/cli',
      'json-server',
      'autocannon',
      'supertest',
      'prettier',
    ]) {
      expect(existsSync(join(modules, devOnly)), devOnly).toBe(false);
    }
    expect(existsSync(join(modules, 'apikeys-mock')), 'node_modules/apikeys-mock in the consumer project').toBe(true);
    const sources = filesUnder(join(modules, 'apikeys-mock')).filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'));
    expect(sources).toEqual([]);
  });

  it('npx apikeys-mock --port 0 --in-memory announces its URL on the first line and answers a create with 201', async () => {
    const mock = await startInstalledMock();
    const response = await fetch(`${mock.url}/v1/apikeys`, {
      method: 'POST',
      headers: { 'x-api-key': DEV_KEYS.alice, 'content-type': 'application/json' },
      body: JSON.stringify({ labels: { installed: 'from-tarball' } }),
    });
    expect(response.status).toBe(201);
    expect((await response.json()) as object).toMatchObject({ rawApiKey: expect.stringMatching(/^gm_/) });
  });

  it('npx apikeys-mock --print-spec contract writes the contract layer from the installed package', async () => {
    const result = await run(NPX, ['apikeys-mock', '--print-spec', 'contract'], { cwd: pkg.project, env: userEnv(), maxBuffer: 16 << 20 });
    expect(result.stdout).toMatch(/^openapi: 3\.1\.0\n/);
    expect(result.stdout).toContain('This file is the **contract** layer');
    expect(result.stdout).not.toContain('x-mock-choice:');
  });

  it('npx apikeys-conformance against the installed mock exits 0', async () => {
    const mock = await startInstalledMock();
    const result = await run(NPX, ['apikeys-conformance', '--base-url', mock.url, '--api-key', DEV_KEYS.alice], {
      cwd: pkg.project,
      env: userEnv(),
      maxBuffer: 16 << 20,
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`apikeys-conformance exited ${error.code}:\n${error.stdout}\n${error.stderr}`);
    });
    expect(result.stdout).toContain(mock.url);
  });

  it('npx apikeys-pact-verify verifies the shipped pacts against the installed mock', async () => {
    const mock = await startInstalledMock();
    const result = await run(
      NPX,
      ['apikeys-pact-verify', '--provider-base-url', mock.url, '--api-key', DEV_KEYS.alice, '--admin-token', ADMIN_TOKEN],
      { cwd: pkg.project, env: userEnv(), maxBuffer: 16 << 20 },
    ).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`apikeys-pact-verify exited ${error.code}:\n${error.stdout}\n${error.stderr}`);
    });
    expect(result.stdout).toContain('node_modules/apikeys-mock/pacts/');
  });

  it('an ES module imports the package, starts the mock in-process, uses the typed client and stops it', async () => {
    writeFileSync(
      join(pkg.project, 'embed.mjs'),
      `import { startMock } from 'apikeys-mock';
import { createApiKeysClient } from 'apikeys-mock/contracts';
const mock = await startMock();
const client = createApiKeysClient({ baseUrl: mock.url, apiKey: mock.devKeys.alice });
const created = await client.createApiKey({ labels: { via: 'import' } });
const count = async () => { const listed = await client.listApiKeys(); return listed.ok ? listed.data.keys.length : listed.status; };
const listed = await count();
await mock.reset();
const afterReset = await count();
await mock.close();
const afterClose = await fetch(mock.url).then(() => 'answered', () => 'refused');
const spec = import.meta.resolve('apikeys-mock/openapi.yaml');
console.log(JSON.stringify({ created: created.status, listed, afterReset, afterClose, spec }));
`,
    );
    const { stdout } = await run(process.execPath, ['embed.mjs'], { cwd: pkg.project, env: userEnv() });
    expect(JSON.parse(stdout)).toEqual({
      created: 201,
      listed: 2,
      afterReset: 1,
      afterClose: 'refused',
      spec: expect.stringMatching(/\/node_modules\/apikeys-mock\/openapi\.yaml$/),
    });
  });

  it('its type declarations resolve through the exports map and reject a wrong option', async () => {
    writeFileSync(
      join(pkg.project, 'consumer.ts'),
      `import { startMock, type RunningMock } from 'apikeys-mock';
import { createApiKeysClient, runConformance, type ConformanceReport } from 'apikeys-mock/contracts';
const mock: RunningMock = await startMock({ choices: { unknownFields: 'ignored' } });
const created = await createApiKeysClient({ baseUrl: mock.url, apiKey: mock.devKeys.alice }).createApiKey({ labels: { a: 'b' } });
if (created.ok) created.data.rawApiKey.toUpperCase();
const report: ConformanceReport = await runConformance({ baseUrl: mock.url, apiKey: mock.devKeys.alice });
// @ts-expect-error the port is a number: an untyped (any) import would make this directive unused, an error
await startMock({ port: 'eighty' });
export { report };
`,
    );
    // A user's own TypeScript set-up, played by this repository's compiler and @types
    // (the types only: @types/express stands for the optional peer dependency).
    const types = join(REPO, 'node_modules/@types');
    writeFileSync(
      join(pkg.project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          typeRoots: [types],
          types: ['node'],
          paths: { express: [join(types, 'express/index.d.ts')] },
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(REPO, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', pkg.project], { cwd: pkg.project }).then(
      () => 'no errors',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('no errors');
  });
});
