/**
 * Every legal choice a server may make where the contract leaves room
 * (contracts/CONTRACT.md "Mock's choices"), as one table: a named switch with a
 * closed set of values. Three uses read it: the mock (its `choices`, with the
 * defaults below), the conformance suite (the mock-choice checks expect the
 * mock's value; `--profile-out` records the value a server shows), and a
 * profile (`apikeys-mock --profile`) that makes the mock adopt a server's values.
 * A new legal choice is one row here.
 */

/**
 * Keywords of one `x-mock-choice` block of openapi.yaml that state a choice's
 * default (the mock's raw-key pattern, its `{"error"}`-only bodies, …).
 */
export interface GovernedConstraint {
  /** JSON pointer of the schema that carries the block, as spec-layer.ts's mockChoiceConstraints names it. */
  at: string;
  keywords: readonly string[];
}

/** A choice between named values (or status codes). */
interface EnumChoice<V extends string | number> {
  kind: 'enum';
  values: readonly V[];
  /** The mock's value when nothing else is asked for. */
  default: V;
  /** The section of contracts/CONTRACT.md that leaves the room. */
  rule: string;
  /** One line: what the choice is about. */
  description: string;
  /** How a summary phrases each value, after "this server:". */
  says: Record<`${V}`, string>;
  /** The `x-mock-choice` keywords that spell out the default; any other value lifts them from the full layer. */
  governs?: readonly GovernedConstraint[];
}

/** A choice of a whole number within bounds (a length the server is configured with). */
interface IntegerChoice {
  kind: 'integer';
  min: number;
  max: number;
  default: number;
  rule: string;
  description: string;
  /** How a summary phrases a value, after "this server:". */
  says: (value: number) => string;
  /** The `x-mock-choice` keywords that spell out the default; any other value lifts them from the full layer. */
  governs?: readonly GovernedConstraint[];
}

function enumChoice<const V extends string | number>(row: Omit<EnumChoice<V>, 'kind'>): EnumChoice<V> {
  return { kind: 'enum', ...row };
}

