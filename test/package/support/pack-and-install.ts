import { execFile } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { userEnv } from './user-env.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

export interface InstalledPackage {
  /** The consumer project the tarball was installed into (its own package.json, nothing else). */
  project: string;
  tarball: string;
  /** Every path in the tarball, as `npm pack` lists it. */
  packedFiles: string[];
  tarballBytes: number;
  /** Bytes of files under the consumer's node_modules. */
  installedBytes: number;
  /** Packages npm installed, the package itself included. */
  packageCount: number;
  cleanUp(): void;
}

/**
 * Packs this repository as `npm publish` would (`prepack` builds dist/) and installs the
 * tarball into an empty project in the system's temp directory, from where Node cannot
 * reach this repository's node_modules. `--prefer-offline` takes what npm's cache holds.
 */
export async function packAndInstall(): Promise<InstalledPackage> {
  const work = mkdtempSync(join(tmpdir(), 'apikeys-package-'));
  try {
    const packed = await run(NPM, ['pack', '--json', '--pack-destination', work], { cwd: REPO, env: userEnv(), maxBuffer: 16 << 20 });
    const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
    if (!info) throw new Error(`npm pack printed no package:\n${packed.stdout}\n${packed.stderr}`);
    const tarball = join(work, info.filename);
    const project = join(work, 'consumer');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }));
    await run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: project,
      env: userEnv(),
      maxBuffer: 16 << 20,
    });
    const lock = JSON.parse(readFileSync(join(project, 'node_modules/.package-lock.json'), 'utf8')) as { packages: object };
    return {
      project,
      tarball,
      packedFiles: info.files.map((f) => f.path),
      tarballBytes: statSync(tarball).size,
      installedBytes: sizeOf(join(project, 'node_modules')),
      packageCount: Object.keys(lock.packages).filter((path) => path.startsWith('node_modules/')).length,
      cleanUp: () => rmSync(work, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

function sizeOf(path: string): number {
  const stat = lstatSync(path);
  if (!stat.isDirectory()) return stat.isFile() ? stat.size : 0;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}
