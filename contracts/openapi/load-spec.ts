import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv2020, ValidateFunction } from 'ajv/dist/2020.js';
import { lazyAjv } from './lazy-ajv.ts';
import { parseSpecText as parse } from './parsed-spec-cache.ts';
import { liftedConstraints, type ServerChoices } from '../common/server-choices.ts';
import type { operations } from '../generated/openapi.js';
import { specPath } from './spec-path.ts';
import { applyLayer, type SpecLayer } from './spec-layer.ts';

export type { SpecLayer } from './spec-layer.ts';

/** The operationIds of `openapi.yaml`, taken from the generated types. */
export type OperationId = keyof operations;
export type HttpMethod = 'get' | 'post' | 'put' | 'delete' | 'patch' | 'head' | 'options';

export interface CompiledHeader {
  name: string;
  required: boolean;
  validate: ValidateFunction;
}

export interface CompiledResponse {
  status: number;
  description: string;
  /** Validates a JSON body; absent when the response documents no body (204). */
  validate?: ValidateFunction;
  headers: CompiledHeader[];
  /** The first documented example body, which Prism would also serve. */
  example?: unknown;
  /** Every documented example body, by name. */
  examples: Record<string, unknown>;
}

export interface CompiledOperation {
  operationId: OperationId;
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/v1/apikeys/{id}`. */
  path: string;
  /** The same path in Express syntax, e.g. `/v1/apikeys/:id`. */
  expressPath: string;
  pathParams: { name: string; validate: ValidateFunction }[];
  requestBody?: {
    required: boolean;
    validate: ValidateFunction;
    examples: Record<string, unknown>;
    /** The body schema's top-level property names. */
    properties: string[];
  };
  responses: Map<number, CompiledResponse>;
  /** The documented status codes, ascending. */
  statuses: number[];
  /** Returns the path parameters when `pathname` matches this operation's path. */
  match(pathname: string): Record<string, string> | null;
}

export interface Spec {
  /** The document as this layer sees it (`x-mock-choice` blocks merged in or dropped). */
  document: OpenApiDocument;
  /** `full` (contract + mock's choice, what the mock enforces) or `contract` (what any correct server does). */
  layer: SpecLayer;
  operations: CompiledOperation[];
  byId: Record<OperationId, CompiledOperation>;
  /** Each path with the methods it documents, upper-case (for `Allow`). */
  paths: { path: string; expressPath: string; methods: string[] }[];
  /** A validator for `#/components/schemas/<name>`. */
  schema(name: string): ValidateFunction;
}

// Only the parts of an OpenAPI 3.1 document this loader reads.
interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> } & Record<string, unknown>;
  [key: string]: unknown;
}
interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface ResponseObject {
  description: string;
  headers?: Record<string, { required?: boolean; schema?: unknown; $ref?: string }>;
  content?: Record<string, MediaType>;
}
interface ParameterObject {
  name: string;
  in: string;
  schema?: unknown;
}

const HTTP_METHODS: HttpMethod[] = ['get', 'post', 'put', 'delete', 'patch', 'head', 'options'];
// `$id` under which the document's components are registered with ajv, so the
// spec's own `#/components/schemas/...` references resolve unchanged.
const SPEC_ID = 'openapi.yaml';
const cache = new Map<string, Spec>();

export interface LoadSpecOptions {
  /** Another OpenAPI file; default the project's `openapi.yaml`. */
  file?: string;
  /** Default `full`: the contract plus the mock's choices (contracts/CONTRACT.md "Two layers"). */
  layer?: SpecLayer;
  /**
   * The legal choices a mock takes (contracts/common/server-choices.ts); full layer only.
   * Every `x-mock-choice` keyword a non-default value overrides is left out, and only
   * those: the full layer a mock with these choices enforces and is judged by.
   */
  choices?: Partial<ServerChoices>;
}

/**
 * Parses `openapi.yaml` once and compiles every validator the mock, the
 * conformance suite and the tests need. Without options: the full layer
 * (contract + mock's choice), which the mock enforces. Cached per file and
 * layer: call it freely.
 *
 * @example
 * const spec = loadSpec();
 * const validate = spec.byId.createApiKey.responses.get(201)!.validate!;
 * validate(body) || console.log(formatErrors(validate.errors, 'response body'));
 * const contract = loadSpec({ layer: 'contract' }); // what any correct server must satisfy
 * const likeStaging = loadSpec({ choices: { location: 'absolute' } }); // the full layer, Location's x-mock-choice pattern lifted
 */
