import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';

type Schema = Parameters<Ajv2020['compile']>[0];
type AddSchemaArgs = Parameters<Ajv2020['addSchema']>;

/**
 * An ajv instance that costs nothing until it validates. Loading ajv (some 90 modules),
 * checking added schemas against the JSON Schema 2020-12 meta-schema and compiling every
 * validator of the spec, the control plane, the seed and the store file were most of the
 * mock's cold start, while a request uses few validators or none (the published CLI's
 * target: ≤ 300 ms from spawn to the first answer). So `create` runs on first real use;
 * `addSchema` calls wait for it; `compile` returns at once and compiles on the validator's
 * first call. Anything else (`addKeyword`, `RULES`, …) creates the instance and goes to it.
 * The price: a schema that ajv refuses fails at the first validation instead of at load;
 * `npm test` uses every validator.
 *
 * @example
 * const ajv = lazyAjv(() => new Ajv2020()); // ajv not loaded yet if `create` requires it
 * const validate = ajv.compile({ type: 'string' }); // nothing compiled yet
 * validate(42); // creates, compiles → false, validate.errors set
 */
export function lazyAjv(create: () => Ajv2020): Ajv2020 {
  let real: Ajv2020 | undefined;
  const pending: AddSchemaArgs[] = [];
  const instance = (): Ajv2020 => {
    if (!real) {
      real = create();
      for (const args of pending.splice(0)) real.addSchema(...args);
    }
    return real;
  };
  const compile = (schema: Schema, meta?: boolean): ValidateFunction => {
    let compiled: ValidateFunction | undefined;
    const validate = function (this: unknown, data: unknown, context?: Parameters<ValidateFunction>[1]) {
      compiled ??= instance().compile(schema, meta);
      const valid = compiled.call(this, data, context);
      validate.errors = compiled.errors;
      return valid;
    } as ValidateFunction;
    return validate;
  };
  const addSchema = (...args: AddSchemaArgs): Ajv2020 => {
    if (real) real.addSchema(...args);
    else pending.push(args);
    return proxy;
  };
  const proxy: Ajv2020 = new Proxy({} as Ajv2020, {
    get(_target, property) {
      if (property === 'compile') return compile;
      if (property === 'addSchema') return addSchema;
      const target = instance();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    set: (_target, property, value) => Reflect.set(instance(), property, value),
    has: (_target, property) => Reflect.has(instance(), property),
  });
  return proxy;
}
