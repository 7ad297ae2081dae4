import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CompiledOperation, OperationId, Spec } from '../../contracts/spec/load-spec.ts';
import { errors } from '../service/api-error.ts';
import { formatErrors } from '../../contracts/spec/format-errors.ts';
import { toApiError } from './error-handler.ts';
import type { Logger } from './logger.ts';
import type { ApiKeyService } from '../service/api-key-service.ts';
import type { MockChoices } from '../service/mock-choices.ts';
import type { FaultRegistry } from './fault-registry.ts';
import { canonicalId } from './canonical-id.ts';
import { readApiKey } from './read-api-key.ts';

const BODY_LIMIT = 1024 * 1024;
const JSON_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

/**
 * The common case of every /v1 operation on plain node:http, in front of
 * Express: the same service calls, validators and `{error}` answers, without
 * Express's router, req/res decoration and body-parser. It declines (returns
 * false, nothing read or written) whenever the request needs anything else —
 * a Prefer header, an injected fault, a body that is not plain JSON with a
 * Content-Length, an unknown route or method — and Express answers as today.
 */
export function fastV1(options: { spec: Spec; service: ApiKeyService; faults: FaultRegistry; choices: MockChoices; logger: Logger }) {
  const { spec, service, faults, choices, logger } = options;
  const byMethod = new Map<string, CompiledOperation[]>();
  for (const op of spec.operations) {
    const list = byMethod.get(op.method.toUpperCase()) ?? [];
    list.push(op);
    byMethod.set(op.method.toUpperCase(), list);
  }
  const send = (res: ServerResponse, status: number, body: unknown, location?: string) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
    };
    if (location) headers.Location = location;
    res.writeHead(status, headers);
    res.end(text);
  };
  const fail = (res: ServerResponse, error: unknown) => {
    const e = toApiError(error, logger);
    send(res, e.status, { error: e.message });
  };

  return function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = req.url ?? '';
    // Anything unusual is Express's: Prefer, faults, a missing Host (its 400), HEAD/OPTIONS, other paths.
    if (!url.startsWith('/v1/') || req.headers.prefer !== undefined || faults.size > 0 || req.headers.host === undefined) return false;
    const q = url.indexOf('?');
    const pathname = q < 0 ? url : url.slice(0, q);
    let op: CompiledOperation | undefined;
    let params: Record<string, string> | null = null;
    for (const candidate of byMethod.get(req.method ?? '') ?? []) {
      params = candidate.match(pathname);
      if (params) {
        op = candidate;
        break;
      }
    }
    if (!op || !params) return false;
    const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0';
    // Chunked or compressed bodies: body-parser's job (inflate, or its 415 for an unknown encoding).
    if (req.headers['transfer-encoding'] !== undefined || req.headers['content-encoding'] !== undefined) return false;
    if (op.requestBody) {
      if (!hasBody || !JSON_TYPE.test(req.headers['content-type'] ?? '') || Number(req.headers['content-length']) > BODY_LIMIT)
        return false;
    } else if (hasBody) return false;
    const operation = op;
    const id = params.id ?? '';
    try {
      // The contract's order: authentication, then the id, then the body.
      const principal = service.authenticate(readApiKey(req));
      const canonical = operation.pathParams.length > 0 ? canonicalId(operation, id) : '';
      if (!operation.requestBody) {
        run(operation.operationId, principal, canonical, undefined, res).catch((error) => fail(res, error));
        return true;
      }
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch (error) {
          fail(res, errors.invalidBody(`request body is not valid JSON: ${(error as Error).message}`));
          return;
        }
        if (!choices.rejectUnknownFields && typeof body === 'object' && body !== null && !Array.isArray(body)) {
          body = Object.fromEntries(Object.entries(body).filter(([name]) => operation.requestBody!.properties.includes(name)));
        }
        if (!operation.requestBody!.validate(body)) {
          // The wording comes from the shared formatter, as in request-body.ts.
          fail(res, errors.invalidBody(formatErrors(operation.requestBody!.validate.errors, 'request body')));
          return;
        }
        run(operation.operationId, principal, canonical, body, res).catch((error) => fail(res, error));
      });
    } catch (error) {
      // A 401/400 before the body is read: drain it so the connection stays usable.
      req.resume();
      fail(res, error);
    }
    return true;
  };

  async function run(
    operationId: OperationId,
    principal: ReturnType<ApiKeyService['authenticate']>,
    id: string,
    body: unknown,
    res: ServerResponse,
  ) {
    switch (operationId) {
      case 'listApiKeys':
        return send(res, 200, service.listKeysJson(principal));
      case 'createApiKey': {
        const created = await service.createKey(principal, body as Parameters<ApiKeyService['createKey']>[1]);
        return send(res, 201, created, `/v1/apikeys/${created.apiKeyMetadata.apiKeyId}`);
      }
      case 'updateApiKey':
        return send(res, 200, await service.updateKey(principal, id, body as Parameters<ApiKeyService['updateKey']>[2]));
      case 'deleteApiKey':
        await service.deleteKey(principal, id);
        res.writeHead(204);
        res.end();
        return;
    }
  }
}
