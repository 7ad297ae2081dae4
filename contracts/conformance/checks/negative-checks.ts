import { randomUUID } from 'node:crypto';
import { loadSpec, type OperationId } from '../../openapi/load-spec.ts';
import {
  acceptedTypes,
  alternatives,
  exampleOf,
  isUuidField,
  nonUpdatableFields,
  propertiesOf,
  requestBodySchema,
  wrongTypes,
  type JsonType,
} from '../../openapi/request-schema.ts';
import type { CheckContext } from '../check-context.ts';
import { defineCheck, type CheckDefinition } from '../check-definition.ts';
import { expectSame, expectStatus, keyIn } from '../expect.ts';
import { requires } from '../requires.ts';

const DAY = 86_400_000;

/** One request with exactly one fault (contracts/CONTRACT.md "Check order": a server may check in another order). */
interface BadRequest {
  /** What is wrong with it, for the failure message. */
  fault: string;
  body?: unknown;
  rawBody?: string;
  /** No body at all. */
  noBody?: boolean;
  /** A path id other than the target key's. */
  id?: string;
}

type Cases = (ctx: CheckContext) => BadRequest[];

// Requests are built from what the contract layer says a body may hold (contracts/openapi/request-schema.ts).
const contract = loadSpec({ layer: 'contract' });

/**
 * Where a lenient JSON reader takes a value of another type as the field's own, so a server
 * may accept it (contracts/CONTRACT.md "Bad requests"): Jackson's defaults, which GoodMem's
 * server parses bodies with, read a fraction where an integer belongs as its integer part and
 * a number or a boolean where text belongs as its text. The suite never demands a 400 there.
 */
const LENIENT_READINGS: Partial<Record<JsonType, readonly JsonType[]>> = { integer: ['number'], string: ['integer', 'number', 'boolean'] };

/** One value of each JSON type, none of which a lenient reader takes for another type (the string is no number). */
const VALUE_OF_TYPE: Record<JsonType, () => unknown> = {
  null: () => null,
  boolean: () => true,
  integer: () => 42,
  number: () => 0.5,
  string: () => new Date(Date.now() + 30 * DAY).toISOString(),
  array: () => ['x'],
  object: () => ({ nested: 'x' }),
};

/** The JSON types a field must refuse: those its schema does not accept and no lenient reader takes for its own. */
function demandedWrongTypes(node: unknown): JsonType[] {
  const lenient = new Set([...acceptedTypes(node, contract)].flatMap((type) => LENIENT_READINGS[type] ?? []));
  return wrongTypes(node, contract).filter((type) => !lenient.has(type));
}

/** Every top-level field of an operation's body with every value of a type it must refuse. */
export function wrongTypeRequests(operationId: OperationId): BadRequest[] {
  return Object.entries(propertiesOf(requestBodySchema(operationId, contract))).flatMap(([field, node]) =>
    demandedWrongTypes(node).map((type) => ({ fault: `${field} as ${article(type)}`, body: { [field]: VALUE_OF_TYPE[type]() } })),
  );
}

/** Every label map of an operation's body holding one value of a type a label value must refuse. */
export function labelValueRequests(operationId: OperationId): BadRequest[] {
  return Object.entries(propertiesOf(requestBodySchema(operationId, contract))).flatMap(([field, node]) => {
    const map = alternatives(node, contract).find((alt) => alt.type === 'object' && alt.additionalProperties !== undefined);
    if (!map) return [];
    return demandedWrongTypes(map.additionalProperties).map((type) => ({
      fault: `a label value in ${field} as ${article(type)}`,
      body: { [field]: { env: 'ci', bad: VALUE_OF_TYPE[type]() } },
    }));
  });
}

const article = (type: JsonType) =>
  type === 'null' ? 'null' : type === 'array' || type === 'integer' || type === 'object' ? `an ${type}` : `a ${type}`;

const labels = (n: number, prefix = 'l') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, `v${i}`]));

/**
 * A check that sends each bad request and expects a documented 4xx that
 * changed nothing: no new key after a create, an unchanged key after an update.
 */
