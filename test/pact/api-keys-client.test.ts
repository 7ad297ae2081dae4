import { describe, expect, it } from 'vitest';
import { createApiKeysClient } from '../../contracts/client/create-api-keys-client.ts';

/** A fetch that answers every request with one canned response and remembers the request. */
function answering(status: number, body: string | null, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(new Request(input, init));
    return new Response(body, { status, headers });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests };
}

describe('the typed API keys client', () => {
  it('sends the key as x-api-key to the path under the base URL, and none when no key is given', async () => {
    const withKey = answering(200, '{"keys":[]}');
    await createApiKeysClient({
      baseUrl: 'http://127.0.0.1:1/root/',
      apiKey: 'gm_aaaaaaaaaaaaaaaaaaaaaaaaaa',
      fetch: withKey.fetch,
    }).listApiKeys();
    expect(withKey.requests[0]?.url).toBe('http://127.0.0.1:1/root/v1/apikeys');
    expect(withKey.requests[0]?.headers.get('x-api-key')).toBe('gm_aaaaaaaaaaaaaaaaaaaaaaaaaa');

    const withoutKey = answering(401, '{"error":"missing or invalid API key"}');
    await createApiKeysClient({ baseUrl: 'http://127.0.0.1:1', fetch: withoutKey.fetch }).listApiKeys();
    expect(withoutKey.requests[0]?.headers.has('x-api-key')).toBe(false);
  });

  it('reports a documented error status with the message of its {error} body', async () => {
    const { fetch } = answering(404, '{"error":"API key 550e8400-e29b-41d4-a716-446655440000 not found"}');
    const result = await createApiKeysClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k', fetch }).deleteApiKey(
      '550e8400-e29b-41d4-a716-446655440000',
    );
    expect(result).toMatchObject({ ok: false, status: 404, error: 'API key 550e8400-e29b-41d4-a716-446655440000 not found' });
  });

  it('does not call an undocumented success status ok, and keeps the body it came with', async () => {
    const { fetch } = answering(200, '{"apiKeyMetadata":{"apiKeyId":"x"},"rawApiKey":"gm_x"}');
    const result = await createApiKeysClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k', fetch }).createApiKey();
    expect(result).toMatchObject({ ok: false, status: 200, error: undefined, body: { apiKeyMetadata: { apiKeyId: 'x' } } });
  });

  it('keeps a body that is not JSON as text', async () => {
    const { fetch } = answering(502, '<html>Bad Gateway</html>', { 'content-type': 'text/html' });
    const result = await createApiKeysClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k', fetch }).listApiKeys();
    expect(result).toMatchObject({ ok: false, status: 502, error: undefined, body: '<html>Bad Gateway</html>' });
  });

  it('gives a 204 delete no data', async () => {
    const { fetch } = answering(204, null, {});
    const result = await createApiKeysClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'k', fetch }).deleteApiKey(
      '550e8400-e29b-41d4-a716-446655440000',
    );
    expect(result).toMatchObject({ ok: true, status: 204, data: undefined });
  });
});
