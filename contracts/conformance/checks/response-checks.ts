import { formatErrors } from '../../openapi/format-errors.ts';
import type { Spec } from '../../openapi/load-spec.ts';
import { CheckFailure } from '../check-failure.ts';
import type { ResponseCheck, ResponseCheckContext } from '../check-definition.ts';
import { describeResponse, pathOf, truncate, type Exchange } from '../http-exchange.ts';
import { locationPath } from '../location-path.ts';
import { where } from '../expect.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function documented(exchange: Exchange, spec: Spec) {
  return exchange.operationId ? spec.byId[exchange.operationId].responses.get(exchange.status) : undefined;
}

/** The status is one that openapi.yaml documents for the operation. */
export const statusCodeConformance: ResponseCheck = {
  name: 'status_code_conformance',
  rule: 'Responses',
  family: 'response',
  description: 'Every response has a status code documented for its operation.',
  apply(ctx, exchange) {
    if (!exchange.operationId) return;
    const statuses = ctx.contract.byId[exchange.operationId].statuses;
    if (statuses.includes(exchange.status)) return;
    throw new CheckFailure({
      operation: where(exchange),
      expected: `one of the documented statuses ${statuses.join(', ')}`,
      actual: describeResponse(exchange),
      hint: 'openapi.yaml lists every status this operation may answer with',
    });
  },
};

/** A documented JSON body comes as JSON; a documented empty response (204) has no body; errors are JSON. */
export const contentTypeConformance: ResponseCheck = {
  name: 'content_type_conformance',
  rule: 'Responses',
  family: 'response',
  description: 'Bodies are sent as application/json (errors too, never HTML); a 204 has no body.',
  apply(ctx, exchange) {
    const response = documented(exchange, ctx.contract);
    const type = exchange.headers.get('content-type');
    const wantsJson = response ? response.validate !== undefined : exchange.status >= 400;
    if (wantsJson && !(type && JSON_TYPE.test(type))) {
      throw new CheckFailure({
        operation: where(exchange),
        expected: 'Content-Type application/json',
        actual: `${type ?? 'no Content-Type'}: ${truncate(exchange.text, 120)}`,
        hint: 'JSON in and out; every error is a JSON object with a message, with a JSON content type',
      });
    }
    if (response && !response.validate && exchange.text !== '') {
      throw new CheckFailure({
        operation: where(exchange),
        expected: `an empty body (${exchange.status} documents none)`,
        actual: describeResponse(exchange),
      });
    }
  },
};

/** The validator for a response's body in one layer: the documented schema, or `Error` for an undocumented error. */
function bodyValidator(exchange: Exchange, spec: Spec) {
  const response = documented(exchange, spec);
  return response ? response.validate : exchange.status >= 400 ? spec.schema('Error') : undefined;
}

/**
 * The body validates against the documented schema (ajv, strict formats); undocumented errors against `Error`.
 * Every server against the contract layer; with --mock also against the full layer as the choices the
 * mock is held to make it (a profile's non-default value lifts the x-mock-choice keywords it overrides).
 */
export const responseSchemaConformance: ResponseCheck = {
  name: 'response_schema_conformance',
  rule: 'Responses',
  family: 'response',
  description: "Every body is valid against the schema openapi.yaml documents for that status (with --mock, the mock's choices too).",
  apply(ctx: ResponseCheckContext, exchange) {
    validateBody(exchange, ctx.contract, 'the contract layer');
    if (ctx.full) validateBody(exchange, ctx.full, "the mock's choices (x-mock-choice)");
  },
};

function validateBody(exchange: Exchange, spec: Spec, layer: string): void {
  {
    const validate = bodyValidator(exchange, spec);
    if (!validate) return;
    if (exchange.json === undefined) {
      throw new CheckFailure({
        operation: where(exchange),
        expected: 'a JSON body',
        actual: describeResponse(exchange),
        hint: 'the body is not parseable JSON',
      });
    }
    if (validate(exchange.json)) return;
    throw new CheckFailure({
      operation: where(exchange),
      expected: `a body valid against the ${exchange.status} schema of ${layer}`,
      actual: `${formatErrors(validate.errors, 'response body')}: ${truncate(exchange.text, 200)}`,
    });
  }
}

