/**
 * The two layers of `openapi.yaml` (contracts/CONTRACT.md "Two layers"):
 * `contract` is what any correct server does; `full` adds the mock's choices,
 * the constraints written once in `x-mock-choice` blocks.
 */
export type SpecLayer = 'full' | 'contract';

/** The vendor extension that holds a schema's mock's-choice constraints. */
export const MOCK_CHOICE_KEY = 'x-mock-choice';

/** Where a mock's-choice block sits and what it adds, for documentation and tests. */
export interface MockChoiceConstraint {
  /** JSON pointer of the schema that carries the block, e.g. `/components/schemas/Labels/propertyNames`. */
  pointer: string;
  constraints: Record<string, unknown>;
}

/** Keywords of the `x-mock-choice` block at a schema (JSON pointer) that a layer leaves out. */
export interface LiftedKeywords {
  at: string;
  keywords: readonly string[];
}

/**
 * The document as one layer sees it. `contract` drops every `x-mock-choice`
 * block; `full` merges each block into its schema: its keywords are set beside
 * the others (so `additionalProperties: false` still sees the schema's
 * `properties`); where the schema already has that keyword, the contract's
 * value moves into `allOf` (both must hold). `lifted` names block keywords the
 * full layer leaves out, so the contract's own keyword stays in place: those a
 * mock's non-default choice overrides (server-choices.ts `liftedConstraints`).
 * A lifted keyword that no block has is an error, never silently nothing. The
 * input is never modified.
 */
export function applyLayer<T>(document: T, layer: SpecLayer, lifted: readonly LiftedKeywords[] = []): T {
  const drop = new Map<string, Set<string>>();
  for (const { at, keywords } of lifted) drop.set(at, new Set([...(drop.get(at) ?? []), ...keywords]));
  if (layer === 'full') {
    const blocks = new Map(mockChoiceConstraints(document).map((c) => [c.pointer, c.constraints]));
    for (const [at, keywords] of drop)
      for (const keyword of keywords)
        if (!blocks.get(at) || !Object.hasOwn(blocks.get(at)!, keyword))
          throw new Error(`openapi.yaml has no ${MOCK_CHOICE_KEY} keyword ${keyword} at ${at} to lift`);
  }
  return walk(document, layer, '', drop) as T;
}

/** Every `x-mock-choice` block of the document, in document order. */
export function mockChoiceConstraints(document: unknown): MockChoiceConstraint[] {
  const found: MockChoiceConstraint[] = [];
  const visit = (node: unknown, pointer: string) => {
    if (Array.isArray(node)) return node.forEach((item, i) => visit(item, `${pointer}/${i}`));
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (key === MOCK_CHOICE_KEY) found.push({ pointer, constraints: value as Record<string, unknown> });
      else visit(value, `${pointer}/${escape(key)}`);
    }
  };
  visit(document, '');
  return found;
}

function walk(node: unknown, layer: SpecLayer, pointer: string, drop: ReadonlyMap<string, ReadonlySet<string>>): unknown {
  if (Array.isArray(node)) return node.map((item, i) => walk(item, layer, `${pointer}/${i}`, drop));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node))
    if (key !== MOCK_CHOICE_KEY) out[key] = walk(value, layer, `${pointer}/${escape(key)}`, drop);
  const extra = (node as Record<string, unknown>)[MOCK_CHOICE_KEY];
  if (layer === 'contract' || extra === undefined) return out;
  if (extra === null || typeof extra !== 'object' || Array.isArray(extra)) {
    throw new Error(`openapi.yaml: ${MOCK_CHOICE_KEY} must be an object of JSON Schema keywords, got ${JSON.stringify(extra)}`);
  }
  // Where both layers use a keyword, the mock's value takes its place (readers of the full
  // layer, the mock and its tests, find it there) and the contract's moves into allOf.
  const lifted = drop.get(pointer);
  const displaced: Record<string, unknown> = {};
  for (const [keyword, value] of Object.entries(walk(extra, layer, `${pointer}/${MOCK_CHOICE_KEY}`, drop) as Record<string, unknown>)) {
    if (lifted?.has(keyword)) continue;
    if (keyword in out) displaced[keyword] = out[keyword];
    out[keyword] = value;
  }
  if (Object.keys(displaced).length > 0) out.allOf = [...((out.allOf as unknown[] | undefined) ?? []), displaced];
  return out;
}

/** A key as a JSON pointer token (RFC 6901). */
function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
