import type { IncomingMessage } from 'node:http';
import { fieldErrors, formatErrors } from '../../contracts/openapi/format-errors.ts';
import type { CompiledOperation, Spec } from '../../contracts/openapi/load-spec.ts';
import { errors } from '../service/api-error.ts';
import type { ApiKeyService } from '../service/api-key-service.ts';
import type { MockChoices } from '../service/mock-choices.ts';
import { canonicalId } from './canonical-id.ts';
import type { FaultRegistry } from './fault-registry.ts';
import { forcedReply, realWait, type Wait } from './forced-reply.ts';
import type { Logger } from './logger.ts';
import { readApiKey } from './read-api-key.ts';
import { numericStrings } from './numeric-strings.ts';
import { readJsonBody, V1_BODY_LIMIT } from './read-json-body.ts';
import type { ErrorReplier, PipelineReply } from './reply.ts';
import { toApiError } from './to-api-error.ts';
import { v1Operations } from './v1-operations.ts';

export interface V1PipelineOptions {
  spec: Spec;
  service: ApiKeyService;
  faults: FaultRegistry;
  choices: MockChoices;
  logger: Logger;
  /** Turns an error into the error body the choices ask for (reply.ts). */
  errorReply: ErrorReplier;
  /** How injected latency is waited out (default: a timer). */
  wait?: Wait;
}

/**
 * The one `/v1` request pipeline: given a request, the reply; null when the
 * path is not one of openapi.yaml's (the caller answers that: control plane, 404).
 * Both adapters call it — the node:http front for real sockets and Express
 * for `supertest(mock.app)` — so every rule, limit and message lives here once.
 */
export type V1Pipeline = (req: IncomingMessage) => PipelineReply | Promise<PipelineReply> | null;

interface Route {
  match: (pathname: string) => Record<string, string> | null;
  byMethod: Map<string, CompiledOperation>;
  allow: string[];
}

/** What a body goes through before it is validated: numbers sent as strings read as numbers (or refused). */
type Coerce = (body: unknown) => unknown;

/**
 * Route from the spec → Prefer/faults → authenticate (401) → canonical path id
 * (400) → body: read, decode, parse, validate (400/413) → the operation table
 * (the service's 403/404/409) → reply; every error through the one catalog.
 * That is the contract's check order (contracts/CONTRACT.md "Operations").
 *
 * @example
 * const v1 = createV1Pipeline({ spec, service, faults, choices, logger });
 * const reply = v1(req);
 * if (reply) writeReply(req, res, await reply);
 */
export function createV1Pipeline(options: V1PipelineOptions): V1Pipeline {
  const { spec, service, faults, choices, logger, errorReply, wait = realWait } = options;
  const table = v1Operations(service);
  const coerce = new Map<string, Coerce>(spec.operations.map((op) => [op.operationId, numericStrings(spec, op, choices.numericStrings)]));
  const routes: Route[] = spec.paths.map(({ path, methods }) => {
    const ops = spec.operations.filter((op) => op.path === path);
    return { match: ops[0]!.match, byMethod: new Map(ops.map((op) => [op.method.toUpperCase(), op])), allow: methods };
  });

  const fail = (error: unknown): PipelineReply => errorReply(toApiError(error, logger));

  /**
   * Synchronous as long as nothing waits (a list, a 401, a 400 id): the reply
   * then costs no promise; a body, a write or a fault makes it a promise.
   */
  function run(
    req: IncomingMessage,
    op: CompiledOperation,
    pathname: string,
    params: Record<string, string>,
    forcedChecked = false,
  ): PipelineReply | Promise<PipelineReply> {
    try {
      if (!forcedChecked && (req.headers.prefer !== undefined || faults.size > 0)) {
        return forcedReply(op, req, pathname, faults, wait).then((forced) => forced ?? run(req, op, pathname, params, true), fail);
      }
      const principal = service.authenticate(readApiKey(req, choices.bearer));
      const id = op.pathParams.length > 0 ? canonicalId(op, params.id ?? '') : '';
      const origin = locationOrigin(req);
      const reply = op.requestBody
        ? validBody(req, op).then((body) => table[op.operationId]({ principal, id, body, origin }))
        : table[op.operationId]({ principal, id, body: undefined, origin });
      return reply instanceof Promise ? reply.catch(fail) : reply;
    } catch (error) {
      return fail(error);
    }
  }

  async function validBody(req: IncomingMessage, op: CompiledOperation): Promise<unknown> {
    const schema = op.requestBody!;
    let body = await readJsonBody(req, { limit: V1_BODY_LIMIT, required: schema.required });
    if (body === undefined) return undefined;
    // The other legal way of the unknown-fields "mock's choice": drop them, on every body.
    if (choices.unknownFields === 'ignored' && typeof body === 'object' && body !== null && !Array.isArray(body))
      body = Object.fromEntries(Object.entries(body).filter(([name]) => schema.properties.includes(name)));
    body = coerce.get(op.operationId)!(body);
    if (!schema.validate(body))
      throw errors.invalidBody(formatErrors(schema.validate.errors, 'request body'), fieldErrors(schema.validate.errors) ?? undefined);
    return body;
  }

  /**
   * Where the create's Location points from (a legal choice): '' for the
   * relative form; with `location: 'absolute'`, `http://` and the request's
   * Host, as a server behind no proxy builds it (a request without Host gets
   * the relative form).
   */
  function locationOrigin(req: IncomingMessage): string {
    return choices.location === 'absolute' && req.headers.host ? `http://${req.headers.host}` : '';
  }

  /** A method the path does not have: 405 with Allow, or 404 like an unknown path (Javalin's default), per the choice. */
  function wrongMethod(method: string, pathname: string, route: Route): PipelineReply {
    if (choices.wrongMethod === 404) return errorReply(errors.routeNotFound(method, pathname));
    if (method === 'OPTIONS') return { status: 204, headers: { Allow: route.allow.join(', ') } };
    return errorReply(errors.methodNotAllowed(method, route.allow));
  }

  return (req) => {
    const url = req.url ?? '';
    const query = url.indexOf('?');
    const pathname = query < 0 ? url : url.slice(0, query);
    for (const route of routes) {
      const params = route.match(pathname);
      if (!params) continue;
      const method = req.method ?? '';
      // HEAD is GET without the body (Node drops it); OPTIONS lists the methods (where 405 is the choice).
      const op = route.byMethod.get(method === 'HEAD' ? 'GET' : method);
      if (op) return run(req, op, pathname, params);
      return wrongMethod(method, pathname, route);
    }
    return null;
  };
}
