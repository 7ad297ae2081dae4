import { describe, expect, it } from 'vitest';
import { createAjv } from '../../contracts/openapi/load-spec.ts';

// createAjv() defers loading ajv and all its work to a validator's first call (start-up
// speed of the published CLI); these pin that nothing but the timing changes.
describe('validators from createAjv() compile on first use', () => {
  it('validate like eagerly compiled ones and expose the errors of the last call', () => {
    const validate = createAjv().compile({ type: 'object', required: ['name'], properties: { name: { type: 'string' } } });
    expect(validate({ name: 'x' })).toBe(true);
    expect(validate.errors).toBeNull();
    expect(validate({ name: 1 })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/name', keyword: 'type' });
    expect(validate({})).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'required' });
  });

  it('resolve references to a schema added before', () => {
    const ajv = createAjv();
    ajv.addSchema({ $id: 'doc', $defs: { id: { type: 'string', format: 'uuid' } } });
    const validate = ajv.compile({ $ref: 'doc#/$defs/id' });
    expect(validate('550e8400-e29b-41d4-a716-446655440000')).toBe(true);
    expect(validate('nope')).toBe(false);
  });

  it('refuse a schema that strict mode rejects at its first validation, not silently', () => {
    const validate = createAjv().compile({ type: 'string', notAKeyword: true });
    expect(() => validate('x')).toThrow(/notAKeyword/);
  });

  it('serve everything else ajv offers (keywords, rules, errorsText) from the real instance', () => {
    const ajv = createAjv();
    ajv.addKeyword('x-custom');
    expect(ajv.RULES.keywords['x-custom']).toBeDefined();
    const validate = ajv.compile({ type: 'integer', 'x-custom': true });
    expect(validate(1.5)).toBe(false);
    expect(ajv.errorsText(validate.errors)).toBe('data must be integer');
  });

  it('check a schema added with addSchema against the meta-schema before the first validation', () => {
    const ajv = createAjv();
    ajv.addSchema({ $id: 'bad', type: 'no-such-type' });
    const validate = ajv.compile({ type: 'string' });
    expect(() => validate('x')).toThrow(/schema is invalid/);
  });
});
