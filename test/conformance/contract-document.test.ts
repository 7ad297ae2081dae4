import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { planConformance } from '../../contracts/conformance/run-conformance.ts';
import { loadSpec } from '../../contracts/spec/load-spec.ts';
import { applyLayer, MOCK_CHOICE_KEY, mockChoiceConstraints } from '../../contracts/spec/spec-layer.ts';
import { specPath } from '../../contracts/spec/spec-path.ts';

const contract = readFileSync(fileURLToPath(new URL('../../contracts/CONTRACT.md', import.meta.url)), 'utf8');
const sections = [...contract.matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
const raw = parse(readFileSync(specPath, 'utf8')) as unknown;

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
      const schema = /\/components\/schemas\/([^/]+)/.exec(pointer)?.[1];
      expect(table, pointer).toContain(`\`${schema}`);
    }
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