export function loadSpec(options: string | LoadSpecOptions = {}): Spec {
  const { file = specPath, layer = 'full', choices = {} } = typeof options === 'string' ? { file: options } : options;
  const lifted = layer === 'full' ? liftedConstraints(choices) : [];
  // Choices that lift the same keywords share one compiled spec.
  const key = `${layer}:${file}:${JSON.stringify(lifted)}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const document = applyLayer(parse(readFileSync(file, 'utf8')) as OpenApiDocument, layer, lifted);
  const spec = compile(document, layer);
  cache.set(key, spec);
  return spec;
}

/**
 * One ajv instance configured for OpenAPI 3.1 (JSON Schema 2020-12) with formats;
 * ajv is loaded and the instance built on first use (lazy-ajv.ts: start-up time).
 */
export function createAjv(): Ajv2020 {
  return lazyAjv(() => {
    const require = createRequire(import.meta.url);
    const { Ajv2020: Ajv } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
    const addFormats = require('ajv-formats') as { default: (ajv: Ajv2020) => unknown };
    const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, verbose: true });
    // OpenAPI keywords that may sit beside JSON Schema keywords.
    ajv.addVocabulary(['components', 'example', 'discriminator', 'xml', 'externalDocs']);
    addFormats.default(ajv);
    return ajv;
  });
}

function compile(document: OpenApiDocument, layer: SpecLayer): Spec {
  const ajv = createAjv();
  ajv.addSchema({ $id: SPEC_ID, components: { schemas: document.components.schemas } });
  const validators = new Map<string, ValidateFunction>();
  const compileSchema = (schema: unknown): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(rebase(schema) as object);
      validators.set(key, validate);
    }
    return validate;
  };
  const resolve = <T>(value: unknown): T => {
    const ref = (value as { $ref?: string } | undefined)?.$ref;
    if (!ref) return value as T;
    if (!ref.startsWith('#/')) throw new Error(`openapi.yaml: only local references are supported, got ${ref}`);
    let node: unknown = document;
    for (const part of ref.slice(2).split('/')) node = (node as Record<string, unknown>)[part];
    if (node === undefined) throw new Error(`openapi.yaml: unresolved reference ${ref}`);
    return resolve<T>(node);
  };

  const operations: CompiledOperation[] = [];
  const paths: Spec['paths'] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    const expressPath = path.replace(/\{([^}]+)\}/g, ':$1');
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, '(?<$1>[^/]+)')}/?$`);
    const shared = ((item.parameters as unknown[]) ?? []).map((p) => resolve<ParameterObject>(p));
    const methods: string[] = [];
    for (const method of HTTP_METHODS) {
      const op = item[method] as Record<string, unknown> | undefined;
      if (!op) continue;
      methods.push(method.toUpperCase());
      const params = [...shared, ...((op.parameters as unknown[]) ?? []).map((p) => resolve<ParameterObject>(p))];
      const body = op.requestBody ? resolve<{ required?: boolean; content: Record<string, MediaType> }>(op.requestBody) : undefined;
      const json = body?.content['application/json'];
      const responses = new Map<number, CompiledResponse>();
      for (const [status, raw] of Object.entries(op.responses as Record<string, unknown>)) {
        const response = resolve<ResponseObject>(raw);
        const media = response.content?.['application/json'];
        const examples = examplesOf(media);
        responses.set(Number(status), {
          status: Number(status),
          description: response.description,
          validate: media?.schema ? compileSchema(media.schema) : undefined,
          headers: Object.entries(response.headers ?? {}).map(([name, header]) => {
            const h = resolve<{ required?: boolean; schema?: unknown }>(header);
            return { name: name.toLowerCase(), required: h.required === true, validate: compileSchema(h.schema ?? {}) };
          }),
          example: Object.values(examples)[0],
          examples,
        });
      }
      operations.push({
        operationId: op.operationId as OperationId,
        method,
        path,
        expressPath,
        pathParams: params.filter((p) => p.in === 'path').map((p) => ({ name: p.name, validate: compileSchema(p.schema ?? {}) })),
        requestBody: json?.schema
          ? {
              required: body?.required === true,
              validate: compileSchema(json.schema),
              examples: examplesOf(json),
              properties: Object.keys(resolve<{ properties?: object }>(json.schema).properties ?? {}),
            }
          : undefined,
        responses,
        statuses: [...responses.keys()].sort((a, b) => a - b),
        match(pathname) {
          const m = pattern.exec(pathname);
          if (!m) return null;
          try {
            return Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
          } catch {
            return Object.fromEntries(Object.entries(m.groups ?? {}));
          }
        },
      });
    }
    paths.push({ path, expressPath, methods });
  }
  const byId = Object.fromEntries(operations.map((op) => [op.operationId, op])) as Record<OperationId, CompiledOperation>;
  return {
    document,
    layer,
    operations,
    byId,
    paths,
    schema: (name) => {
      if (!document.components.schemas[name]) throw new Error(`openapi.yaml has no schema ${name}`);
      return compileSchema({ $ref: `#/components/schemas/${name}` });
    },
  };
}

function examplesOf(media: MediaType | undefined): Record<string, unknown> {
  if (!media) return {};
  if (media.examples) return Object.fromEntries(Object.entries(media.examples).map(([name, ex]) => [name, ex.value]));
  return media.example === undefined ? {} : { example: media.example };
}

/** Points the spec's local `#/components/...` references at the registered document. */
function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([key, value]) =>
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? [key, `${SPEC_ID}${value}`] : [key, rebase(value)],
    ),
  );
}
