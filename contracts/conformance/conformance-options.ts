import type { CheckResult } from './check-result.ts';

/** The credentials a run can be given; only `apiKey` is required (DESIGN.md "contracts/"). */
export const CREDENTIALS = ['apiKey', 'otherApiKey', 'adminApiKey', 'restrictedApiKey'] as const;
export type Credential = (typeof CREDENTIALS)[number];

/** What each credential stands for, and the CLI flag that supplies it (used in skip reasons). */
export const CREDENTIAL_INFO: Record<Credential, { flag: string; role: string }> = {
  apiKey: { flag: '--api-key', role: 'an ordinary user (USER, the _OWN permissions)' },
  otherApiKey: { flag: '--other-api-key', role: 'a second ordinary user' },
  adminApiKey: { flag: '--admin-api-key', role: 'an admin (the _ANY permissions)' },
  restrictedApiKey: { flag: '--restricted-api-key', role: 'a user with no permissions' },
};

export interface ConformanceOptions {
  /** The server under test, e.g. `http://localhost:8080` (paths start with `/v1`). */
  baseUrl: string;
  /** An ordinary user's raw key. */
  apiKey: string;
  /** A second ordinary user's key: isolation checks. */
  otherApiKey?: string;
  /** A key holding the `_ANY` permissions: admin checks. */
  adminApiKey?: string;
  /** A key of a user with no permissions: every operation must be 403. */
  restrictedApiKey?: string;
  /** The target is the mock: also run the checks of API-CONTRACT.md's "mock's choice". */
  mock?: boolean;
  /** The mock's control-plane token: expiry is tested by advancing the mock's clock. */
  adminToken?: string;
  /** Allow checks that wait in real time (expiry against a real server). */
  slow?: boolean;
  /** Injected fetch (e.g. to route through a proxy); defaults to the global one. */
  fetch?: typeof fetch;
  /** Aborting stops the run: no new requests, then every created key is deleted. */
  signal?: AbortSignal;
  /** Checks run at the same time (each creates its own keys). Default 8. */
  concurrency?: number;
  /** Per-request time limit in ms. Default 20 000. */
  requestTimeoutMs?: number;
  /** Append-only file of created/deleted keys, so a parent process can sweep after a crash. */
  journalPath?: string;
  /** Called as each check finishes (progress). */
  onResult?: (result: CheckResult) => void;
}

export type ResolvedOptions = Omit<ConformanceOptions, 'fetch' | 'concurrency' | 'requestTimeoutMs' | 'baseUrl'> & {
  baseUrl: string;
  fetch: typeof fetch;
  concurrency: number;
  requestTimeoutMs: number;
  mock: boolean;
  slow: boolean;
};

/**
 * Validates the programmatic options; a misuse error names the option (STYLE.md §4).
 * The base URL loses its trailing slash so paths from the spec can be appended.
 */
export function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  const fail = (message: string): never => {
    throw new TypeError(`runConformance: ${message}`);
  };
  if (typeof options !== 'object' || options === null) fail('options must be an object with at least baseUrl and apiKey');
  let url: URL | undefined;
  try {
    url = new URL(options.baseUrl);
  } catch {
    fail(`options.baseUrl must be an absolute http(s) URL such as http://localhost:8080, got ${JSON.stringify(options.baseUrl)}`);
  }
  if (url!.protocol !== 'http:' && url!.protocol !== 'https:') fail(`options.baseUrl must use http or https, got ${url!.protocol}`);
  for (const name of CREDENTIALS) {
    const value = options[name];
    if (name === 'apiKey' && (typeof value !== 'string' || value === '')) {
      fail(`options.apiKey is required: the raw key of ${CREDENTIAL_INFO.apiKey.role}`);
    }
    if (value !== undefined && (typeof value !== 'string' || value === '' || value !== value.trim())) {
      fail(`options.${name} must be a non-empty raw key without surrounding white space`);
    }
  }
  const given = CREDENTIALS.map((name) => options[name]).filter((v): v is string => v !== undefined);
  if (new Set(given).size !== given.length) fail('each credential must be a different key (the checks compare what different users see)');
  const concurrency = options.concurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) fail(`options.concurrency must be a positive integer, got ${String(concurrency)}`);
  const requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
  if (!(requestTimeoutMs > 0)) fail(`options.requestTimeoutMs must be a positive number, got ${String(requestTimeoutMs)}`);
  return {
    ...options,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch ?? globalThis.fetch,
    concurrency,
    requestTimeoutMs,
    mock: options.mock === true,
    slow: options.slow === true,
  };
}