/**
 * Required headers are present and valid (with --mock, also against the mock's choices);
 * `Location` names the key just created, absolute or relative.
 */
export const responseHeadersConformance: ResponseCheck = {
  name: 'response_headers_conformance',
  rule: 'Responses',
  family: 'response',
  description: 'Documented headers are present and valid; Location on 201 points at the new key (absolute or relative).',
  apply(ctx, exchange) {
    validateHeaders(exchange, ctx.contract, 'openapi.yaml');
    if (ctx.full) validateHeaders(exchange, ctx.full, "the mock's choices (x-mock-choice)");
    const location = exchange.headers.get('location');
    const id = (exchange.json as { apiKeyMetadata?: { apiKeyId?: unknown } } | undefined)?.apiKeyMetadata?.apiKeyId;
    if (exchange.operationId === 'createApiKey' && exchange.status === 201 && location !== null && typeof id === 'string') {
      // The created key's resource is the path of its update/delete (the spec's links), once
      // the Location is resolved against the URL of the request (RFC 9110 §10.2.2).
      const expected = pathOf('updateApiKey', id);
      if (locationPath(location, `${ctx.baseUrl}${exchange.path}`) !== expected) {
        throw new CheckFailure({
          operation: where(exchange),
          expected: `Location naming ${expected} (the new key), as a path or an absolute URL`,
          actual: `Location: ${location}`,
        });
      }
    }
  },
};

function validateHeaders(exchange: Exchange, spec: Spec, layer: string): void {
  const response = documented(exchange, spec);
  if (!response) return;
  for (const header of response.headers) {
    const value = exchange.headers.get(header.name);
    if (value === null) {
      if (!header.required) continue;
      throw new CheckFailure({ operation: where(exchange), expected: `header ${header.name}`, actual: 'no such header' });
    }
    if (!header.validate(value)) {
      throw new CheckFailure({
        operation: where(exchange),
        expected: `header ${header.name} valid against ${layer}`,
        actual: `${header.name}: ${value} (${formatErrors(header.validate.errors, `header ${header.name}`)})`,
      });
    }
  }
}

/** No request, however wrong, is answered with a 5xx. */
export const notAServerError: ResponseCheck = {
  name: 'not_a_server_error',
  rule: 'Bad requests',
  family: 'negative',
  description: 'No request, valid or not, is answered with a 5xx.',
  apply(_ctx, exchange) {
    if (exchange.status < 500) return;
    throw new CheckFailure({
      operation: where(exchange),
      expected: 'a 2xx or a documented 4xx',
      actual: describeResponse(exchange),
      hint: 'bad input is a client error (400), never a server error',
    });
  },
};

/** A raw key appears in the create response that made it and in no other response. */
export const rawKeyNeverRepeated: ResponseCheck = {
  name: 'raw_key_never_repeated',
  rule: 'Key material',
  family: 'behaviour',
  description: 'The raw key is shown once, in its create response, and never again in any other response (so no two keys share one).',
  apply(ctx, exchange) {
    for (const [rawKey, shownIn] of ctx.rawKeys) {
      if (shownIn === exchange.sequence || !exchange.text.includes(rawKey)) continue;
      throw new CheckFailure({
        operation: where(exchange),
        expected: `no raw key in the response (${rawKey.slice(0, 8)}… was shown when it was created)`,
        actual: describeResponse(exchange),
        hint: 'the raw key is returned exactly once',
      });
    }
  },
};

export const responseChecks: readonly ResponseCheck[] = [
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  responseHeadersConformance,
  notAServerError,
  rawKeyNeverRepeated,
];
