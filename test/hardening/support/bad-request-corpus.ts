import fc from 'fast-check';
import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';
import {
  acceptedTypes,
  alternatives,
  JSON_TYPES,
  requestBodySchema,
  type JsonType,
  type SchemaNode,
} from '../../../contracts/openapi/request-schema.ts';

/** One invalid request with exactly one fault (contracts/CONTRACT.md: one fault per negative request). */
export interface BadRequest {
  operationId: OperationId;
  /** The fault's family, e.g. `body.wrong-type`; every family must show up in a corpus. */
  fault: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** Bytes, not always text: some faults are bodies that are not valid UTF-8. */
  body?: string | Buffer;
  /** The status the contract's check order gives this fault. */
  expected: number;
}

export interface CorpusContext {
  /** An id of the caller's own key: faults elsewhere in the request must not depend on the target. */
  ownKeyId: string;
  /** An id of someone else's key. */
  foreignKeyId: string;
  /** Every id in the store (a generated "unknown" id must not be one). */
  knownIds: ReadonlySet<string>;
  /** A valid key of the caller, of a user without permissions, and the mock's "now". */
  callerKey: string;
  noPermissionKey: string;
  now: number;
}

const CONTENT_TYPE = 'content-type';
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

const valueOfType: Record<JsonType, fc.Arbitrary<unknown>> = {
  null: fc.constant(null),
  boolean: fc.boolean(),
  integer: fc.integer(),
  number: fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  string: fc.string({ maxLength: 20 }),
  array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
};

/** Valid label maps within the spec's Labels bounds, to build otherwise-valid bodies. */
function validLabels(labels: SchemaNode): fc.Arbitrary<Record<string, string>> {
  const names = labels.propertyNames as { minLength: number; maxLength: number };
  const values = labels.additionalProperties as { maxLength: number };
  return fc.dictionary(
    fc.string({ minLength: names.minLength, maxLength: Math.min(names.maxLength, 16) }),
    fc.string({ maxLength: Math.min(values.maxLength, 16) }),
    { maxKeys: Math.min(labels.maxProperties as number, 3) },
  );
}

