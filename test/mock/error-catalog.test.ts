import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { ApiError, errors } from '../../mock/service/api-error.ts';
import { docSection } from '../docs/doc-section.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BEHAVIOUR = 'docs/mock-behaviour.md';
// The control plane forces whatever status the tester asks for: not the mock's own choice of status.
const TESTER_CHOSEN = new Set(['injectedFault']);

/** Every status the catalog can answer with (each factory called with placeholder arguments). */
function catalogStatuses(): Map<number, string[]> {
  const statuses = new Map<number, string[]>();
  for (const [name, factory] of Object.entries(errors)) {
    if (TESTER_CHOSEN.has(name)) continue;
    const error = (factory as (...args: unknown[]) => unknown)('x', ['GET'], 1);
    expect(error, name).toBeInstanceOf(ApiError);
    const { status } = error as ApiError;
    statuses.set(status, [...(statuses.get(status) ?? []), name]);
  }
  return statuses;
}

/** The statuses docs/mock-behaviour.md "Guarantees for every request" lists as transport answers outside openapi.yaml. */
function documentedTransportStatuses(): number[] {
  const section = docSection(BEHAVIOUR, 'Guarantees for every request');
  const start = section.indexOf('\n- **Statuses outside openapi.yaml**');
  expect(start, `${BEHAVIOUR} "Guarantees for every request" has a "Statuses outside openapi.yaml" entry`).toBeGreaterThanOrEqual(0);
  // The entry runs to the next list item or paragraph.
  const entry = /^\n[^]*?(?=\n- |\n\n|$)/.exec(section.slice(start))![0];
  return [...entry.matchAll(/`(\d{3})`/g)].map((m) => Number(m[1]));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the error catalog (mock/service/api-error.ts)', () => {
  it('answers only statuses openapi.yaml documents for /v1, or transport statuses docs/mock-behaviour.md lists', () => {
    const documented = new Set(loadSpec().operations.flatMap((op) => op.statuses));
    const transport = new Set(documentedTransportStatuses());
    for (const [status, names] of catalogStatuses())
      expect(documented.has(status) || transport.has(status), `${status} (${names.join(', ')}) is neither documented nor listed`).toBe(
        true,
      );
  });

  it('produces every transport status docs/mock-behaviour.md lists, which lists none that openapi.yaml documents', () => {
    const produced = catalogStatuses();
    const documented = new Set(loadSpec().operations.flatMap((op) => op.statuses));
    for (const status of documentedTransportStatuses()) {
      expect(produced.has(status), `${BEHAVIOUR} lists ${status}, which the catalog never answers`).toBe(true);
      expect(documented.has(status), `${BEHAVIOUR} lists ${status}, which openapi.yaml documents`).toBe(false);
    }
  });

  it('is the only place an ApiError is made', () => {
    const makers = sourceFiles(join(ROOT, 'mock'))
      .filter((file) => !file.endsWith(join('service', 'api-error.ts')))
      .filter((file) => /new ApiError\(/.test(readFileSync(file, 'utf8')));
    expect(makers).toEqual([]);
  });

  it('caps every message, whatever input it echoes', () => {
    expect(errors.invalidBody(`request body must not have property ${'f'.repeat(300_000)}`).message.length).toBeLessThan(1100);
    expect(errors.invalidId('a'.repeat(10_000)).message.length).toBeLessThan(200);
    expect(errors.routeNotFound('GET', `/${'p'.repeat(10_000)}`).message.length).toBeLessThan(200);
  });

  it('names the limit that applied in a 413', () => {
    expect(errors.payloadTooLarge(64 * 1024).message).toMatch(/64 KiB/);
    expect(errors.payloadTooLarge(1024 * 1024).message).toMatch(/1 MiB/);
  });
});
