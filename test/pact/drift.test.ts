import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_PACT_DIR } from '../../contracts/pact/pact-names.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { EXAMPLE_API_KEY } from './consumer/api-key-matchers.ts';
import { recordPacts } from './consumer/record-pacts.ts';

const REGENERATE = 'regenerate them with `npx tsx test/pact/write-pacts.ts` and commit pacts/';
const committedFiles = () =>
  readdirSync(DEFAULT_PACT_DIR)
    .filter((name) => name.endsWith('.json'))
    .sort();

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('the committed pacts', () => {
  it('are exactly what the consumer tests record', async () => {
    dir = mkdtempSync(join(tmpdir(), 'apikeys-drift-'));
    await recordPacts(dir);
    const recorded = readdirSync(dir).sort();
    expect(committedFiles(), `pacts/ holds other files than the consumer tests record; ${REGENERATE}`).toEqual(recorded);
    for (const name of recorded) {
      const fresh = readFileSync(join(dir, name), 'utf8');
      const committed = readFileSync(join(DEFAULT_PACT_DIR, name), 'utf8');
      expect(committed, `pacts/${name} differs from what the consumer tests record; ${REGENERATE}`).toBe(fresh);
    }
  });

  it('hold no real keys and nothing of one environment (hosts, ports)', () => {
    const files = committedFiles();
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const text = readFileSync(join(DEFAULT_PACT_DIR, name), 'utf8');
      for (const key of Object.values(DEV_KEYS)) expect(text).not.toContain(key);
      expect(text).not.toMatch(/localhost|127\.0\.0\.1|\[::1\]|https?:\/\/|:\d{2,5}\//);
      const pact = JSON.parse(text) as { interactions: { request: { headers?: Record<string, string[]> } }[] };
      const sentKeys = new Set(pact.interactions.flatMap((i) => i.request.headers?.['x-api-key'] ?? []));
      expect([...sentKeys]).toEqual([EXAMPLE_API_KEY]);
    }
  });
});
