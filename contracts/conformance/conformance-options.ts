import { CHOICE_NAMES, choiceValueProblem, DEFAULT_CHOICES, type ServerChoices } from '../common/server-choices.ts';
import type { CheckResult } from './check-result.ts';
import { realTimers, type Timers } from './timers.ts';

/** The credentials a run can be given; only `apiKey` is required (contracts/conformance/README.md). */
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
  /** The target is the mock: also run the checks of contracts/CONTRACT.md's "mock's choice" and validate against both layers. */
  mock?: boolean;
  /**
   * Learn the server's legal choices (contracts/common/server-choices.ts): also run the
   * informational probes that exist only to tell which way a server chose. They never
   * fail a server (without `mock`), and they delete what they create. The report's
   * `profile` then has a value for every choice a check could tell.
   */
  profiling?: boolean;
  /**
   * With `mock`: the values the mock-choice checks expect instead of the table's
   * defaults (`apikeys-conformance --mock --profile FILE`: the mock holds to a profile).
   */
  choices?: Partial<ServerChoices>;
  /**
   * Checks left out of the run, by name (`numeric_strings`), each with the reason the
   * report gives: for a run through something that refuses what a check must send (a
   * validating proxy that holds requests to the spec's types). Each is reported as
   * skipped with its reason, never passed.
   */
  excludeChecks?: Record<string, string>;
  /** The mock's control-plane token: expiry is tested by advancing the mock's clock. */
  adminToken?: string;
  /** Allow checks that wait in real time (expiry against a real server). */
  slow?: boolean;
  /**
   * How long a background effect (lastUsedAt) may take to show before a check
   * fails, in ms. Default 5 000 (contracts/CONTRACT.md "Background effects").
   */
  backgroundTimeoutMs?: number;
  /** How often such an effect is looked for while waiting, in ms. Default 250. */
  pollIntervalMs?: number;
  /** The clock and sleep the suite waits with; tests inject a virtual one. */
  timers?: Timers;
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

export type ResolvedOptions = Omit<
  ConformanceOptions,
  'fetch' | 'concurrency' | 'requestTimeoutMs' | 'baseUrl' | 'backgroundTimeoutMs' | 'pollIntervalMs' | 'timers' | 'profiling'
> & {
  baseUrl: string;
  fetch: typeof fetch;
  concurrency: number;
  requestTimeoutMs: number;
  backgroundTimeoutMs: number;
  pollIntervalMs: number;
  timers: Timers;
  mock: boolean;
  slow: boolean;
  profiling: boolean;
  /** The value of every choice the mock-choice checks expect: the options' `choices` over the table's defaults. */
  expected: ServerChoices;
};

/** One thing wrong with the options: which option, and a sentence that follows its name. */
export interface OptionProblem {
  option: keyof ConformanceOptions;
  problem: string;
}

/**
 * The first problem with the run's settings, or null. Shared by the
 * programmatic entry (which names `options.x`) and the CLI (which names the flag).
 */
export function findOptionProblem(options: Partial<ConformanceOptions>): OptionProblem | null {
  let url: URL | undefined;
  try {
    url = new URL(String(options.baseUrl));
  } catch {
    return {
      option: 'baseUrl',
      problem: `must be an absolute http(s) URL such as http://localhost:8080, got ${JSON.stringify(options.baseUrl)}`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { option: 'baseUrl', problem: `must use http or https, got ${url.protocol}` };
  for (const name of CREDENTIALS) {
    const value = options[name];
    if (name === 'apiKey' && (typeof value !== 'string' || value === ''))
      return { option: 'apiKey', problem: `is required: the raw key of ${CREDENTIAL_INFO.apiKey.role}` };
    if (value !== undefined && (typeof value !== 'string' || value === '' || value !== value.trim()))
      return { option: name, problem: 'must be a non-empty raw key without surrounding white space' };
  }
  const given = CREDENTIALS.map((name) => options[name]).filter((v): v is string => v !== undefined);
  if (new Set(given).size !== given.length)
    return {
      option: 'otherApiKey',
      problem: 'and the other credentials must be different keys (the checks compare what different users see)',
    };
  if (options.choices !== undefined) {
    if (options.mock !== true)
      return { option: 'choices', problem: 'are what the mock is held to: give them with mock (the CLI: --profile with --mock)' };
    if (typeof options.choices !== 'object' || options.choices === null)
      return { option: 'choices', problem: `must be an object of choice → value; the choices are ${CHOICE_NAMES.join(', ')}` };
    for (const [name, value] of Object.entries(options.choices)) {
      const problem = choiceValueProblem(name, value);
      if (problem) return { option: 'choices', problem: `are wrong: ${problem}` };
    }
  }
  for (const [name, reason] of Object.entries(options.excludeChecks ?? {}))
    if (typeof reason !== 'string' || reason.trim() === '')
      return { option: 'excludeChecks', problem: `must give a reason for leaving out ${name}, got ${JSON.stringify(reason)}` };
  for (const name of ['concurrency', 'requestTimeoutMs', 'backgroundTimeoutMs', 'pollIntervalMs'] as const) {
    const value = options[name];
    if (value === undefined) continue;
    const ok =
      name === 'concurrency' ? Number.isInteger(value) && value >= 1 : typeof value === 'number' && value > 0 && Number.isFinite(value);
    if (!ok) return { option: name, problem: `must be a positive ${name === 'concurrency' ? 'integer' : 'number'}, got ${String(value)}` };
  }
  return null;
}

/**
 * Validates the programmatic options; a misuse error names the option.
 * The base URL loses its trailing slash so paths from the spec can be appended.
 */
export function resolveOptions(options: ConformanceOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('runConformance: options must be an object with at least baseUrl and apiKey');
  const problem = findOptionProblem(options);
  if (problem) throw new TypeError(`runConformance: options.${problem.option} ${problem.problem}`);
  return {
    ...options,
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    fetch: options.fetch ?? globalThis.fetch,
    concurrency: options.concurrency ?? 8,
    requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
    backgroundTimeoutMs: options.backgroundTimeoutMs ?? 5_000,
    pollIntervalMs: options.pollIntervalMs ?? 250,
    timers: options.timers ?? realTimers,
    mock: options.mock === true,
    slow: options.slow === true,
    profiling: options.profiling === true,
    expected: { ...DEFAULT_CHOICES, ...options.choices },
  };
}
