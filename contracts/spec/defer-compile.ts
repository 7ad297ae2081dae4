import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';

/**
 * Makes `ajv.compile` return at once and compile on the validator's first call, and
 * `ajv.addSchema` postpone its check against the meta-schema (which compiles the large
 * JSON Schema 2020-12 meta-schema) to that same moment. Compiling every validator of
 * the spec, the control plane, the seed and the store file up front was about half of
 * the mock's cold start, and a request uses only a few of them (the published CLI's
 * target is ≤ 300 ms from spawn to the first answer). The price: a schema that ajv
 * refuses fails at the first validation instead of at load; `npm test` uses every
 * validator.
 *
 * @example
 * const ajv = deferCompile(new Ajv2020());
 * const validate = ajv.compile({ type: 'string' }); // nothing compiled yet
 * validate(42); // compiles now → false, validate.errors set
 */
export function deferCompile(ajv: Ajv2020): Ajv2020 {
  const compileNow = ajv.compile.bind(ajv);
  const addSchemaNow = ajv.addSchema.bind(ajv);
  const unchecked: Parameters<typeof addSchemaNow>[0][] = [];
  ajv.addSchema = ((schema: Parameters<typeof addSchemaNow>[0], key?: string, meta?: boolean, check = ajv.opts.validateSchema) => {
    if (meta || !check) return addSchemaNow(schema, key, meta, check);
    unchecked.push(...(Array.isArray(schema) ? schema : [schema]));
    return addSchemaNow(schema, key, meta, false);
  }) as Ajv2020['addSchema'];
  ajv.compile = ((schema: Parameters<typeof compileNow>[0], meta?: boolean) => {
    let compiled: ValidateFunction | undefined;
    const validate = function (this: unknown, data: unknown, context?: Parameters<ValidateFunction>[1]) {
      if (!compiled) {
        for (const added of unchecked.splice(0)) ajv.validateSchema(added, true);
        compiled = compileNow(schema, meta);
      }
      const valid = compiled.call(this, data, context);
      validate.errors = compiled.errors;
      return valid;
    } as ValidateFunction;
    return validate;
  }) as Ajv2020['compile'];
  return ajv;
}
