import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { schemaConstraints, type SpecDocument } from '../../contracts/openapi/schema-constraints.ts';
import { MOCK_CHOICE_KEY } from '../../contracts/openapi/spec-layer.ts';
import { specPath } from '../../contracts/openapi/spec-path.ts';
import { tempDir } from '../hardening/support/temp-dir.ts';
import { runMockUntilExit } from '../support/running-mock.ts';

// `apikeys-mock --print-spec [full|contract]`: one layer of openapi.yaml as a standalone file,
// for generic tools (fuzzers, validators) that do not know the x-mock-choice blocks.
const raw = parse(readFileSync(specPath, 'utf8')) as SpecDocument;
const rowsOf = (document: SpecDocument) => schemaConstraints(document).map((c) => `${c.where} | ${c.constraint}`);

async function printed(args: string[]) {
  const run = await runMockUntilExit(['--print-spec', ...args]);
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout).not.toContain(`${MOCK_CHOICE_KEY}:`);
  return { text: run.stdout, document: parse(run.stdout) as SpecDocument & { info: { description: string } } };
}

describe('apikeys-mock --print-spec', () => {
  it('prints the contract layer with exactly the contract constraints of openapi.yaml, and says which layer it is', async () => {
    const { document } = await printed(['contract']);
    const contract = schemaConstraints(raw)
      .filter((c) => c.layer === 'contract')
      .map((c) => `${c.where} | ${c.constraint}`);
    expect(rowsOf(document).sort()).toEqual(contract.sort());
    expect(document.info.description).toMatch(/^This file is the \*\*contract\*\* layer/);
  });

  it("prints the full layer (the default): every mock's choice is a plain constraint a generic tool enforces", async () => {
    const { document } = await printed([]);
    const rows = rowsOf(document);
    const choices = schemaConstraints(raw).filter((c) => c.layer === "mock's choice");
    expect(choices.length).toBeGreaterThanOrEqual(10);
    // Where a keyword is in both layers, the contract's value sits in allOf beside the mock's.
    expect(choices.map((c) => `${c.where} | ${c.constraint}`).filter((row) => !rows.includes(row))).toEqual([]);
    expect(document.info.description).toMatch(/^This file is the \*\*full\*\* layer/);
  });

  it("prints the full layer a mock started with --profile enforces: exactly the x-mock-choice keywords the profile's values override are lifted", async () => {
    const file = join(tempDir('apikeys-print-spec-'), 'profile.json');
    const observed = (value: unknown) => ({ observed: true, value, seenBy: ['some/check'] });
    writeFileSync(
      file,
      JSON.stringify({ profileVersion: 1, choices: { location: observed('absolute'), listOrder: observed('newest-first') } }),
    );
    const [{ document: plain }, { document: likeStaging }] = [await printed([]), await printed(['full', '--profile', file])];
    const location = (raw.paths!['/v1/apikeys']!.post as any).responses['201'].headers.Location.schema;
    const row = (constraint: string) => `createApiKey 201 Location header | ${constraint}`;
    // The mock's relative-only pattern goes, and the contract's (absolute or relative) is the pattern again.
    expect(rowsOf(plain).filter((r) => !rowsOf(likeStaging).includes(r))).toEqual([
      row(`pattern: ${location[MOCK_CHOICE_KEY].pattern}`),
      row(`allOf: ${JSON.stringify([{ pattern: location.pattern }])}`),
    ]);
    expect(rowsOf(likeStaging).filter((r) => !rowsOf(plain).includes(r))).toEqual([row(`pattern: ${location.pattern}`)]);
  });

  it('refuses a layer it does not know, naming the choices', async () => {
    const run = await runMockUntilExit(['--print-spec', 'strict']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Allowed choices are full, contract/);
    expect(run.stdout).toBe('');
  });
});