export const SERVER_CHOICES = {
  listOrder: enumChoice({
    values: ['oldest-first', 'newest-first'],
    default: 'oldest-first',
    rule: 'List',
    description: 'the order of the list',
    says: { 'oldest-first': 'lists oldest first', 'newest-first': 'lists newest first' },
  }),
  foreignKeyStatus: enumChoice({
    values: [403, 404],
    default: 403,
    rule: "Someone else's key",
    description: "the status for updating or deleting someone else's key without the _ANY permission",
    says: { 403: "answers 403 for another user's key", 404: "answers 404 for another user's key" },
  }),
  unknownFields: enumChoice({
    values: ['rejected', 'ignored'],
    default: 'rejected',
    rule: 'Create',
    description: 'an unknown or immutable field in a create or update body',
    says: { rejected: 'rejects unknown fields (400)', ignored: 'ignores unknown fields' },
    governs: [
      { at: '/components/schemas/CreateApiKeyRequest', keywords: ['additionalProperties'] },
      { at: '/components/schemas/UpdateApiKeyRequest', keywords: ['additionalProperties'] },
    ],
  }),
  deletedIds: enumChoice({
    values: ['reusable', 'reserved'],
    default: 'reusable',
    rule: 'Client-chosen ids',
    description: "whether a deleted key's id may be chosen again",
    says: { reusable: "lets a deleted key's id be chosen again", reserved: "keeps a deleted key's id taken (409)" },
  }),
  noopUpdate: enumChoice({
    values: ['keeps-updated-at', 'moves-updated-at'],
    default: 'keeps-updated-at',
    rule: 'Update',
    description: 'whether an update that changes nothing moves updatedAt and updatedById',
    says: { 'keeps-updated-at': 'leaves updatedAt alone on a no-op update', 'moves-updated-at': 'moves updatedAt on a no-op update' },
  }),
  updatedAtOnUse: enumChoice({
    values: ['unchanged', 'moves'],
    default: 'unchanged',
    rule: 'Schemas',
    description: 'whether a successful authentication with a key moves its updatedAt',
    says: { unchanged: 'leaves updatedAt alone when a key is used', moves: 'moves updatedAt whenever a key is used' },
  }),
  lastUsedAt: enumChoice({
    values: ['immediate', 'background'],
    default: 'immediate',
    rule: 'Background effects',
    description: 'whether lastUsedAt shows a use in the very next response or a moment later',
    says: { immediate: 'shows lastUsedAt at once', background: 'records lastUsedAt in the background' },
  }),
  rawKeyLength: {
    kind: 'integer',
    min: 4,
    max: 256,
    default: 29,
    rule: 'Key material',
    description: 'the length of a raw key in characters, gm_ included',
    says: (n: number) => `hands out ${n}-character raw keys`,
    governs: [{ at: '/components/schemas/CreateApiKeyResponse/properties/rawApiKey', keywords: ['pattern'] }],
  } satisfies IntegerChoice,
  keyPrefixLength: {
    kind: 'integer',
    min: 1,
    max: 255,
    default: 8,
    rule: 'Key material',
    description: 'the length of keyPrefix in characters (shorter than the raw key)',
    says: (n: number) => `shows keyPrefix as the first ${n} ${n === 1 ? 'character' : 'characters'} of the key`,
    governs: [{ at: '/components/schemas/ApiKeyResponse/properties/keyPrefix', keywords: ['minLength', 'maxLength'] }],
  } satisfies IntegerChoice,
  bearer: enumChoice({
    values: ['accepted', 'refused'],
    default: 'accepted',
    rule: 'Authentication',
    description: 'whether `Authorization: Bearer <raw key>` authenticates like x-api-key',
    says: { accepted: 'accepts Authorization: Bearer', refused: 'reads only x-api-key' },
  }),
  validationErrors: enumChoice({
    values: ['error', 'errors'],
    default: 'error',
    rule: 'Transport',
    description: 'the body of a 400 for a field that fails validation: {"error": msg} or {"errors": [{"field", "message"}]}',
    says: { error: 'answers a bad field with {"error"}', errors: 'answers a bad field with {"errors": [...]}' },
    governs: [{ at: '/components/schemas/Error', keywords: ['required', 'additionalProperties'] }],
  }),
  errorExtras: enumChoice({
    values: ['none', 'status-timestamp'],
    default: 'none',
    rule: 'Transport',
    description: 'whether an {"error"} body also carries "status" and "timestamp"',
    says: { none: 'error bodies hold only the message', 'status-timestamp': 'error bodies carry status and timestamp' },
    governs: [{ at: '/components/schemas/Error', keywords: ['additionalProperties'] }],
  }),
  location: enumChoice({
    values: ['relative', 'absolute'],
    default: 'relative',
    rule: 'Create',
    description: "the form of the create's Location header",
    says: { relative: 'sends a relative Location', absolute: 'sends an absolute Location' },
    governs: [{ at: '/paths/~1v1~1apikeys/post/responses/201/headers/Location/schema', keywords: ['pattern'] }],
  }),
  wrongMethod: enumChoice({
    values: [405, 404],
    default: 405,
    rule: 'Transport',
    description: 'the status for a method a path does not have',
    says: { 405: 'answers a wrong method with 405 and Allow', 404: 'answers a wrong method with 404' },
  }),
  compactApiKeyId: enumChoice({
    values: ['accepted', 'refused'],
    default: 'accepted',
    rule: 'Ids',
    description: 'whether a create body may name apiKeyId as 32 hex digits without hyphens',
    says: { accepted: 'accepts a compact apiKeyId', refused: 'refuses a compact apiKeyId (400)' },
  }),
  partialHyphenIds: enumChoice({
    values: ['refused', 'accepted'],
    default: 'refused',
    rule: 'Ids',
    description:
      'whether an id (in the path, or a chosen apiKeyId) with only some of its four hyphens is read as the UUID its digits spell',
    says: { refused: 'refuses ids with only some hyphens (400)', accepted: 'reads ids with only some hyphens' },
    governs: [{ at: '/components/schemas/UuidInput', keywords: ['title', 'pattern'] }],
  }),
  numericStrings: enumChoice({
    values: ['accepted', 'refused'],
    default: 'accepted',
    rule: 'Transport',
    description: 'whether a numeric string where an integer belongs ("expiresAt": "1735689600000") is read as that number',
    says: { accepted: 'reads numbers sent as strings', refused: 'refuses numbers sent as strings (400)' },
  }),
} as const;

