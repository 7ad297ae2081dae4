import { describe, expect, it } from 'vitest';
import { labelValueRequests, wrongTypeRequests } from '../../contracts/conformance/checks/negative-checks.ts';
import { loadSpec, type OperationId } from '../../contracts/openapi/load-spec.ts';
import { exampleOf, nonUpdatableFields, propertiesOf, requestBodySchema } from '../../contracts/openapi/request-schema.ts';

const contract = loadSpec({ layer: 'contract' });
const BODIES: OperationId[] = ['createApiKey', 'updateApiKey'];

describe("the suite's negative requests come from openapi.yaml", () => {
  it.each(BODIES)('%s: a wrong-type request for every field of the body, each refused by the contract layer', (operationId) => {
    const requests = wrongTypeRequests(operationId);
    const fields = Object.keys(propertiesOf(requestBodySchema(operationId, contract)));
    expect(fields.length).toBeGreaterThanOrEqual(3);
    for (const field of fields)
      expect(
        requests.some((r) => Object.keys(r.body as object)[0] === field),
        field,
      ).toBe(true);
    const validate = contract.byId[operationId].requestBody!.validate;
    expect(requests.filter((r) => validate(r.body))).toEqual([]);
  });

  it("demands no 400 where a lenient reader (Jackson's defaults) takes the value for the field's type", () => {
    const faults = BODIES.flatMap((op) => [...wrongTypeRequests(op), ...labelValueRequests(op)]).map((r) => r.fault);
    expect(faults).toContain('labels as a string');
    expect(faults).toContain('expiresAt as a boolean');
    expect(faults).toContain('status as an object');
    // A fraction for an integer, a number or boolean for text: read as the field's own type.
    expect(
      faults.filter((f) =>
        /^expiresAt as a number|^(status|apiKeyId) as an? (integer|number|boolean)|label value .* as an? (integer|number|boolean)/.test(f),
      ),
    ).toEqual([]);
    // Never a number sent as a string.
    const bodies = BODIES.flatMap((op) => wrongTypeRequests(op)).map((r) => JSON.stringify(r.body));
    expect(bodies.filter((b) => /":"\d+"/.test(b))).toEqual([]);
  });

  it.each(BODIES)('%s: a label value of every type a label may not hold, each refused by the contract layer', (operationId) => {
    const requests = labelValueRequests(operationId);
    expect(requests.map((r) => r.fault.replace(/ in \w+ /, ' in … '))).toEqual(
      expect.arrayContaining(['a label value in … as null', 'a label value in … as an array', 'a label value in … as an object']),
    );
    const validate = contract.byId[operationId].requestBody!.validate;
    expect(requests.filter((r) => validate(r.body))).toEqual([]);
  });

  it('names every field of a key the update does not take, each with a value valid for it where it is documented', () => {
    const fields = nonUpdatableFields(contract);
    const keyFields = Object.keys(propertiesOf(contract.document.components.schemas.ApiKeyResponse as Record<string, unknown>));
    const updatable = Object.keys(propertiesOf(requestBodySchema('updateApiKey', contract)));
    expect(Object.keys(fields).sort()).toEqual(
      [...new Set([...keyFields, 'labels', 'rawApiKey'])].filter((f) => !updatable.includes(f)).sort(),
    );
    const key = contract.schema('ApiKeyResponse');
    const example = contract.byId.createApiKey.responses.get(201)!.example as { apiKeyMetadata: Record<string, unknown> };
    for (const [field, node] of Object.entries(fields)) {
      if (!keyFields.includes(field)) continue;
      expect(key({ ...example.apiKeyMetadata, [field]: exampleOf(node, contract) }), field).toBe(true);
    }
  });
});
