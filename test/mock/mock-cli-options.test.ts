import { describe, expect, it } from 'vitest';
import { parseMockCliOptions } from '../../mock/mock-cli-options.ts';
import { DEFAULT_SERVER_LIMITS } from '../../mock/http/server-limits.ts';

const argv = (...args: string[]) => ['node', 'apikeys-mock', ...args];

describe("the mock CLI's timeouts and connection cap", () => {
  it('default to the documented bounds', () => {
    expect(parseMockCliOptions(argv(), {}).limits).toEqual(DEFAULT_SERVER_LIMITS);
  });

  it('are read from flags', () => {
    const { limits } = parseMockCliOptions(argv('--headers-timeout', '100', '--request-timeout', '500', '--max-connections', '3'), {});
    expect(limits).toMatchObject({ headersTimeoutMs: 100, requestTimeoutMs: 500, maxConnections: 3 });
  });

  it('are read from the environment, and a flag wins over it', () => {
    const env = { APIKEYS_MOCK_HEADERS_TIMEOUT: '200', APIKEYS_MOCK_REQUEST_TIMEOUT: '900', APIKEYS_MOCK_MAX_CONNECTIONS: '7' };
    expect(parseMockCliOptions(argv(), env).limits).toMatchObject({ headersTimeoutMs: 200, requestTimeoutMs: 900, maxConnections: 7 });
    expect(parseMockCliOptions(argv('--max-connections', '9'), env).limits.maxConnections).toBe(9);
  });
});
