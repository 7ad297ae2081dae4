import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { generatedClientPom, junitPom, writeJunitProject } from './junit-project.ts';

/**
 * The project's own setup of the Python and Java tools its tests drive (the GoodMem SDKs,
 * pytest, Schemathesis, JUnit): a virtual environment in `.toolchains/venv` from the pinned
 * `requirements.txt`, and a Maven local repository in `.toolchains/m2` holding JUnit 5, the
 * Maven plugins, OpenAPI Generator and the generated Java client's libraries. Both folders are git-ignored. Idempotent: a stamp of what was installed
 * makes a second run a few file reads; a changed pin, pom or interpreter rebuilds.
 * A missing `python3`, `java` or `mvn`, or an install that fails, is reported as the reason,
 * never thrown: the tests decide what it means (toolchain.ts: skip on a laptop, fail in CI).
 */

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TOOLCHAINS_DIR = join(ROOT, '.toolchains');
const REQUIREMENTS = fileURLToPath(new URL('./requirements.txt', import.meta.url));
const SPEC = join(ROOT, 'openapi.yaml');
// A cold install takes about 20 s here; an unreachable index must not hang the run.
const INSTALL_TIMEOUT_MS = 300_000;

export interface ToolchainStatus {
  ok: boolean;
  /** Why it is not usable (`ok` false): the missing command or the failed step, with its output. */
  reason?: string;
}
export interface PythonToolchain extends ToolchainStatus {
  /** The virtual environment's interpreter. */
  python: string;
  /** Its `bin` folder (pytest, st). */
  bin: string;
}
export interface JavaToolchain extends ToolchainStatus {
  /** The Maven local repository, for `mvn -Dmaven.repo.local=…`. */
  repository: string;
}
export interface Toolchains {
  python: PythonToolchain;
  java: JavaToolchain;
}

const stamp = (...parts: string[]) => createHash('sha256').update(parts.join('\0')).digest('hex');
const tail = (error: unknown) => {
  const { stderr, stdout, message } = error as { stderr?: string; stdout?: string; message?: string };
  return `${message ?? ''}\n${stderr ?? ''}${stdout ?? ''}`.trim().split('\n').slice(-15).join('\n');
};

async function versionOf(command: string, args: string[]): Promise<string | null> {
  try {
    const { stdout, stderr } = await run(command, args, { encoding: 'utf8', timeout: 30_000 });
    return `${stdout}${stderr}`.trim();
  } catch {
    return null;
  }
}

export async function setupPython(): Promise<PythonToolchain> {
  const venv = join(TOOLCHAINS_DIR, 'venv');
  const bin = join(venv, 'bin');
  const result = { python: join(bin, 'python'), bin };
  const version = await versionOf('python3', ['--version']);
  if (!version) return { ...result, ok: false, reason: 'no python: `python3` is not on the PATH' };
  const want = stamp(version, readFileSync(REQUIREMENTS, 'utf8'));
  const stampFile = join(venv, '.apikeys-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return { ...result, ok: true };
  try {
    rmSync(venv, { recursive: true, force: true });
    await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
    await run(result.python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '-r', REQUIREMENTS], {
      timeout: INSTALL_TIMEOUT_MS,
    });
  } catch (error) {
    return { ...result, ok: false, reason: `no python: the virtual environment could not be built (${version}):\n${tail(error)}` };
  }
  writeFileSync(stampFile, want);
  return { ...result, ok: true };
}

export async function setupJava(): Promise<JavaToolchain> {
  const repository = join(TOOLCHAINS_DIR, 'm2');
  const java = await versionOf('java', ['-version']);
  if (!java) return { repository, ok: false, reason: 'no java: `java` is not on the PATH' };
  const maven = await versionOf('mvn', ['-v']);
  if (!maven) return { repository, ok: false, reason: 'no java: `mvn` (Maven) is not on the PATH' };
  const want = stamp(java, maven, junitPom, generatedClientPom);
  const stampFile = join(repository, '.apikeys-stamp');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === want) return { repository, ok: true };
  // One real run fills the repository with everything a test run needs (the generator and
  // the client's libraries, compiler, surefire and its JUnit Platform provider), so the
  // tests can run Maven offline. The generated-client pom holds the JUnit-only pom's plugins.
  const project = join(TOOLCHAINS_DIR, 'junit-warm-up');
  rmSync(project, { recursive: true, force: true });
  writeJunitProject(
    project,
    [['WarmUpTest.java', 'class WarmUpTest { @org.junit.jupiter.api.Test void runs() { new ai.pairsys.goodmem.client.ApiClient(); } }\n']],
    generatedClientPom,
  );
  try {
    mkdirSync(repository, { recursive: true });
    await run('mvn', ['-B', '-q', `-Dmaven.repo.local=${repository}`, `-Dapikeys.spec=${SPEC}`, 'test'], {
      cwd: project,
      timeout: INSTALL_TIMEOUT_MS,
    });
  } catch (error) {
    return {
      repository,
      ok: false,
      reason: `no java: JUnit 5 and OpenAPI Generator could not be fetched from Maven Central into ${repository}:\n${tail(error)}`,
    };
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  writeFileSync(stampFile, want);
  return { repository, ok: true };
}

/** Sets up both, side by side. */
export async function setupToolchains(): Promise<Toolchains> {
  mkdirSync(TOOLCHAINS_DIR, { recursive: true });
  const [python, java] = await Promise.all([setupPython(), setupJava()]);
  return { python, java };
}