/** Values one alternative of a property forbids although their JSON type is right: bad enums, out of range, over a bound. */
function outOfBounds(alt: SchemaNode): fc.Arbitrary<unknown>[] {
  const out: fc.Arbitrary<unknown>[] = [];
  const enumValues = alt.enum as unknown[] | undefined;
  const strings = (enumValues ?? []).filter((v): v is string => typeof v === 'string');
  if (enumValues && strings.length) {
    out.push(
      fc.string({ maxLength: 12 }).filter((s) => !enumValues.includes(s)),
      fc.constantFrom(...strings).chain((v) =>
        fc.constantFrom(
          v.toLowerCase(),
          ` ${v}`,
          `${v} `,
          `${v}\u0000`,
          v.slice(1),
          `${v}S`,
          v.normalize('NFKD').replace(/./g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
        ),
      ),
    );
  }
  if (typeof alt.minimum === 'number') out.push(fc.integer({ min: -1e15, max: alt.minimum - 1 }));
  if (alt.type === 'object' && typeof alt.maxProperties === 'number') {
    const names = alt.propertyNames as { minLength: number; maxLength: number };
    const values = alt.additionalProperties as { maxLength: number; type: string };
    const max = alt.maxProperties;
    const key = fc.string({ minLength: names.minLength, maxLength: 8 });
    out.push(
      fc.uniqueArray(key, { minLength: max + 1, maxLength: max + 5 }).map((keys) => Object.fromEntries(keys.map((k) => [k, 'v']))),
      fc.integer({ min: names.maxLength + 1, max: names.maxLength + 64 }).map((n) => ({ ['k'.repeat(n)]: 'v' })),
      fc.integer({ min: values.maxLength + 1, max: values.maxLength + 64 }).map((n) => ({ k: 'v'.repeat(n) })),
      fc
        .constantFrom(...JSON_TYPES.filter((t) => t !== values.type))
        .chain((t) => valueOfType[t])
        .map((v) => ({ k: v })),
    );
    if (names.minLength > 0) out.push(fc.constant({ '': 'v' }));
  }
  return out;
}

/** Every body fault openapi.yaml lets us derive for one operation's request schema. */
function bodyFaults(
  operationId: OperationId,
  ctx: CorpusContext,
): fc.Arbitrary<Omit<BadRequest, 'operationId' | 'method' | 'path' | 'expected'>>[] {
  const op = loadSpec().byId[operationId];
  const schema = requestBodySchema(operationId);
  const validate = op.requestBody?.validate;
  if (!schema || !validate) return [];
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  const names = Object.keys(properties);
  const json = { 'x-api-key': ctx.callerKey, [CONTENT_TYPE]: 'application/json' };
  const invalidObject = (fault: string, body: fc.Arbitrary<Record<string, unknown>>) =>
    body.filter((b) => !validate(b)).map((b) => ({ fault, headers: json, body: JSON.stringify(b) }));
  const faults = [];

  const wrongType = names.flatMap((name) => {
    const wrong = JSON_TYPES.filter((t) => !acceptedTypes(properties[name]).has(t));
    return wrong.length
      ? [
          fc
            .constantFrom(...wrong)
            .chain((t) => valueOfType[t])
            .map((v) => ({ [name]: v })),
        ]
      : [];
  });
  if (wrongType.length) faults.push(invalidObject('body.wrong-type', fc.oneof(...wrongType)));

  const bounds = names.flatMap((name) =>
    alternatives(properties[name])
      .flatMap(outOfBounds)
      .map((arb) => arb.map((v) => ({ [name]: v }))),
  );
  if (bounds.length) faults.push(invalidObject('body.out-of-bounds', fc.oneof(...bounds)));

  if (schema.additionalProperties === false) {
    const unknownName = fc.string({ minLength: 1, maxLength: 20 }).filter((n) => !names.includes(n));
    faults.push(
      invalidObject(
        'body.unknown-field',
        fc.tuple(unknownName, fc.jsonValue({ maxDepth: 2 })).map(([n, v]) => ({ [n]: v })),
      ),
    );
  }

  // `not: {required: [a, b]}` with object-typed a and b: both given together.
  const exclusive = (schema.not as SchemaNode | undefined)?.required as string[] | undefined;
  const labels = exclusive?.[0] ? alternatives(properties[exclusive[0]]).find((alt) => alt.type === 'object') : undefined;
  if (exclusive && labels) {
    faults.push(
      invalidObject(
        'body.exclusive-fields',
        fc.tuple(...exclusive.map(() => validLabels(labels))).map((values) => Object.fromEntries(exclusive.map((n, i) => [n, values[i]]))),
      ),
    );
  }

  const notObject = fc.oneof(
    valueOfType.null,
    valueOfType.boolean,
    valueOfType.integer,
    valueOfType.number,
    valueOfType.string,
    valueOfType.array,
  );
  faults.push(notObject.map((v) => ({ fault: 'body.not-an-object', headers: json, body: JSON.stringify(v) })));

  const examples = Object.values(op.requestBody!.examples).map((e) => JSON.stringify(e));
  const malformed = fc
    .oneof(
      fc.tuple(fc.constantFrom(...examples), fc.nat()).map(([text, n]) => text.slice(0, n % text.length)),
      fc.tuple(fc.constantFrom(...examples), fc.constantFrom('}', ',', '"', 'x', '\u0000', ']')).map(([text, junk]) => text + junk),
      fc.string({ minLength: 1, maxLength: 30 }),
    )
    .filter((text) => {
      try {
        JSON.parse(text);
        return false;
      } catch {
        return text.trim() !== '';
      }
    });
  faults.push(malformed.map((body) => ({ fault: 'body.malformed-json', headers: json, body })));

  // Encoding faults: the contract's bodies are UTF-8 JSON (RFC 8259 §8.1), with no byte-order mark.
  faults.push(
    fc.constantFrom(...examples).map((text) => ({
      fault: 'body.byte-order-mark',
      headers: json,
      body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
    })),
  );
  const mapName = names.find((name) => alternatives(properties[name]).some((alt) => alt.type === 'object'));
  if (mapName) {
    // A byte sequence no UTF-8 decoder may accept, inside an otherwise valid label value.
    const invalid = fc.constantFrom([0xff], [0xc3], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]);
    faults.push(
      invalid.map((bytes) => ({
        fault: 'body.invalid-utf8',
        headers: json,
        body: Buffer.concat([Buffer.from(`{"${mapName}":{"k":"`), Buffer.from(bytes), Buffer.from('"}}')]),
      })),
    );
  }
  if (op.requestBody!.required) faults.push(fc.constant({ fault: 'body.empty', headers: json, body: '' }));

  const contentType = fc.constantFrom(
    'text/plain',
    'application/xml',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/jsonx',
    'text/json',
  );
  faults.push(
    fc
      .tuple(fc.constantFrom(...examples), contentType)
      .map(([body, type]) => ({ fault: 'body.content-type', headers: { ...json, [CONTENT_TYPE]: type }, body })),
  );

  // A schema-valid create whose expiresAt is not in the future (contracts/CONTRACT.md create: 400).
  if (names.includes('expiresAt') && operationId === 'createApiKey') {
    faults.push(
      fc
        .integer({ min: 0, max: ctx.now })
        .map((t) => ({ fault: 'body.expiry-not-in-future', headers: json, body: JSON.stringify({ expiresAt: t }) })),
    );
  }
  return faults;
}

