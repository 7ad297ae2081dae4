import { describe, expect, it } from 'vitest';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { collectExamples } from './support/collect-examples.ts';

// Prism's static mock answers with these examples, so a wrong one is a wrong mock.
const spec = loadSpec();
const withRequestBody = spec.operations.filter((op) => op.requestBody).map((op) => [op.operationId, op] as const);
const withResponseBody = spec.operations.flatMap((op) =>
  [...op.responses.values()].filter((r) => r.validate).map((r) => [op.operationId, r.status, r] as const),
);

describe('the examples of openapi.yaml', () => {
  it.each(withRequestBody)('%s documents request body examples, each valid against the request schema', (_id, op) => {
    const examples = Object.entries(op.requestBody!.examples);
    expect(examples.length).toBeGreaterThan(0);
    for (const [name, value] of examples) {
      const ok = op.requestBody!.validate(value);
      expect(ok, `example ${name}: ${formatErrors(op.requestBody!.validate.errors, 'request body')}`).toBe(true);
    }
  });

  it.each(withResponseBody)('%s %i documents a response example, each valid against the response schema', (_id, _status, response) => {
    const examples = Object.entries(response.examples);
    expect(examples.length).toBeGreaterThan(0);
    for (const [name, value] of examples) {
      const ok = response.validate!(value);
      expect(ok, `example ${name}: ${formatErrors(response.validate!.errors, 'response body')}`).toBe(true);
    }
  });

  it('documents a JSON body for every status that can carry one (all but 204), so Prism always has an example to serve', () => {
    // RFC 9110 §15.3.5: a 204 has no content; every other answer of this API is JSON (contracts/CONTRACT.md "Transport").
    const withoutBody = spec.operations.flatMap((op) =>
      [...op.responses.values()].filter((r) => !r.validate && r.status !== 204).map((r) => `${op.operationId} ${r.status}`),
    );
    expect(withoutBody).toEqual([]);
  });

  it('has no example anywhere (parameters, headers, media types, schemas) that its own schema rejects', () => {
    const examples = collectExamples(spec.document);
    // At least every media-type example above, plus the parameter, header and schema ones.
    expect(examples.length).toBeGreaterThan(withRequestBody.length + withResponseBody.length);
    const invalid = examples.filter((e) => !e.validate(e.value)).map((e) => `${e.where}: ${formatErrors(e.validate.errors, 'example')}`);
    expect(invalid).toEqual([]);
  });

  it('finds and rejects a bad example in a header, a parameter and a schema (the check above can fail)', () => {
    const document = {
      openapi: '3.1.0',
      paths: {
        '/x/{id}': {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' }, example: 'not-a-uuid' }],
          get: {
            responses: {
              '200': { description: 'ok', headers: { Location: { schema: { type: 'string', pattern: '^/v1/' }, example: '/v2/x' } } },
            },
          },
        },
      },
      components: { schemas: { Ms: { type: 'integer', examples: ['2026-01-01T00:00:00Z'] } } },
    };
    const invalid = collectExamples(document)
      .filter((e) => !e.validate(e.value))
      .map((e) => e.where);
    expect(invalid).toEqual([
      '/paths/~1x~1{id}/parameters/0/example',
      '/paths/~1x~1{id}/get/responses/200/headers/Location/example',
      '/components/schemas/Ms/examples/0',
    ]);
  });
});
