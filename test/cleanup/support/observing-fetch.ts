/**
 * A fetch that notes the id of every key a server says it made (any 2xx
 * answer to a create, and the control plane's new users), so a test knows
 * what had to be cleaned up without trusting the code under test.
 */
export function observingFetch() {
  const made = new Set<string>();
  const fetchImpl: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    if (request.method === 'POST' && (path === '/v1/apikeys' || path === '/_mock/users') && response.ok) {
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as { apiKeyId?: unknown; apiKeyMetadata?: { apiKeyId?: unknown } } | undefined;
      const id = body?.apiKeyMetadata?.apiKeyId ?? body?.apiKeyId;
      if (typeof id === 'string') made.add(id);
    }
    return response;
  };
  return { made, fetch: fetchImpl };
}
