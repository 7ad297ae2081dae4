import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planConformance } from '../../contracts/conformance/run-conformance.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { schemaConstraints, type SpecDocument } from '../../contracts/openapi/schema-constraints.ts';
import { renderConstraintTable, withConstraintTable } from '../../contracts/openapi/constraint-table.ts';
import { CHOICE_NAMES } from '../../contracts/common/server-choices.ts';
import { applyLayer, MOCK_CHOICE_KEY, mockChoiceConstraints } from '../../contracts/openapi/spec-layer.ts';
import { specPath } from '../../contracts/openapi/spec-path.ts';

const contract = readFileSync(fileURLToPath(new URL('../../contracts/CONTRACT.md', import.meta.url)), 'utf8');
const sections = [...contract.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
const raw = parse(readFileSync(specPath, 'utf8')) as unknown;

/** The body of a `## ` section of the contract document. */
function section(title: string): string {
  const start = contract.indexOf(`## ${title}\n`);
  const end = contract.indexOf('\n## ', start + 1);
  return contract.slice(start, end === -1 ? undefined : end);
}

/** The rows of the "Schema constraints" table: where, constraint, layer, rule. */
function constraintTable(): { row: string; rule: string }[] {
  return section('Schema constraints')
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replace(/\\\|/g, '|').replace(/^`|`$/g, ''));
      return { row: cells.slice(0, 3).join(' | '), rule: cells[3]! };
    });
}

