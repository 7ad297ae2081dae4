import type { Request } from 'express';
import { formatErrors } from '../../contracts/spec/format-errors.ts';
import type { CompiledOperation } from '../../contracts/spec/load-spec.ts';
import { errors } from '../service/api-error.ts';

/**
 * The request body, validated against the operation's schema in openapi.yaml.
 * Runs after express.json (which only parses `application/json`), so a body
 * that is still unparsed here was sent with another content type.
 *
 * `ignoreUnknownFields` is the other legal way of API-CONTRACT.md's "mock's
 * choice": unknown top-level fields are dropped before validation.
 */
export function validatedBody(req: Request, op: CompiledOperation, ignoreUnknownFields: boolean): unknown {
  const spec = op.requestBody;
  if (!spec) return undefined;
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (!req.is('application/json') && !req.is('application/*+json')) {
    if (hasBody) throw errors.invalidBody(`request body must be application/json, got ${req.headers['content-type'] ?? 'no Content-Type'}`);
    if (spec.required) throw errors.invalidBody('request body is required: send a JSON object, e.g. {}');
    return undefined;
  }
  if (!hasBody && spec.required) throw errors.invalidBody('request body is required: send a JSON object, e.g. {}');
  let body: unknown = req.body;
  if (ignoreUnknownFields && isPlainObject(body)) {
    body = Object.fromEntries(Object.entries(body).filter(([name]) => spec.properties.includes(name)));
  }
  if (!spec.validate(body)) throw errors.invalidBody(formatErrors(spec.validate.errors, 'request body'));
  return body;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
