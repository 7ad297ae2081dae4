import type { OperationId } from '../../contracts/openapi/load-spec.ts';
import type { ApiKeyService, CreateApiKeyRequest, Principal, UpdateApiKeyRequest } from '../service/api-key-service.ts';
import { jsonReply, type PipelineReply } from './reply.ts';

/** An authenticated request whose id and body the pipeline has already checked. */
export interface Call {
  principal: Principal;
  /** The path id in canonical form; '' for operations without one. */
  id: string;
  /** The body, valid against the operation's schema; undefined without one. */
  body: unknown;
  /** What a Location is resolved against: '' (relative, the default) or `http://host` (the `location: 'absolute'` choice). */
  origin: string;
}

export type OperationHandler = (call: Call) => Promise<PipelineReply> | PipelineReply;

/**
 * What each operation of openapi.yaml does, keyed by its `operationId`. The
 * `Record` makes the table exhaustive: an operation added to openapi.yaml (and
 * so to the generated types) without an entry here fails `tsc`.
 */
export function v1Operations(service: ApiKeyService): Record<OperationId, OperationHandler> {
  return {
    createApiKey: async ({ principal, body, origin }) => {
      const created = await service.createKey(principal, body as CreateApiKeyRequest);
      return jsonReply(201, created, { Location: `${origin}/v1/apikeys/${created.apiKeyMetadata.apiKeyId}` });
    },
    listApiKeys: ({ principal }) => jsonReply(200, service.listKeysJson(principal)),
    updateApiKey: async ({ principal, id, body }) => jsonReply(200, await service.updateKey(principal, id, body as UpdateApiKeyRequest)),
    deleteApiKey: async ({ principal, id }) => {
      await service.deleteKey(principal, id);
      return { status: 204, headers: {} };
    },
  };
}