export function rejectsBadData(spec: {
  name: string;
  rule: string;
  description: string;
  hint: string;
  expected?: number;
  /** A rule of the mock's choice: checked only with --mock. */
  mockChoice?: boolean;
  cases: Partial<Record<OperationId, Cases>>;
}): CheckDefinition {
  return defineCheck({
    name: spec.name,
    family: spec.mockChoice ? 'mock-choice' : 'negative',
    operations: Object.keys(spec.cases) as OperationId[],
    description: spec.description,
    rule: spec.rule,
    run: async (ctx, operation) => {
      if (spec.mockChoice) requires(ctx, 'mock');
      const cases = spec.cases[operation as OperationId]!(ctx);
      const api = ctx.as('apiKey');
      if (operation === 'createApiKey') {
        // What the user can list; after each rejected create the list must hold nothing new.
        let ids = await ctx.listIds('apiKey');
        for (const bad of cases)
          ids = await ctx.expectCreateRejected('apiKey', requestOf(bad), spec.expected ?? 400, `${bad.fault}: ${spec.hint}`, ids);
        return;
      }
      // Update/delete aim at one key of this check (6 labels, so a merge of 5 makes 11).
      const target = await ctx.createKey('apiKey', { labels: labels(6, 'seed') });
      let before = (await ctx.find('apiKey', target.apiKeyId)) ?? target.metadata;
      for (const bad of cases) {
        const exchange = await api.call(operation as OperationId, { ...requestOf(bad), id: bad.id ?? target.apiKeyId });
        expectStatus(exchange, spec.expected ?? 400, `${bad.fault}: ${spec.hint}`);
        before = await ctx.expectUnchanged(exchange, 'apiKey', before);
      }
    },
  });
}

function requestOf(bad: BadRequest): { body?: unknown; rawBody?: string } {
  return { body: bad.noBody ? undefined : bad.body, rawBody: bad.rawBody };
}

export const malformedJsonRejected = rejectsBadData({
  name: 'malformed_json_rejected',
  rule: 'Bad requests',
  description: 'A body that is not valid JSON is answered 400.',
  hint: '400 for malformed JSON',
  cases: {
    createApiKey: () => [
      { fault: 'truncated JSON', rawBody: '{"labels": {"env": "ci"}' },
      { fault: 'not JSON at all', rawBody: 'labels=env' },
    ],
    updateApiKey: () => [{ fault: 'truncated JSON', rawBody: '{"status": "INACTIVE"' }],
  },
});

export const nonObjectBodyRejected = rejectsBadData({
  name: 'non_object_body_rejected',
  rule: 'Bad requests',
  description: 'A JSON body that is not an object (array, string, number, null) is answered 400.',
  hint: '400 when the body is not a JSON object',
  cases: {
    createApiKey: () => [
      { fault: 'an array', body: [] },
      { fault: 'a string', body: 'labels' },
      { fault: 'a number', body: 42 },
      { fault: 'null', rawBody: 'null' },
    ],
    updateApiKey: () => [
      { fault: 'an array', body: [{ status: 'INACTIVE' }] },
      { fault: 'a string', body: 'INACTIVE' },
    ],
  },
});

export const missingBodyRejected = rejectsBadData({
  name: 'missing_body_rejected',
  rule: 'Bad requests',
  description: 'A create or update without any body is answered 400 ({} is the empty request).',
  hint: 'openapi.yaml: the request body is required',
  cases: {
    createApiKey: () => [{ fault: 'no body', noBody: true }],
    updateApiKey: () => [{ fault: 'no body', noBody: true }],
  },
});

export const wrongTypeRejected = rejectsBadData({
  name: 'wrong_type_rejected',
  rule: 'Bad requests',
  description: 'A field of a type its schema does not accept (and no lenient reader takes for its own) is answered 400.',
  hint: '400 for a field of the wrong type',
  cases: {
    createApiKey: () => wrongTypeRequests('createApiKey'),
    updateApiKey: () => wrongTypeRequests('updateApiKey'),
  },
});