describe('contracts/CONTRACT.md and the two layers of openapi.yaml', () => {
  it('has a section for the rule every check names, so a failure line points somewhere real', () => {
    const rules = [...new Set(planConformance().map((p) => p.rule))];
    expect(rules.filter((rule) => !sections.includes(rule))).toEqual([]);
  });

  it('lists every x-mock-choice block of openapi.yaml in its "Mock\'s choices" table', () => {
    const table = contract.slice(contract.indexOf("## Mock's choices"), contract.indexOf('## What the suite may demand'));
    const blocks = mockChoiceConstraints(raw);
    expect(blocks.length).toBeGreaterThanOrEqual(7);
    for (const { pointer } of blocks) {
      // A component schema by its name; a header (the create's Location) by the header's.
      const name = /\/components\/schemas\/([^/]+)/.exec(pointer)?.[1] ?? /\/headers\/([^/]+)/.exec(pointer)?.[1];
      expect(name, pointer).toBeDefined();
      expect(table, pointer).toContain(`\`${name}`);
    }
  });

  it('names every legal choice of the choice table, and the check of every choice, in its "Mock\'s choices" table', () => {
    const table = section("Mock's choices");
    expect(CHOICE_NAMES.filter((name) => !table.includes(`\`${name}\``))).toEqual([]);
    const checks = new Set(planConformance().map((p) => p.check));
    const named = [...table.matchAll(/\| `([a-z_]+)`[^|]*\|\s*$/gm)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !checks.has(name))).toEqual([]);
    // Every check of a choice in the table is one the plan has, and every choice check is in the table.
    const choiceChecks = planConformance()
      .filter((p) => p.family === 'mock-choice')
      .map((p) => p.check);
    expect([...new Set(choiceChecks)].filter((check) => !table.includes(`\`${check}\``))).toEqual([]);
  });

  it('names the source of every contract rule (contracts/CONTRACT.md "Sources")', () => {
    const rules = contract.split('\n').filter((line) => line.startsWith('- _contract_') || line.startsWith('_contract_'));
    expect(rules.length).toBeGreaterThan(40);
    expect(rules.filter((line) => !/^-? ?_contract_ (\[(SDK|REST|server|live|RFC 9110)\])+ /.test(line))).toEqual([]);
  });

  it('holds the "Schema constraints" table exactly as npm run contract:table makes it from openapi.yaml', () => {
    expect(withConstraintTable(contract, renderConstraintTable(raw as SpecDocument))).toBe(contract);
  });

  it('names every constraint of openapi.yaml, with its layer, in the "Schema constraints" table, and no other', () => {
    const fromSpec = schemaConstraints(raw as SpecDocument).map((c) => `${c.where} | ${c.constraint} | ${c.layer}`);
    const fromDocument = constraintTable().map((r) => r.row);
    expect(fromSpec.length).toBeGreaterThan(50);
    expect(
      fromSpec.filter((row) => !fromDocument.includes(row)),
      'in openapi.yaml, missing from CONTRACT.md',
    ).toEqual([]);
    expect(
      fromDocument.filter((row) => !fromSpec.includes(row)),
      'in CONTRACT.md, not in openapi.yaml',
    ).toEqual([]);
    expect(new Set(fromDocument).size).toBe(fromDocument.length);
  });

  it('ties every constraint to a section that states a rule of the same layer', () => {
    const untied = constraintTable().filter(({ row, rule }) => {
      const layer = row.endsWith("mock's choice") ? "_mock's choice_" : '_contract_';
      return !sections.includes(rule) || !section(rule).includes(layer);
    });
    expect(untied).toEqual([]);
  });

  it('finds a constraint the document forgot and one it invented (the two checks above can fail)', () => {
    const spec = structuredClone(raw) as { components: { schemas: Record<string, Record<string, unknown>> } };
    spec.components.schemas.Timestamp!.maximum = 1;
    delete spec.components.schemas.Labels!.maxProperties;
    const rows = schemaConstraints(spec as SpecDocument).map((c) => `${c.where} | ${c.constraint} | ${c.layer}`);
    const documented = constraintTable().map((r) => r.row);
    expect(rows.filter((row) => !documented.includes(row))).toEqual(['Timestamp | maximum: 1 | contract']);
    expect(documented.filter((row) => !rows.includes(row))).toEqual(['Labels | maxProperties: 10 | contract']);
  });

  it('gives the contract layer no mock constraint and the full layer every one, without a second copy', () => {
    expect(JSON.stringify(applyLayer(raw, 'contract'))).not.toContain(`"${MOCK_CHOICE_KEY}":`);
    expect(JSON.stringify(applyLayer(raw, 'full'))).not.toContain(`"${MOCK_CHOICE_KEY}":`);
    // Where both layers use a keyword, both hold: the mock's value in place, the contract's in allOf.
    const full = loadSpec().document.components.schemas.CreateApiKeyResponse as { properties: { rawApiKey: object } };
    expect(full.properties.rawApiKey).toMatchObject({ pattern: '^gm_[a-z2-7]{26}$', allOf: [{ pattern: '^gm_.*$' }] });
  });

  it.each([
    ['a 52-character raw key', 'CreateApiKeyResponse', { rawApiKey: `gm_${'a'.repeat(52)}` }],
    ['a 12-character keyPrefix', 'ApiKeyResponse', { keyPrefix: 'gm_abcdefghi' }],
    ['a 200-character label key', 'Labels', { ['k'.repeat(200)]: 'v' }],
    ['an error with a code', 'Error', { error: 'no', code: 'E404' }],
    ['an error with status and timestamp (a live GoodMem 404)', 'Error', { error: 'no', status: 404, timestamp: '2026-09-01T00:00:00Z' }],
    ['a list of field errors (a live GoodMem 400)', 'Error', { errors: [{ field: 'labels', message: 'too many' }] }],
    ['an unknown create field', 'CreateApiKeyRequest', { expires_at: 1 }],
    ['an unknown update field', 'UpdateApiKeyRequest', { userId: 'x' }],
  ])('accepts %s in the contract layer and refuses it in the full layer', (_what, name, value) => {
    const example = name === 'CreateApiKeyResponse' || name === 'ApiKeyResponse' ? exampleOf(name) : {};
    const body = name === 'Labels' ? value : { ...example, ...value };
    expect(loadSpec({ layer: 'contract' }).schema(name)(body)).toBe(true);
    expect(loadSpec().schema(name)(body)).toBe(false);
  });
});

function exampleOf(name: string): Record<string, unknown> {
  const created = loadSpec().byId.createApiKey.responses.get(201)!.example as { apiKeyMetadata: Record<string, unknown> };
  if (name === 'ApiKeyResponse') return created.apiKeyMetadata;
  if (name === 'CreateApiKeyResponse') return created as unknown as Record<string, unknown>;
  throw new Error(`no example for ${name}`);
}

describe('the Error schema of the contract layer', () => {
  const contractError = loadSpec({ layer: 'contract' }).schema('Error');
  it.each([
    ['a bare string', 'no such key'],
    ['an array', [{ error: 'no' }]],
    ['an empty message', { error: '' }],
    ['no message at all', { status: 404, timestamp: '2026-09-01T00:00:00Z' }],
    ['an empty list of errors', { errors: [] }],
    ['field errors without a message', { errors: [{ field: 'labels' }] }],
    ['a message under another name', { message: 'no' }],
  ])('refuses %s: an error is a JSON object with a message', (_what, body) => {
    expect(contractError(body)).toBe(false);
  });
});
