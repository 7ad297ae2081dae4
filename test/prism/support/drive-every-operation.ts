import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';

export interface DriverKeys {
  /** An ordinary user (the _OWN permissions). */
  user: string;
  /** A second ordinary user, owner of a key the first may not touch. */
  other: string;
  /** A user without any permission. */
  restricted: string;
}

export interface DrivenStep {
  name: string;
  operationId?: OperationId;
  expected: number;
  actual: number;
}

/**
 * A small request driver that sends, through `fetch`, at least one request
 * for every (operation, documented status) pair of openapi.yaml, plus the
 * transport cases (unknown path, wrong method, malformed JSON), including the
 * deliberately invalid requests a conformance suite sends for its 400 and 401
 * checks. Bodies come from the spec's own examples. It deletes what it creates.
 * Returns every step with the status it expected and got.
 *
 * @example
 * const steps = await driveEveryOperation(observed.fetch, proxy.url, { user, other, restricted });
 * expect(steps.filter((s) => s.actual !== s.expected)).toEqual([]);
 */
export async function driveEveryOperation(fetch: typeof globalThis.fetch, baseUrl: string, keys: DriverKeys): Promise<DrivenStep[]> {
  const spec = loadSpec();
  const create = spec.byId.createApiKey;
  const update = spec.byId.updateApiKey;
  const createExamples = Object.values(create.requestBody?.examples ?? {});
  const updateExamples = Object.values(update.requestBody?.examples ?? {});
  const steps: DrivenStep[] = [];
  const created: { id: string; key: string }[] = [];

  const call = async (
    name: string,
    expected: number,
    method: string,
    path: string,
    options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...(options.key ? { 'x-api-key': options.key } : {}), ...options.headers };
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    const operationId = spec.operations.find((op) => op.method === method.toLowerCase() && op.match(path))?.operationId;
    steps.push({ name, operationId, expected, actual: res.status });
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
  const createKey = async (name: string, key: string, body: unknown = {}) => {
    const res = (await call(name, 201, 'POST', '/v1/apikeys', { key, body })) as { apiKeyMetadata?: { apiKeyId: string } } | undefined;
    const id = res?.apiKeyMetadata?.apiKeyId;
    if (!id) throw new Error(`${name}: the create request did not return a key: ${JSON.stringify(res)}`);
    created.push({ id, key });
    return id;
  };
  const keyPath = (id: string) => `/v1/apikeys/${id}`;
  const labels = (n: number, prefix = 'k') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, 'v']));
  const unknownId = '00000000-0000-4000-8000-0000000000ff';

  try {
    // createApiKey
    let first: string | undefined;
    for (const body of createExamples) first ??= await createKey('create with a documented example body', keys.user, body);
    await call('create with an apiKeyId in use', 409, 'POST', '/v1/apikeys', { key: keys.other, body: { apiKeyId: first } });
    await call('create with expiresAt in the past', 400, 'POST', '/v1/apikeys', { key: keys.user, body: { expiresAt: 1 } });
    // Prism sees the contract layer and lets an unknown field through; the mock refuses it (its choice).
    await call('create with an unknown field', 400, 'POST', '/v1/apikeys', { key: keys.user, body: { expires_at: 4102444800000 } });
    await call('create with a field of the wrong type', 400, 'POST', '/v1/apikeys', { key: keys.user, body: { expiresAt: 'soon' } });
    await call('create with 11 labels', 400, 'POST', '/v1/apikeys', { key: keys.user, body: { labels: labels(11) } });
    await call('create with malformed JSON', 400, 'POST', '/v1/apikeys', { key: keys.user, raw: '{"labels":' });
    await call('create without a key', 401, 'POST', '/v1/apikeys', { body: {} });
    await call('create with an unknown key', 401, 'POST', '/v1/apikeys', { key: 'gm_aaaaaaaaaaaaaaaaaaaaaaaaaa', body: {} });
    await call('create without permission', 403, 'POST', '/v1/apikeys', { key: keys.restricted, body: {} });

    // listApiKeys
    await call('list own keys', 200, 'GET', '/v1/apikeys', { key: keys.user });
    await call('list without a key', 401, 'GET', '/v1/apikeys');
    await call('list with an unknown key', 401, 'GET', '/v1/apikeys', { key: 'gm_aaaaaaaaaaaaaaaaaaaaaaaaaa' });
    await call('list without permission', 403, 'GET', '/v1/apikeys', { key: keys.restricted });

    // updateApiKey
    const mine = await createKey('create a key to update', keys.user);
    const theirs = await createKey("create the other user's key", keys.other);
    for (const body of updateExamples)
      await call('update with a documented example body', 200, 'PUT', keyPath(mine), { key: keys.user, body });
    await call('update by the id without hyphens, upper-case', 200, 'PUT', keyPath(mine.replace(/-/g, '').toUpperCase()), {
      key: keys.user,
      body: {},
    });
    await call('update with both label fields', 400, 'PUT', keyPath(mine), {
      key: keys.user,
      body: { replaceLabels: {}, mergeLabels: {} },
    });
    await call('update with an unknown status', 400, 'PUT', keyPath(mine), { key: keys.user, body: { status: 'PAUSED' } });
    await call('update with an immutable field', 400, 'PUT', keyPath(mine), { key: keys.user, body: { userId: unknownId } });
    await call('update to more than 10 labels', 400, 'PUT', keyPath(mine), { key: keys.user, body: { replaceLabels: labels(11) } });
    await call('update to exactly 10 labels', 200, 'PUT', keyPath(mine), { key: keys.user, body: { replaceLabels: labels(10) } });
    await call('update merging past 10 labels', 400, 'PUT', keyPath(mine), { key: keys.user, body: { mergeLabels: labels(1, 'extra') } });
    await call('update with an id that is no UUID', 400, 'PUT', keyPath('not-a-uuid'), { key: keys.user, body: {} });
    await call('update without a key', 401, 'PUT', keyPath(mine), { body: {} });
    await call("update someone else's key", 403, 'PUT', keyPath(theirs), { key: keys.user, body: { status: 'INACTIVE' } });
    await call('update without permission', 403, 'PUT', keyPath(mine), { key: keys.restricted, body: {} });
    await call('update a key that does not exist', 404, 'PUT', keyPath(unknownId), { key: keys.user, body: {} });

    // deleteApiKey
    const doomed = await createKey('create a key to delete', keys.user);
    await call('delete with an id that is no UUID', 400, 'DELETE', keyPath('not-a-uuid'), { key: keys.user });
    await call('delete without a key', 401, 'DELETE', keyPath(doomed));
    await call("delete someone else's key", 403, 'DELETE', keyPath(theirs), { key: keys.user });
    await call('delete without permission', 403, 'DELETE', keyPath(doomed), { key: keys.restricted });
    await call('delete forced to 404 with Prefer (no state change)', 404, 'DELETE', keyPath(doomed), {
      key: keys.user,
      headers: { prefer: 'code=404' },
    });
    await call('delete a key', 204, 'DELETE', keyPath(doomed), { key: keys.user });
    await call('delete it again', 404, 'DELETE', keyPath(doomed), { key: keys.user });
    await call('update a deleted key', 404, 'PUT', keyPath(doomed), { key: keys.user, body: {} });

    // Outside the operations: every error in the same shape.
    await call('an unknown path', 404, 'GET', '/v1/nothing-here', { key: keys.user });
    await call('a method the path does not have', 405, 'PATCH', '/v1/apikeys', { key: keys.user });
  } finally {
    for (const { id, key } of created) {
      await fetch(`${baseUrl}${keyPath(id)}`, { method: 'DELETE', headers: { 'x-api-key': key } }).then((r) => r.arrayBuffer());
    }
  }
  return steps;
}