export const labelValueNotStringRejected = rejectsBadData({
  name: 'label_value_not_string_rejected',
  rule: 'Schemas',
  description: 'A label value that is not a string (null, an array, an object) is answered 400.',
  hint: '400 for a label value that is not a string',
  cases: {
    createApiKey: () => labelValueRequests('createApiKey'),
    updateApiKey: () => labelValueRequests('updateApiKey'),
  },
});

export const tooManyLabelsRejected = rejectsBadData({
  name: 'too_many_labels_rejected',
  rule: 'Schemas',
  description: 'More than 10 labels, also as the result of a merge, is answered 400.',
  hint: 'at most 10 labels',
  cases: {
    createApiKey: () => [{ fault: '11 labels', body: { labels: labels(11) } }],
    // The target key holds 6 labels: 5 more make 11.
    updateApiKey: () => [
      { fault: 'replaceLabels with 11 labels', body: { replaceLabels: labels(11) } },
      { fault: 'mergeLabels making 11 labels', body: { mergeLabels: labels(5, 'more') } },
    ],
  },
});

export const labelBoundsRejected = rejectsBadData({
  name: 'label_bounds_rejected',
  rule: "Mock's choices",
  mockChoice: true,
  description: 'An empty label key, a key over 128 characters or a value over 1024 characters is answered 400.',
  hint: "openapi.yaml Labels: keys of 1 to 128 characters, values of at most 1024 (mock's choice)",
  cases: {
    createApiKey: () => [
      { fault: 'an empty key', body: { labels: { '': 'x' } } },
      { fault: 'a 129-character key', body: { labels: { ['k'.repeat(129)]: 'x' } } },
      { fault: 'a 1025-character value', body: { labels: { long: 'v'.repeat(1025) } } },
    ],
    updateApiKey: () => [{ fault: 'a 129-character key in mergeLabels', body: { mergeLabels: { ['k'.repeat(129)]: 'x' } } }],
  },
});

export const pastExpiryRejected = rejectsBadData({
  name: 'past_expiry_rejected',
  rule: 'Create',
  description: 'An expiresAt that is not in the future is answered 400.',
  hint: '400 when expiresAt is not in the future',
  cases: {
    // A day back, so no clock skew between suite and server can make it the future.
    createApiKey: () => [{ fault: 'expiresAt a day ago', body: { expiresAt: Date.now() - DAY } }],
  },
});

export const bothLabelStrategiesRejected = rejectsBadData({
  name: 'both_label_strategies_rejected',
  rule: 'Update',
  description: 'replaceLabels and mergeLabels in one update is answered 400.',
  hint: 'replaceLabels and mergeLabels are mutually exclusive',
  cases: {
    updateApiKey: () => [{ fault: 'both label fields', body: { replaceLabels: { a: '1' }, mergeLabels: { b: '2' } } }],
  },
});

export const unknownStatusRejected = rejectsBadData({
  name: 'unknown_status_rejected',
  rule: 'Update',
  description: 'A status other than ACTIVE or INACTIVE is answered 400.',
  hint: '400 for an unknown status value',
  cases: {
    updateApiKey: () => [
      { fault: 'status DISABLED', body: { status: 'DISABLED' } },
      { fault: 'status in lower case', body: { status: 'inactive' } },
    ],
  },
});

const badIds = (): BadRequest[] => {
  const uuid = randomUUID();
  return [
    { fault: 'id not-a-uuid', id: 'not-a-uuid' },
    { fault: 'id of 5 digits', id: '12345' },
    { fault: 'id with a non-hex digit', id: `${uuid.slice(0, -1)}g` },
    { fault: 'id of 33 hex digits', id: `${uuid}0` },
    { fault: 'id in braces', id: `{${uuid}}` },
  ];
};

export const badIdRejected = rejectsBadData({
  name: 'bad_id_rejected',
  rule: 'Ids',
  // An id with only some of its hyphens is the server's business (partial_hyphen_ids, a mock's choice).
  description: 'A path id that cannot be a UUID (not 32 hex digits) is answered 400.',
  hint: 'a path id that cannot be a UUID is 400',
  cases: {
    updateApiKey: () => badIds().map((bad) => ({ ...bad, body: { status: 'INACTIVE' } })),
    deleteApiKey: badIds,
  },
});

