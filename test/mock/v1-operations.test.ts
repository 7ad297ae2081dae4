import { describe, expect, it } from 'vitest';
import { loadSpec } from '../../contracts/openapi/load-spec.ts';
import { v1Operations } from '../../mock/http/v1-operations.ts';
import { testMock } from '../support/running-mock.ts';

describe('the /v1 operation table', () => {
  it('has exactly one handler per operationId of openapi.yaml', async () => {
    const mock = await testMock();
    const table = v1Operations(mock.service);
    expect(Object.keys(table).sort()).toEqual(
      loadSpec()
        .operations.map((op) => op.operationId)
        .sort(),
    );
  });

  it('does not type-check without a handler for every operation (checked by tsc in npm run lint)', async () => {
    const { createApiKey, listApiKeys, updateApiKey } = v1Operations((await testMock()).service);
    // @ts-expect-error deleteApiKey has no handler: a table missing an operation is a type error.
    const incomplete: ReturnType<typeof v1Operations> = { createApiKey, listApiKeys, updateApiKey };
    expect(Object.keys(incomplete)).toHaveLength(3);
  });
});