/** Ids that the spec's path parameter pattern rejects, ready to put in a path. */
function badIds(operationId: OperationId): fc.Arbitrary<string> {
  const param = loadSpec().byId[operationId].pathParams[0]!;
  const mutatedUuid = fc
    .tuple(fc.uuid(), fc.nat(), fc.constantFrom('insert', 'delete', 'replace', 'hyphen', 'brace'))
    .map(([id, n, how]) => {
      const i = n % id.length;
      if (how === 'insert') return id.slice(0, i) + 'a' + id.slice(i);
      if (how === 'delete') return id.slice(0, i) + id.slice(i + 1);
      if (how === 'replace') return id.slice(0, i) + 'gxz-é'[n % 5] + id.slice(i + 1);
      if (how === 'hyphen') return id.replace(/-/g, '').slice(0, i) + '-' + id.replace(/-/g, '').slice(i);
      return `{${id}}`;
    });
  const long = fc.integer({ min: 64, max: 10_240 }).map((n) => 'a'.repeat(n));
  return fc
    .oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), mutatedUuid, long)
    .filter((id) => !param.validate(id))
    .map((id) => {
      try {
        return encodeURIComponent(id);
      } catch {
        return '';
      }
    })
    .filter((encoded) => encoded !== '');
}

/** Credentials that must not authenticate: absent, garbage, a mutation of a valid key, a well-formed unknown key. */
function badCredentials(ctx: CorpusContext): fc.Arbitrary<Record<string, string>> {
  const key = ctx.callerKey;
  const mutated = fc
    .tuple(fc.integer({ min: 3, max: key.length - 1 }), fc.constantFrom(...BASE32))
    .map(([i, c]) => key.slice(0, i) + c + key.slice(i + 1))
    .filter((k) => k !== key);
  const unknownKey = fc.array(fc.constantFrom(...BASE32), { minLength: 26, maxLength: 26 }).map((chars) => `gm_${chars.join('')}`);
  const printable = fc.string({ maxLength: 60 }).map((s) => s.trim());
  return fc.oneof(
    fc.constant({}),
    printable.map((v) => ({ 'x-api-key': v })),
    mutated.map((v) => ({ 'x-api-key': v })),
    unknownKey.filter((k) => k !== key).map((v) => ({ 'x-api-key': v })),
    fc.constantFrom(key.toUpperCase(), key.slice(0, -1), `${key}a`, key.slice(3)).map((v) => ({ 'x-api-key': v })),
    fc
      .oneof(printable, unknownKey)
      .chain((v) => fc.constantFrom(`Bearer ${v}`, `Basic ${v}`, v))
      .map((v) => ({ authorization: v })),
  );
}