export const unknownIdNotFound = rejectsBadData({
  name: 'unknown_id_not_found',
  rule: 'Ids',
  description: 'A well-formed id that names no key is answered 404.',
  hint: 'a well-formed id that names no key is 404',
  expected: 404,
  cases: {
    updateApiKey: (ctx) => [{ fault: 'a random UUID', id: ctx.unknownId(), body: { status: 'INACTIVE' } }],
    deleteApiKey: (ctx) => [{ fault: 'a random UUID', id: ctx.unknownId() }],
  },
});

export const immutableFieldsUnchanged = defineCheck({
  name: 'immutable_fields_unchanged',
  rule: 'Update',
  family: 'negative',
  operations: ['updateApiKey'],
  observes: ['unknownFields'],
  description:
    'An update naming any field but status and labels (immutable id, owner, prefix, audit, raw key, or a typo) is 400, or 200 with those fields unchanged.',
  run: async (ctx) => {
    const target = await ctx.createKey();
    // Every field openapi.yaml names for a key but the update does not take, with a value valid for it
    // there (a fresh UUID for an id, so it never names an existing key or user): the one fault is the field.
    const attempts = Object.entries(nonUpdatableFields(contract)).map(([field, node]) => [
      field,
      isUuidField(node, contract) ? randomUUID() : exampleOf(node, contract),
    ]);
    for (const [field, value] of attempts as [string, unknown][]) {
      const before = (await ctx.find('apiKey', target.apiKeyId)) ?? target.metadata;
      const exchange = await ctx.as('apiKey').update(target.apiKeyId, { [field]: value });
      // 400 is the mock's choice; a server may also ignore the field and answer 200.
      expectStatus(exchange, [400, 200], `${field} is not an updatable field: 400, or 200 with nothing changed`);
      ctx.observe('unknownFields', exchange.status === 400 ? 'rejected' : 'ignored');
      if (exchange.status === 200) {
        // The answer shows the key as stored: every field as before (a no-op may move updatedAt/updatedById).
        const { lastUsedAt: _l, updatedAt: _u, updatedById: _b, ...expected } = before;
        const { lastUsedAt: _l2, updatedAt: _u2, updatedById: _b2, ...actual } = keyIn(exchange);
        expectSame(exchange, 'the answered key unchanged', expected, actual, `${field} is not an updatable field`);
      }
      await ctx.expectUnchanged(exchange, 'apiKey', before, exchange.status === 200);
    }
  },
});

export const nullableFieldsAccepted = defineCheck({
  name: 'nullable_fields_accepted',
  rule: 'Schemas',
  // The accepting side of input validation: what must NOT be rejected.
  family: 'behaviour',
  operations: ['createApiKey', 'updateApiKey'],
  description: 'null for an optional field means "not given" (labels, expiresAt, status, label strategies).',
  run: async (ctx, operation) => {
    if (operation === 'createApiKey') {
      const created = await ctx.createKey('apiKey', { labels: null, expiresAt: null });
      expectSame(created.exchange, 'expiresAt', null, created.metadata.expiresAt ?? null, 'both optional, both nullable');
      return;
    }
    const target = await ctx.createKey('apiKey', { labels: { keep: 'me' } });
    const exchange = await ctx.as('apiKey').update(target.apiKeyId, { status: null, mergeLabels: null });
    expectStatus(exchange, 200, 'all optional and nullable');
    const after = keyIn(exchange);
    expectSame(exchange, 'status and labels unchanged', ['ACTIVE', { keep: 'me' }], [after.status, after.labels]);
  },
});

export const negativeChecks = [
  malformedJsonRejected,
  nonObjectBodyRejected,
  missingBodyRejected,
  wrongTypeRejected,
  labelValueNotStringRejected,
  tooManyLabelsRejected,
  labelBoundsRejected,
  pastExpiryRejected,
  bothLabelStrategiesRejected,
  unknownStatusRejected,
  badIdRejected,
  unknownIdNotFound,
  immutableFieldsUnchanged,
  nullableFieldsAccepted,
];
