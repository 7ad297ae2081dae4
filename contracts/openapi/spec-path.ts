import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's root directory, found from this file so that every CLI works from any
 * directory: two levels up in the source tree (`contracts/openapi/`), three when compiled
 * (`dist/contracts/openapi/`). The root is the first of those holding `openapi.yaml`.
 */
export const packageRoot = findPackageRoot(dirname(fileURLToPath(import.meta.url)));

/** Absolute path of the project's `openapi.yaml`, the single source of truth. */
export const specPath = join(packageRoot, 'openapi.yaml');

function findPackageRoot(here: string): string {
  const candidates = [join(here, '../..'), join(here, '../../..')];
  const root = candidates.find((dir) => existsSync(join(dir, 'openapi.yaml')));
  if (!root) throw new Error(`openapi.yaml not found in ${candidates.join(' or ')}: the package is incomplete`);
  return root;
}
