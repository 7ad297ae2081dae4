import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['test/**/*.test.ts'],
    // The Python venv and the Maven repository the SDK, fixture and Schemathesis tests drive (test/toolchains/).
    globalSetup: ['test/toolchains/global-setup.ts'],
    // Child processes (the mock's CLI, Prism, the Pact core) start in seconds, not ms.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    env: { PACT_DO_NOT_TRACK: 'true', REDOCLY_TELEMETRY: 'off' },
  },
});
