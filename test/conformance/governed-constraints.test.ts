import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CHOICE_NAMES, governedBy, liftedConstraints, type ChoiceName } from '../../contracts/common/server-choices.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { applyLayer, mockChoiceConstraints } from '../../contracts/openapi/spec-layer.ts';
import { specPath } from '../../contracts/openapi/spec-path.ts';
import { OTHER_WAY } from './support/other-way.ts';

// The `governs` field of contracts/common/server-choices.ts says which x-mock-choice keyword of
// openapi.yaml spells out each choice's default. A mock with another value (a profile) enforces,
// and `--mock --profile` judges it by, the full layer without exactly those keywords.
const raw = parse(readFileSync(specPath, 'utf8')) as unknown;
const blocks = mockChoiceConstraints(raw);

/** x-mock-choice keywords no choice switches: the mock keeps them whatever its choices (contracts/CONTRACT.md "Mock's choices"). */
const KEPT = [
  // Label bounds and the latest timestamp: schema choices with no switch (label_bounds_rejected).
  '/components/schemas/Timestamp maximum',
  '/components/schemas/Labels/propertyNames minLength',
  '/components/schemas/Labels/propertyNames maxLength',
  '/components/schemas/Labels/additionalProperties maxLength',
  // What `error` is when an {"error"} body has one: a message, whichever shape the choices give.
  '/components/schemas/Error properties',
];

/** JSON pointers (with the key that differs) where two documents differ. */
function differences(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || Array.isArray(a) !== Array.isArray(b)) return [at];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((key) =>
    differences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
    ),
  );
}

describe('which x-mock-choice keyword each legal choice governs (server-choices.ts `governs`)', () => {
  it('names only keywords that an x-mock-choice block of openapi.yaml has', () => {
    const missing = CHOICE_NAMES.flatMap((name) =>
      governedBy(name).flatMap(({ at, keywords }) =>
        keywords.filter((k) => !blocks.some((b) => b.pointer === at && k in b.constraints)).map((k) => `${name}: ${at} ${k}`),
      ),
    );
    expect(missing).toEqual([]);
  });

  it('leaves no x-mock-choice keyword unaccounted for: each is governed by a choice or kept whatever the choices', () => {
    const governed = new Set(
      CHOICE_NAMES.flatMap((name) => governedBy(name).flatMap(({ at, keywords }) => keywords.map((k) => `${at} ${k}`))),
    );
    const keywords = blocks.flatMap((b) => Object.keys(b.constraints).map((k) => `${b.pointer} ${k}`));
    expect(keywords.filter((k) => !governed.has(k) && !KEPT.includes(k))).toEqual([]);
    expect(KEPT.filter((k) => !keywords.includes(k) || governed.has(k))).toEqual([]);
  });

  it.each(CHOICE_NAMES.filter((name) => governedBy(name).length > 0))(
    '%s taken another way changes the full layer in its governed keywords and nowhere else',
    (name: ChoiceName) => {
      const lifted = liftedConstraints({ [name]: OTHER_WAY[name] });
      expect(lifted).toEqual(governedBy(name));
      const changed = differences(applyLayer(raw, 'full'), applyLayer(raw, 'full', lifted));
      // A lifted keyword is gone or is the contract's again; the allOf that held the contract's copy goes with it.
      const allowed = lifted.flatMap(({ at, keywords }) => [...keywords.map((k) => `${at}/${k}`), `${at}/allOf`]);
      expect(changed.filter((path) => !allowed.some((a) => path === a || path.startsWith(`${a}/`)))).toEqual([]);
      for (const { at, keywords } of lifted) for (const k of keywords) expect(changed, `${at} ${k}`).toContain(`${at}/${k}`);
    },
  );

  it('lifts nothing for a default value or a choice that governs no keyword, and refuses to lift a keyword no block has', () => {
    expect(liftedConstraints({ rawKeyLength: 29, location: 'relative', listOrder: 'newest-first', bearer: 'refused' })).toEqual([]);
    expect(() => applyLayer(raw, 'full', [{ at: '/components/schemas/Uuid', keywords: ['pattern'] }])).toThrow(
      /openapi\.yaml has no x-mock-choice keyword pattern at \/components\/schemas\/Uuid to lift/,
    );
  });
});

// What each governed choice's other value shows, refused by the default full layer and accepted
// once its keywords are lifted; beside it, a value that breaks a keyword the choice does not govern,
// refused either way (never more is lifted than the choice overrides).
const created = loadSpec().byId.createApiKey.responses.get(201)!.example as { apiKeyMetadata: Record<string, unknown>; rawApiKey: string };
const key = created.apiKeyMetadata;
type Probe = (spec: ReturnType<typeof loadSpec>) => boolean;
const body =
  (schema: string, value: unknown): Probe =>
  (spec) =>
    spec.schema(schema)(value);
const location =
  (value: string): Probe =>
  (spec) =>
    spec.byId.createApiKey.responses
      .get(201)!
      .headers.find((h) => h.name === 'location')!
      .validate(value);
const pathId =
  (value: string): Probe =>
  (spec) =>
    spec.byId.updateApiKey.pathParams[0]!.validate(value);
const ID = '550e8400-e29b-41d4-a716-446655440000';

const CASES: [choice: ChoiceName, shows: Probe, stillRefused: Probe][] = [
  [
    'rawKeyLength',
    body('CreateApiKeyResponse', { ...created, rawApiKey: `gm_${'a'.repeat(52)}` }),
    body('CreateApiKeyResponse', { ...created, apiKeyMetadata: { ...key, keyPrefix: 'gm_abcdefghi' } }),
  ],
  [
    'keyPrefixLength',
    body('ApiKeyResponse', { ...key, keyPrefix: 'gm_abcdefghi' }),
    body('CreateApiKeyResponse', { ...created, rawApiKey: `gm_${'a'.repeat(52)}` }),
  ],
  ['validationErrors', body('Error', { errors: [{ field: 'labels', message: 'too many' }] }), body('Error', { error: '' })],
  [
    'errorExtras',
    body('Error', { error: 'no', status: 404, timestamp: '2026-09-01T00:00:00Z' }),
    body('Error', { errors: [{ message: 'x' }] }),
  ],
  ['location', location(`http://127.0.0.1:8080/v1/apikeys/${ID}`), location(`/v1/apikeys/${ID.toUpperCase()}`)],
  ['partialHyphenIds', pathId(ID.replace(/-(?=[^-]*$)/, '')), pathId(`{${ID}}`)],
  ['unknownFields', body('CreateApiKeyRequest', { expires_at: 1 }), body('CreateApiKeyRequest', { labels: { ['k'.repeat(200)]: 'v' } })],
];

describe('the full layer a mock with another value enforces', () => {
  it('covers every choice that governs a keyword', () => {
    expect(CASES.map(([choice]) => choice).sort()).toEqual(CHOICE_NAMES.filter((n) => governedBy(n).length > 0).sort());
  });

  it.each(CASES)(
    '%s: what the other value shows is refused by default and accepted once lifted; nothing else is',
    (choice, shows, stillRefused) => {
      const lifted = loadSpec({ choices: { [choice]: OTHER_WAY[choice] } });
      expect(shows(loadSpec({ layer: 'contract' }))).toBe(true);
      expect(shows(loadSpec())).toBe(false);
      expect(shows(lifted)).toBe(true);
      expect(stillRefused(loadSpec())).toBe(false);
      expect(stillRefused(lifted)).toBe(false);
    },
  );
});
