import { randomUUID } from 'node:crypto';
import { canonicalUuid } from '../../../contracts/openapi/canonical-uuid.ts';
import { loadSpec } from '../../../contracts/openapi/load-spec.ts';
import { idOf, is, isUuid, rawKeys, rememberRawKey, slot } from './traffic.ts';
import { editJson, jsonResponse, type BrokenVariant, type ProxiedRequest } from './variant-server.ts';

const spec = loadSpec();

const flaggedPastExpiry = new WeakSet<ProxiedRequest>();
const flaggedDeactivation = new WeakSet<ProxiedRequest>();
const flaggedExpiry = new WeakMap<ProxiedRequest, number>();

/**
 * Servers that are wrong in exactly one way, each from a different rule of the
 * contract, and the check that must name the departure.
 */
export const brokenVariants: Record<string, BrokenVariant> = {
  'wrong status': {
    breaks: 'create answers 200 instead of 201',
    caughtBy: 'createApiKey/status_code_conformance',
    response: (res, req) => {
      if (is('createApiKey', req) && res.status === 201) res.status = 200;
    },
  },
  'missing header': {
    breaks: 'create sends no Location header',
    caughtBy: 'createApiKey/response_headers_conformance',
    response: (res, req) => {
      if (is('createApiKey', req)) delete res.headers.location;
    },
  },
  'misleading header': {
    breaks: 'Location points at some other key',
    caughtBy: 'createApiKey/response_headers_conformance',
    response: (res, req) => {
      if (is('createApiKey', req) && res.status === 201) res.headers.location = `/v1/apikeys/${randomUUID()}`;
    },
  },
  'leaked secret': {
    breaks: "the list repeats each key's raw key",
    caughtBy: 'listApiKeys/raw_key_never_repeated',
    response: (res, req, state) => {
      rememberRawKey(res, req, state);
      if (is('listApiKeys', req) && res.status === 200) {
        editJson(res, (json: any) => {
          for (const key of json.keys) if (rawKeys(state).has(key.apiKeyId)) key.rawApiKey = rawKeys(state).get(key.apiKeyId);
        });
      }
    },
  },
  'wrong timestamp type': {
    breaks: 'create returns createdAt/updatedAt as ISO strings',
    caughtBy: 'createApiKey/response_schema_conformance',
    response: (res, req) => {
      if (is('createApiKey', req) && res.status === 201) {
        editJson(res, (json: any) => {
          json.apiKeyMetadata.createdAt = new Date(json.apiKeyMetadata.createdAt).toISOString();
          json.apiKeyMetadata.updatedAt = new Date(json.apiKeyMetadata.updatedAt).toISOString();
        });
      }
    },
  },
  '5xx on bad input': {
    breaks: 'bad input is answered 500',
    caughtBy: 'createApiKey/not_a_server_error',
    response: (res) => {
      if (res.status === 400) Object.assign(res, jsonResponse(500, { error: 'internal error' }));
    },
  },
  'ownership not enforced': {
    breaks: "another user's update/delete is carried out (as if by an admin)",
    caughtBy: 'updateApiKey/other_user_cannot_update_key',
    request: (req, { mock }) => {
      if ((is('updateApiKey', req) || is('deleteApiKey', req)) && req.headers['x-api-key'] === mock.devKeys.bob)
        req.headers['x-api-key'] = mock.devKeys.admin;
    },
  },
  'auth not enforced': {
    breaks: "a request without a key is served as alice's",
    caughtBy: 'listApiKeys/missing_key_rejected',
    request: (req, { mock }) => {
      if (req.path.startsWith('/v1/') && !req.headers['x-api-key'] && !req.headers.authorization)
        req.headers['x-api-key'] = mock.devKeys.alice;
    },
  },
  'HTML error page': {
    breaks: '401 is an HTML page',
    caughtBy: 'listApiKeys/content_type_conformance',
    response: (res) => {
      if (res.status === 401)
        Object.assign(res, { headers: { 'content-type': 'text/html' }, body: '<html><body><h1>401 Unauthorized</h1></body></html>' });
    },
  },
  'bad error shape': {
    breaks: 'errors are {"message": ...}: neither an "error" message nor an "errors" list',
    caughtBy: 'deleteApiKey/response_schema_conformance',
    response: (res) => {
      if (res.status >= 400) editJson(res, (json: any) => ({ message: json.error }));
    },
  },
  'extra field': {
    breaks: 'listed keys carry a keyHash field',
    caughtBy: 'listApiKeys/response_schema_conformance',
    response: (res, req) => {
      if (is('listApiKeys', req) && res.status === 200) {
        editJson(res, (json: any) => {
          for (const key of json.keys) key.keyHash = 'c0ffee';
        });
      }
    },
  },
  'wrong content type': {
    breaks: 'create answers JSON labelled text/plain',
    caughtBy: 'createApiKey/content_type_conformance',
    response: (res, req) => {
      if (is('createApiKey', req) && res.status === 201) res.headers['content-type'] = 'text/plain; charset=utf-8';
    },
  },
  'enum case': {
    breaks: 'update answers the status in lower case',
    caughtBy: 'updateApiKey/response_schema_conformance',
    response: (res, req) => {
      if (is('updateApiKey', req) && res.status === 200)
        editJson(res, (json: any) => void (json.status = String(json.status).toLowerCase()));
    },
  },
  'deleted key still authenticates': {
    breaks: 'a deleted key keeps working (served as alice)',
    caughtBy: 'deleteApiKey/deleted_key_rejected',
    request: (req, state) => {
      const deleted = (state.memory.get('deleted') as Set<string> | undefined) ?? new Set<string>();
      if (deleted.has(req.headers['x-api-key'] ?? '')) req.headers['x-api-key'] = state.mock.devKeys.alice;
    },
    response: (res, req, state) => {
      rememberRawKey(res, req, state);
      if (is('deleteApiKey', req) && res.status === 204) {
        const deleted = (state.memory.get('deleted') as Set<string> | undefined) ?? new Set<string>();
        const raw = rawKeys(state).get(idOf('deleteApiKey', req));
        if (raw) deleted.add(raw);
        state.memory.set('deleted', deleted);
      }
    },
  },
  'merge as replace': {
    breaks: 'mergeLabels replaces the whole label set',
    caughtBy: 'updateApiKey/merge_labels_adds_and_overwrites',
    request: (req) => {
      if (is('updateApiKey', req)) {
        editJson(req, (json: any) => {
          if (json && typeof json === 'object' && 'mergeLabels' in json && !('replaceLabels' in json)) {
            json.replaceLabels = json.mergeLabels;
            delete json.mergeLabels;
          }
        });
      }
    },
  },
  'use after free': {
    breaks: 'delete answers 204 but keeps the key',
    caughtBy: 'deleteApiKey/deleted_key_is_gone',
    request: (req) => {
      if (is('deleteApiKey', req) && isUuid(idOf('deleteApiKey', req)) && req.headers['x-api-key'])
        return { status: 204, headers: {}, body: '' };
    },
  },
  'rejected request changes state': {
    breaks: 'a create with a past expiresAt is answered 400 but the key is stored',
    caughtBy: 'createApiKey/past_expiry_rejected',
    request: (req) => {
      if (!is('createApiKey', req)) return;
      editJson(req, (json: any) => {
        if (json && typeof json.expiresAt === 'number' && json.expiresAt < Date.now()) {
          delete json.expiresAt;
          flaggedPastExpiry.add(req);
        }
      });
    },
    response: (res, req) => {
      if (flaggedPastExpiry.has(req)) Object.assign(res, jsonResponse(400, { error: 'expiresAt must be in the future' }));
    },
  },
  'permissions not enforced': {
    breaks: 'the user without permissions is served as alice',
    caughtBy: 'listApiKeys/restricted_key_forbidden',
    request: (req, { mock }) => {
      if (req.headers['x-api-key'] === mock.devKeys.nobody) req.headers['x-api-key'] = mock.devKeys.alice;
    },
  },
  'INACTIVE not enforced': {
    breaks: 'setting INACTIVE is reported but not applied',
    caughtBy: 'updateApiKey/inactive_key_rejected_until_reactivated',
    request: (req) => {
      if (!is('updateApiKey', req)) return;
      editJson(req, (json: any) => {
        if (json?.status === 'INACTIVE') {
          delete json.status;
          flaggedDeactivation.add(req);
        }
      });
    },
    response: (res, req) => {
      if (flaggedDeactivation.has(req) && res.status === 200) editJson(res, (json: any) => void (json.status = 'INACTIVE'));
    },
  },
  'bad id as 404': {
    breaks: 'a malformed id is answered 404 instead of 400',
    caughtBy: 'deleteApiKey/bad_id_rejected',
    request: (req) => {
      const op = is('updateApiKey', req) ? 'updateApiKey' : is('deleteApiKey', req) ? 'deleteApiKey' : undefined;
      if (op && req.headers['x-api-key'] && !isUuid(idOf(op, req))) return jsonResponse(404, { error: 'no such key' });
    },
  },
  'wrong key prefix': {
    breaks: "keyPrefix is not the raw key's first 8 characters",
    caughtBy: 'createApiKey/key_prefix_matches_raw_key',
    response: (res, req) => {
      if (is('createApiKey', req) && res.status === 201) editJson(res, (json: any) => void (json.apiKeyMetadata.keyPrefix = 'gm_aaaaa'));
    },
  },
  'audit not recorded': {
    breaks: "updatedById stays the creator's when an admin updates",
    caughtBy: 'updateApiKey/admin_updates_any_key',
    response: (res, req) => {
      if (is('updateApiKey', req) && res.status === 200) editJson(res, (json: any) => void (json.updatedById = json.createdById));
    },
  },
  'time runs backwards': {
    breaks: 'update answers an updatedAt before the key was created',
    caughtBy: 'updateApiKey/audit_fields_on_update',
    response: (res, req) => {
      if (is('updateApiKey', req) && res.status === 200) editJson(res, (json: any) => void (json.updatedAt = json.createdAt - 60_000));
    },
  },
  'HTML for unknown paths': {
    breaks: 'an unknown path is an HTML 404 page',
    caughtBy: 'transport/unknown_path_rejected',
    response: (res, req) => {
      if (res.status === 404 && !spec.operations.some((op) => op.match(req.path.split('?')[0]!))) {
        Object.assign(res, { headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' });
      }
    },
  },
  '405 without Allow': {
    breaks: 'a wrong method is 405 without an Allow header',
    caughtBy: 'transport/wrong_method_rejected',
    response: (res) => {
      if (res.status === 405) delete res.headers.allow;
    },
  },
  'two keys authenticate': {
    breaks: 'x-api-key "a, b" authenticates as a',
    caughtBy: 'listApiKeys/combined_key_header_rejected',
    request: (req) => {
      const key = req.headers['x-api-key'];
      if (key?.includes(',')) req.headers['x-api-key'] = key.split(',')[0]!.trim();
    },
  },
  'label bound not enforced': {
    breaks: 'a create with 11 labels is accepted (the 11th dropped)',
    caughtBy: 'createApiKey/too_many_labels_rejected',
    request: (req) => {
      if (!is('createApiKey', req)) return;
      editJson(req, (json: any) => {
        if (json?.labels && typeof json.labels === 'object' && Object.keys(json.labels).length > 10) {
          json.labels = Object.fromEntries(Object.entries(json.labels).slice(0, 10));
        }
      });
    },
  },
  'expiry not enforced': {
    breaks: 'expiresAt is echoed but never applied',
    caughtBy: 'createApiKey/expired_key_rejected',
    // The mock's clock shows expiry without waiting.
    mock: true,
    request: (req) => {
      if (!is('createApiKey', req)) return;
      editJson(req, (json: any) => {
        if (typeof json?.expiresAt === 'number') {
          flaggedExpiry.set(req, json.expiresAt);
          delete json.expiresAt;
        }
      });
    },
    response: (res, req) => {
      if (flaggedExpiry.has(req) && res.status === 201)
        editJson(res, (json: any) => void (json.apiKeyMetadata.expiresAt = flaggedExpiry.get(req)));
    },
  },
  'isolation not enforced': {
    breaks: "bob's list is answered with everybody's keys",
    caughtBy: 'listApiKeys/other_user_cannot_see_keys',
    request: (req, { mock }) => {
      if (is('listApiKeys', req) && req.headers['x-api-key'] === mock.devKeys.bob) req.headers['x-api-key'] = mock.devKeys.admin;
    },
  },
  'lastUsedAt never recorded': {
    breaks: 'the list always reports lastUsedAt null',
    caughtBy: 'listApiKeys/last_used_at_recorded',
    response: (res, req) => {
      if (is('listApiKeys', req) && res.status === 200) {
        editJson(res, (json: any) => {
          for (const key of json.keys) key.lastUsedAt = null;
        });
      }
    },
  },
  "mock's choice flipped, run with --mock": {
    breaks: 'unknown body fields are ignored although --mock promises strictness',
    caughtBy: 'createApiKey/unknown_fields',
    mock: true,
    mockOptions: { choices: { unknownFields: 'ignored' } },
  },
  'client id ignored': {
    breaks: 'create ignores the apiKeyId the client chose and generates one',
    caughtBy: 'createApiKey/client_api_key_id_used',
    request: (req) => {
      if (is('createApiKey', req)) editJson(req, (json: any) => void delete json?.apiKeyId);
    },
  },
  'reuse overwrites': {
    breaks: 'a create naming an id in use replaces that key (201) instead of 409',
    caughtBy: 'createApiKey/api_key_id_reuse_conflicts',
    request: async (req, { mock }) => {
      if (!is('createApiKey', req)) return;
      let id: string | null = null;
      editJson(req, (json: any) => void (id = typeof json?.apiKeyId === 'string' ? canonicalUuid(json.apiKeyId) : null));
      if (id && mock.store.keyById(id)) await mock.store.deleteKey(id);
    },
  },
  'malformed id accepted': {
    breaks: 'a create with an apiKeyId that is no UUID is served with a generated id',
    caughtBy: 'createApiKey/malformed_api_key_id_rejected',
    request: (req) => {
      if (!is('createApiKey', req)) return;
      editJson(req, (json: any) => {
        if (json && typeof json === 'object' && 'apiKeyId' in json && !(typeof json.apiKeyId === 'string' && canonicalUuid(json.apiKeyId)))
          delete json.apiKeyId;
      });
    },
  },
  'client id kept as sent': {
    breaks: 'create returns a chosen upper-case apiKeyId as sent instead of canonical lower case',
    caughtBy: 'createApiKey/client_api_key_id_forms',
    response: (res, req) => {
      let sent: unknown;
      editJson(req, (json: any) => void (sent = json?.apiKeyId));
      if (!is('createApiKey', req) || res.status !== 201 || typeof sent !== 'string' || sent === sent.toLowerCase()) return;
      editJson(res, (json: any) => void (json.apiKeyMetadata.apiKeyId = sent));
    },
  },
  'immutable field applied': {
    breaks: 'an update naming userId answers 200 with the key moved to that user',
    caughtBy: 'updateApiKey/immutable_fields_unchanged',
    request: (req, state) => {
      if (!is('updateApiKey', req)) return;
      editJson(req, (json: any) => {
        if (typeof json?.userId !== 'string') return;
        slot(state, 'moved', () => new WeakMap<ProxiedRequest, string>()).set(req, json.userId);
        delete json.userId;
      });
    },
    response: (res, req, state) => {
      const to = slot(state, 'moved', () => new WeakMap<ProxiedRequest, string>()).get(req);
      if (to && res.status === 200) editJson(res, (json: any) => void (json.userId = to));
    },
  },
  'error not an object': {
    breaks: 'a 401 body is a bare JSON string, not an object',
    caughtBy: 'listApiKeys/response_schema_conformance',
    response: (res) => {
      if (res.status === 401) Object.assign(res, jsonResponse(401, 'missing or invalid API key'));
    },
  },
  'error without a message': {
    breaks: 'a 404 body carries status and timestamp but no message',
    caughtBy: 'deleteApiKey/response_schema_conformance',
    response: (res) => {
      if (res.status === 404) Object.assign(res, jsonResponse(404, { status: 404, timestamp: new Date().toISOString() }));
    },
  },
  'empty errors list': {
    breaks: 'a 400 body is {"errors": []}: a list without a single message',
    caughtBy: 'createApiKey/response_schema_conformance',
    response: (res) => {
      if (res.status === 400) Object.assign(res, jsonResponse(400, { errors: [] }));
    },
  },
  'errors without messages': {
    breaks: 'a 400 body lists the failed fields without a message for any',
    caughtBy: 'updateApiKey/response_schema_conformance',
    response: (res) => {
      if (res.status === 400) editJson(res, () => ({ errors: [{ field: 'body' }] }));
    },
  },
  'absolute Location naming another key': {
    breaks: 'an absolute Location points at some other key',
    caughtBy: 'createApiKey/response_headers_conformance',
    response: (res, req) => {
      if (is('createApiKey', req) && res.status === 201) res.headers.location = `http://${req.headers.host}/v1/apikeys/${randomUUID()}`;
    },
  },
  'absolute Location on the wrong path': {
    breaks: 'an absolute Location names the new key under another path (/v2/apikeys/{id})',
    caughtBy: 'createApiKey/response_headers_conformance',
    response: (res, req) => {
      if (is('createApiKey', req) && res.status === 201 && res.headers.location)
        res.headers.location = `http://${req.headers.host}${res.headers.location.replace('/v1/', '/v2/')}`;
    },
  },
  '5xx for a bad id': {
    breaks: 'a path id that cannot be a UUID is answered 500',
    caughtBy: 'updateApiKey/bad_id_rejected',
    request: (req) => {
      const op = is('updateApiKey', req) ? 'updateApiKey' : is('deleteApiKey', req) ? 'deleteApiKey' : undefined;
      if (op && req.headers['x-api-key'] && idOf(op, req).replace(/-/g, '').length !== 32)
        return jsonResponse(500, { error: 'java.lang.IllegalArgumentException: Invalid UUID string' });
    },
  },
  'Bearer refused, run with --mock': {
    breaks: 'Authorization: Bearer is refused although the mock promises to accept it',
    caughtBy: 'listApiKeys/bearer_key',
    mock: true,
    request: (req) => {
      delete req.headers.authorization;
    },
  },
  'wrong method 404, run with --mock': {
    breaks: 'a wrong method is answered 404 although the mock promises 405 with Allow',
    caughtBy: 'transport/unknown_route_answers',
    mock: true,
    response: (res) => {
      if (res.status === 405) {
        res.status = 404;
        delete res.headers.allow;
      }
    },
  },
};
