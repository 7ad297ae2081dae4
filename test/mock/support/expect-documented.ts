import { expect } from 'vitest';
import { formatErrors } from '../../../contracts/openapi/format-errors.ts';
import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';

interface ResponseLike {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

/**
 * Asserts a response is one that openapi.yaml documents for the operation:
 * documented status, JSON content type, body valid against the shared ajv
 * validator, required headers present and valid.
 */
export function expectDocumented(operationId: OperationId, res: ResponseLike, status: number): void {
  expect(res.status, `${operationId}: body ${JSON.stringify(res.body)}`).toBe(status);
  const response = loadSpec().byId[operationId].responses.get(status);
  expect(response, `${operationId} documents ${status}`).toBeDefined();
  if (response!.validate) {
    expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
    const ok = response!.validate(res.body);
    expect(ok, ok ? '' : formatErrors(response!.validate.errors, 'response body')).toBe(true);
  } else {
    expect(res.text ?? '').toBe('');
  }
  for (const header of response!.headers) {
    const value = res.headers[header.name];
    if (header.required) expect(value, `header ${header.name}`).toBeDefined();
    if (value !== undefined) expect(header.validate(value), `header ${header.name}: ${String(value)}`).toBe(true);
  }
}
