import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { CompiledOperation, OperationId, Spec } from '../../contracts/spec/load-spec.ts';
import { errors } from '../service/api-error.ts';
import type { ApiKeyService, Principal } from '../service/api-key-service.ts';
import type { MockChoices } from '../service/mock-choices.ts';
import { parsePrefer, sendDocumentedResponse } from './documented-response.ts';
import { MethodNotAllowed } from './error-handler.ts';
import type { FaultRegistry } from './fault-registry.ts';
import { canonicalId } from './canonical-id.ts';
import { readApiKey } from './read-api-key.ts';
import { validatedBody } from './request-body.ts';

export interface ApiRoutesOptions {
  spec: Spec;
  service: ApiKeyService;
  faults: FaultRegistry;
  choices: MockChoices;
}

interface Call {
  principal: Principal;
  id: string;
  body: unknown;
}

/** What each operation does once the request is authenticated and valid. */
type Operation = (call: Call, res: Response) => Promise<void> | void;

function operations(service: ApiKeyService): Record<OperationId, Operation> {
  return {
    createApiKey: async ({ principal, body }, res) => {
      const created = await service.createKey(principal, body as Parameters<ApiKeyService['createKey']>[1]);
      res.status(201).location(`/v1/apikeys/${created.apiKeyMetadata.apiKeyId}`).json(created);
    },
    listApiKeys: ({ principal }, res) => {
      res.status(200).type('json').send(service.listKeysJson(principal));
    },
    updateApiKey: async ({ principal, id, body }, res) => {
      res.status(200).json(await service.updateKey(principal, id, body as Parameters<ApiKeyService['updateKey']>[2]));
    },
    deleteApiKey: async ({ principal, id }, res) => {
      await service.deleteKey(principal, id);
      res.status(204).end();
    },
  };
}

/**
 * The `/v1` surface, routed from openapi.yaml: one handler per operation, each
 * running the contract's check order (contracts/CONTRACT.md "Check order"):
 * authentication 401 → path id 400 → body 400 → the service's 403/404/403.
 * Prism's `Prefer: code=NNN` and control-plane faults come first.
 */
export function apiRoutes({ spec, service, faults, choices }: ApiRoutesOptions): Router {
  const router = express.Router();
  const handlers = operations(service);
  // Parsed only after authentication: a request without a valid key is a 401
  // whatever its body. `strict: false` lets the schema word the error for
  // top-level non-objects ("request body must be object").
  const json = express.json({ limit: '1mb', strict: false, type: ['application/json', 'application/*+json'] });

  for (const op of spec.operations) {
    const run = handlers[op.operationId];
    const handler: RequestHandler = async (req, res) => {
      if (await forcedResponse(op, req, res, faults)) return;
      const principal = service.authenticate(readApiKey(req));
      const id = op.pathParams.length > 0 ? canonicalId(op, String(req.params.id ?? '')) : '';
      let body: unknown;
      if (op.requestBody) {
        await new Promise<void>((resolve, reject) => json(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
        // Unknown fields are mock's choice on create and update (contracts/CONTRACT.md "Create", "Update").
        body = validatedBody(req, op, !choices.rejectUnknownFields);
      }
      await run({ principal, id, body }, res);
    };
    router[op.method as 'get' | 'post' | 'put' | 'delete'](op.expressPath, handler);
  }
  for (const { expressPath, methods } of spec.paths) {
    router.all(expressPath, (req, res) => {
      if (req.method === 'OPTIONS') {
        res.set('Allow', methods.join(', ')).status(204).end();
        return;
      }
      throw new MethodNotAllowed(req.method, methods);
    });
  }
  return router;
}

/** Prism's `Prefer` header, then injected faults; true when the response was sent. */
async function forcedResponse(op: CompiledOperation, req: Request, res: Response, faults: FaultRegistry): Promise<boolean> {
  const prefer = parsePrefer(req.get('prefer'));
  if (prefer) {
    const status = prefer.code ?? op.statuses[0]!;
    if (!op.responses.has(status)) {
      throw errors.invalidBody(
        `Prefer: code=${status} is not a documented status of ${op.operationId}; documented: ${op.statuses.join(', ')}`,
      );
    }
    const examples = op.responses.get(status)!.examples;
    if (prefer.example !== undefined && !(prefer.example in examples)) {
      throw errors.invalidBody(
        `Prefer: example=${prefer.example} is not an example of ${op.operationId} ${status}; examples: ${Object.keys(examples).join(', ') || 'none'}`,
      );
    }
    sendDocumentedResponse(res, op, status, prefer.example);
    return true;
  }
  const fault = faults.take(op, req.method, req.path);
  if (!fault) return false;
  if (fault.latencyMs) await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
  if (fault.status === undefined) return false;
  if (op.responses.has(fault.status)) sendDocumentedResponse(res, op, fault.status);
  else res.status(fault.status).json({ error: `fault injected by the mock's control plane (${fault.status})` });
  return true;
}
