import { fileURLToPath } from 'node:url';

/** Absolute path of the project's `openapi.yaml`, the single source of truth. */
export const specPath = fileURLToPath(new URL('../../openapi.yaml', import.meta.url));