/** Valid bodies from the operation's own examples in openapi.yaml. */
function validBody(operationId: OperationId): fc.Arbitrary<string | undefined> {
  const body = loadSpec().byId[operationId].requestBody;
  return body ? fc.constantFrom(...Object.values(body.examples).map((e) => JSON.stringify(e))) : fc.constant(undefined);
}

/** Every fault family that applies to the operation, each with the status the contract's check order gives it. */
export function faultArbitraries(operationId: OperationId, ctx: CorpusContext): fc.Arbitrary<BadRequest>[] {
  const op = loadSpec().byId[operationId];
  const method = op.method.toUpperCase();
  const pathFor = (id: string) => op.path.replace(/\{[^}]+\}/, id);
  const hasId = op.pathParams.length > 0;
  const ownPath = pathFor(ctx.ownKeyId);
  const withBody = (headers: Record<string, string>, body: string | undefined) => ({
    headers: body === undefined ? headers : { ...headers, [CONTENT_TYPE]: 'application/json' },
    body,
  });
  const families: fc.Arbitrary<BadRequest>[] = [];

  for (const fault of bodyFaults(operationId, ctx))
    families.push(fault.map((f) => ({ ...f, operationId, method, path: ownPath, expected: 400 })));
  families.push(
    fc.tuple(badCredentials(ctx), validBody(operationId)).map(([headers, body]) => ({
      operationId,
      fault: 'auth.bad-credentials',
      method,
      path: ownPath,
      ...withBody(headers, body),
      expected: 401,
    })),
    validBody(operationId).map((body) => ({
      operationId,
      fault: 'permission.none',
      method,
      path: ownPath,
      ...withBody({ 'x-api-key': ctx.noPermissionKey }, body),
      expected: 403,
    })),
  );
  if (hasId) {
    const caller = { 'x-api-key': ctx.callerKey };
    families.push(
      fc
        .tuple(badIds(operationId), validBody(operationId))
        .map(([id, body]) => ({ operationId, fault: 'id.malformed', method, path: pathFor(id), ...withBody(caller, body), expected: 400 })),
      fc
        .tuple(fc.uuid(), fc.constantFrom('as-is', 'upper', 'no-hyphens'), validBody(operationId))
        .filter(([id]) => !ctx.knownIds.has(id))
        .map(([id, form, body]) => {
          const spelled = form === 'upper' ? id.toUpperCase() : form === 'no-hyphens' ? id.replace(/-/g, '') : id;
          return { operationId, fault: 'id.unknown', method, path: pathFor(spelled), ...withBody(caller, body), expected: 404 };
        }),
      validBody(operationId).map((body) => ({
        operationId,
        fault: 'id.someone-elses',
        method,
        path: pathFor(ctx.foreignKeyId),
        ...withBody(caller, body),
        expected: 403,
      })),
    );
  }
  return families;
}

/**
 * A reproducible corpus of invalid requests derived from openapi.yaml: the
 * request schemas (wrong types, bad enums, out-of-range values, over-long or
 * too many labels, unknown fields, mutually exclusive fields), the path
 * parameter pattern (malformed and unknown ids), the security scheme (bad
 * credentials) and the permission rules. Same seed, same corpus.
 *
 * @example
 * const corpus = badRequestCorpus(ctx, { seed: 42, perOperation: { createApiKey: 200 } });
 */
export function badRequestCorpus(
  ctx: CorpusContext,
  options: { seed: number; perOperation: Partial<Record<OperationId, number>> },
): BadRequest[] {
  const corpus: BadRequest[] = [];
  let seed = options.seed;
  for (const op of loadSpec().operations) {
    const numRuns = options.perOperation[op.operationId] ?? 0;
    if (numRuns === 0) continue;
    corpus.push(...fc.sample(fc.oneof(...faultArbitraries(op.operationId, ctx)), { seed: seed++, numRuns }));
  }
  return corpus;
}
