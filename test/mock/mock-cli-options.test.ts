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

describe("the mock CLI's --profile and --strict", () => {
  it('are off unless asked for', () => {
    const options = parseMockCliOptions(argv(), {});
    expect(options.strict).toBe(false);
    expect(options.profile).toBeUndefined();
  });

  it('are read from flags and from the environment, a flag winning', () => {
    expect(parseMockCliOptions(argv('--strict', '--profile', 'a.json'), {})).toMatchObject({ strict: true, profile: 'a.json' });
    const env = { APIKEYS_MOCK_STRICT: '1', APIKEYS_MOCK_PROFILE: 'b.json' };
    expect(parseMockCliOptions(argv(), env)).toMatchObject({ strict: true, profile: 'b.json' });
    expect(parseMockCliOptions(argv('--profile', 'c.json'), env).profile).toBe('c.json');
    expect(parseMockCliOptions(argv(), { APIKEYS_MOCK_STRICT: 'true' }).strict).toBe(true);
  });
});
