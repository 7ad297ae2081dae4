import { join } from 'node:path';
import { packageRoot } from '../openapi/spec-path.ts';

/** The consumer and provider named in the pact file `pacts/apikeys-sdk-apikeys-api.json`. */
export const PACT_CONSUMER = 'apikeys-sdk';
export const PACT_PROVIDER = 'apikeys-api';

/** The committed pacts, found from this file so the CLI works from any directory. */
export const DEFAULT_PACT_DIR = join(packageRoot, 'pacts/');

/**
 * The provider states the consumer tests use and the verifier implements:
 * one list, so the two sides cannot drift apart. Each is set up through the
 * public API only (see provider-states.ts), so one pact verifies any server.
 */
export const PROVIDER_STATES = {
  /** Params `{ labels?, status? }`; provides `${id}`. Created with the caller's key. */
  keyExists: 'an API key exists',
  /** Provides `${id}` of a key that was created and then deleted. */
  keyDeleted: 'an API key has been deleted',
  /** Provides `${id}` of a key owned by a second user (needs that user's key). */
  otherUsersKey: 'an API key owned by another user exists',
  /** Provides `${id}`: a fresh UUID no key has (for a create that chooses its id). */
  unusedId: 'an API key id is unused',
  /** Requests are sent with a key whose user lacks LIST_APIKEY_OWN (and _ANY). */
  callerCannotList: 'the caller has no permission to list API keys',
} as const;

export type ProviderStateName = (typeof PROVIDER_STATES)[keyof typeof PROVIDER_STATES];

/** The expression a request uses to take the id a provider state created. */
export const STATE_ID_EXPRESSION = '${id}';