export type ChoiceName = keyof typeof SERVER_CHOICES;
type Row<N extends ChoiceName> = (typeof SERVER_CHOICES)[N];

/** The value type of one choice. */
export type ChoiceValue<N extends ChoiceName> = Row<N> extends { kind: 'enum'; values: readonly (infer V)[] } ? V : number;

/** One value for every choice: what the mock does, or what a server was seen to do. */
export type ServerChoices = { [N in ChoiceName]: ChoiceValue<N> };

export const CHOICE_NAMES = Object.keys(SERVER_CHOICES) as ChoiceName[];

/** The mock's defaults. */
export const DEFAULT_CHOICES = Object.fromEntries(CHOICE_NAMES.map((name) => [name, SERVER_CHOICES[name].default])) as ServerChoices;

/** The values a strict mock takes (`--strict`): every leniency the real server shows is switched off. */
export const STRICT_CHOICES: Partial<ServerChoices> = { numericStrings: 'refused' };

/**
 * The `x-mock-choice` keywords that `choices` override: those governed by every
 * choice not at its default. The full layer of openapi.yaml without them is what a
 * mock with these choices enforces (contracts/openapi/load-spec.ts `choices`).
 *
 * @example
 * liftedConstraints({ rawKeyLength: 55 }); // [{ at: '…/rawApiKey', keywords: ['pattern'] }]
 */
export function liftedConstraints(choices: Partial<ServerChoices>): GovernedConstraint[] {
  return CHOICE_NAMES.flatMap((name) => {
    const value = choices[name];
    return value === undefined || value === SERVER_CHOICES[name].default ? [] : [...governedBy(name)];
  });
}

/** The `x-mock-choice` keywords a choice governs (its row's `governs`; none for most). */
export function governedBy(name: ChoiceName): readonly GovernedConstraint[] {
  return (SERVER_CHOICES[name] as { governs?: readonly GovernedConstraint[] }).governs ?? [];
}

/** Why `value` is not a value of `name`, or null when it is. Names the valid values (a misuse error in the MSW manner). */
export function choiceValueProblem(name: string, value: unknown): string | null {
  if (!Object.hasOwn(SERVER_CHOICES, name)) return `unknown choice "${name}"; the choices are ${CHOICE_NAMES.join(', ')}`;
  const row = SERVER_CHOICES[name as ChoiceName];
  if (row.kind === 'integer') {
    if (typeof value === 'number' && Number.isInteger(value) && value >= row.min && value <= row.max) return null;
    return `choice ${name} must be a whole number from ${row.min} to ${row.max}, got ${JSON.stringify(value)}`;
  }
  if ((row.values as readonly unknown[]).includes(value)) return null;
  return `choice ${name} must be one of ${row.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(value)}`;
}

/** How a summary phrases `value` of `name` ("lists newest first"). */
export function describeChoice<N extends ChoiceName>(name: N, value: ChoiceValue<N>): string {
  const row = SERVER_CHOICES[name];
  return row.kind === 'integer' ? row.says(value as number) : (row.says as Record<string, string>)[String(value)]!;
}
