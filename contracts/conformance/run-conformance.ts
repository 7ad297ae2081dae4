import { CHOICE_NAMES, type ChoiceName } from '../common/server-choices.ts';
import { loadSpec } from '../openapi/load-spec.ts';
import { buildProfile } from './build-profile.ts';
import { CheckContext } from './check-context.ts';
import type { CheckDefinition, ResponseCheck, Target } from './check-definition.ts';
import { TRANSPORT } from './check-definition.ts';
import { CheckFailure, CheckSkipped, RunInterrupted } from './check-failure.ts';
import type { CheckResult, CheckStatus, ConformanceReport, Family, FailureDetails } from './check-result.ts';
import { allChecks, responseChecks } from './checks/all-checks.ts';
import { resolveOptions, type ConformanceOptions } from './conformance-options.ts';
import { ConformanceSession } from './conformance-session.ts';
import { buildCoverage } from './coverage-matrix.ts';

/** One entry of the plan: a check for one operation. */
export interface PlannedCheck {
  id: string;
  check: string;
  family: Family;
  operation: Target;
  description: string;
  /** The section of contracts/CONTRACT.md the check enforces. */
  rule: string;
  /** `request` checks send their own requests; `response` checks judge every response afterwards. */
  kind: 'request' | 'response';
  /** The legal choices this check can tell a server's value of (the run's profile). */
  observes: readonly ChoiceName[];
}

export interface ConformanceRun {
  plan: readonly PlannedCheck[];
  /** Resolves when that check has a result (response checks: at the end of the run). */
  result(id: string): Promise<CheckResult>;
  done: Promise<ConformanceReport>;
}

interface Planned extends PlannedCheck {
  definition?: CheckDefinition;
  responseCheck?: ResponseCheck;
}

/** Every check of the suite, per operation; the same whatever the options (skips are decided when it runs). */
export function planConformance(): PlannedCheck[] {
  return buildPlan().map(({ definition: _d, responseCheck: _r, ...planned }) => planned);
}

function buildPlan(): Planned[] {
  const operations = loadSpec().operations.map((op) => op.operationId);
  const plan: Planned[] = [];
  for (const definition of allChecks) {
    for (const operation of definition.operations) {
      plan.push({
        id: `${operation}/${definition.name}`,
        check: definition.name,
        family: definition.family,
        operation,
        description: definition.description,
        rule: definition.rule,
        kind: 'request',
        observes: definition.observes ?? [],
        definition,
      });
    }
  }
  for (const responseCheck of responseChecks) {
    // Responses to no operation (unknown paths) only have to avoid 5xx.
    const targets: Target[] = responseCheck.name === 'not_a_server_error' ? [...operations, TRANSPORT] : operations;
    for (const operation of targets) {
      plan.push({
        id: `${operation}/${responseCheck.name}`,
        check: responseCheck.name,
        family: responseCheck.family,
        operation,
        description: responseCheck.description,
        rule: responseCheck.rule,
        kind: 'response',
        observes: [],
        responseCheck,
      });
    }
  }
  return plan;
}

/**
 * Runs the conformance suite against `options.baseUrl` and returns every
 * check's result, the coverage matrix and what clean-up did. Needs no test
 * runner: tests, the CLI's vitest entry and other tools all call this.
 *
 * @example
 * const report = await runConformance({ baseUrl: 'http://127.0.0.1:8080', apiKey: 'gm_…' });
 * if (!report.ok) console.log(report.results.filter((r) => r.status === 'failed'));
 */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  return startConformance(options).done;
}

/** Starts a run and hands out the plan at once, with a promise per check (for progress reporters). */
export function startConformance(options: ConformanceOptions): ConformanceRun {
  const resolved = resolveOptions(options);
  const plan = buildPlan();
  const unknown = Object.keys(resolved.excludeChecks ?? {}).filter((name) => !plan.some((p) => p.check === name));
  if (unknown.length > 0)
    throw new TypeError(
      `runConformance: options.excludeChecks names no check of the suite: ${unknown.join(', ')}; the checks are ${[...new Set(plan.map((p) => p.check))].join(', ')}`,
    );
  const settle = new Map<string, (result: CheckResult) => void>();
  const results = new Map<string, Promise<CheckResult>>();
  for (const planned of plan) results.set(planned.id, new Promise((resolve) => settle.set(planned.id, resolve)));
  const done = execute(resolved, plan, (result) => {
    settle.get(result.id)?.(result);
    resolved.onResult?.(result);
  });
  return {
    plan: plan.map(({ definition: _d, responseCheck: _r, ...planned }) => planned),
    result: (id) => results.get(id) ?? Promise.reject(new Error(`no check ${id} in the plan`)),
    done,
  };
}

async function execute(
  options: ReturnType<typeof resolveOptions>,
  plan: Planned[],
  report: (result: CheckResult) => void,
): Promise<ConformanceReport> {
  const started = performance.now();
  const session = new ConformanceSession(options);
  const results: CheckResult[] = [];
  const record = (planned: Planned, status: CheckStatus, message: string, durationMs: number, failure?: FailureDetails) => {
    const { definition: _d, responseCheck: _r, kind: _k, observes: _o, ...rest } = planned;
    const result: CheckResult = { ...rest, status, message, durationMs: Math.round(durationMs), ...(failure ? { failure } : {}) };
    results.push(result);
    report(result);
  };

  // Left out by name (options.excludeChecks): reported as skipped, with the reason given.
  const excluded = (p: Planned) => Object.hasOwn(options.excludeChecks ?? {}, p.check);
  for (const planned of plan.filter(excluded))
    record(planned, 'skipped', `left out of this run: ${options.excludeChecks![planned.check]}`, 0);
  const requestChecks = plan.filter((p) => p.definition && !excluded(p));
  const runOne = async (planned: Planned) => {
    if (session.interrupted) return record(planned, 'skipped', 'the run was interrupted before this check started', 0);
    const ctx = new CheckContext(session, planned.id, planned.observes);
    const t0 = performance.now();
    let status: CheckStatus = 'passed';
    let message = '';
    let failure: FailureDetails | undefined;
    try {
      await planned.definition!.run(ctx, planned.operation);
    } catch (error) {
      [status, message, failure] = outcomeOf(error);
    } finally {
      const problems = await ctx.cleanup();
      if (problems.length > 0) {
        [status, message] = ['failed', [message, ...problems].filter(Boolean).join('\n')];
        failure ??= { request: `clean-up after ${planned.id}`, expected: 'clean-up to succeed', actual: problems.join('; ') };
      }
    }
    record(planned, status, message, performance.now() - t0, failure);
  };
  await pool(
    requestChecks.filter((p) => !p.definition!.exclusive?.(options)),
    options.concurrency,
    runOne,
  );
  // Exclusive checks change something server-wide (the mock's clock): one at a time, after the rest.
  for (const planned of requestChecks.filter((p) => p.definition!.exclusive?.(options))) await runOne(planned);

  // Whatever is left (identity keys, keys of a check that crashed): delete it now.
  await session.deleteKeys(session.ledger.undeleted());

  judgeResponses(
    session,
    plan.filter((p) => p.responseCheck && !excluded(p)),
    record,
  );
  const interrupted = session.interrupted;
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const result of results) counts[result.status]++;
  const created = session.ledger.entries();
  // Report in plan order, whatever order the checks finished in.
  const order = new Map(plan.map((p, i) => [p.id, i]));
  results.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return {
    ok: counts.failed === 0 && !interrupted && session.leaked.length === 0,
    interrupted,
    results,
    coverage: buildCoverage(session.exchanges),
    cleanup: { created: created.length, deleted: created.filter((e) => e.deleted).length, leaked: session.leaked },
    counts,
    durationMs: Math.round(performance.now() - started),
    baseUrl: options.baseUrl,
    profile: buildProfile({
      observations: session.observations,
      results,
      observers: new Map(CHOICE_NAMES.map((name) => [name, plan.filter((p) => p.observes.includes(name)).map((p) => p.id)])),
      server: options.baseUrl,
      recordedAt: new Date(),
    }),
  };
}

function outcomeOf(error: unknown): [CheckStatus, string, FailureDetails?] {
  if (error instanceof CheckSkipped) return ['skipped', error.message];
  if (error instanceof CheckFailure) return ['failed', error.message, detailsOf(error)];
  if (error instanceof RunInterrupted)
    return ['failed', error.message, { request: '(none)', expected: 'the run to finish', actual: error.message }];
  const e = error as Error;
  // A check that cannot read a response is a failure of the server, not a pass.
  const message = `the check could not complete: ${e?.name ?? 'Error'}: ${e?.message ?? String(error)}`;
  return ['failed', message, { request: '(see message)', expected: 'the check to complete', actual: message }];
}

function detailsOf(failure: CheckFailure): FailureDetails {
  return {
    request: failure.operation,
    expected: failure.expected,
    actual: failure.actual,
    ...(failure.hint ? { hint: failure.hint } : {}),
  };
}

/** Applies every response check to every response of its operation; reports the first violations. */
function judgeResponses(
  session: ConformanceSession,
  planned: Planned[],
  record: (p: Planned, s: CheckStatus, m: string, d: number, f?: FailureDetails) => void,
): void {
  // Every server is judged by the contract layer; with --mock, by the full layer too, as the
  // choices the mock is held to make it (the defaults, or a profile's values).
  const contract = loadSpec({ layer: 'contract' });
  const full = session.options.mock ? loadSpec({ choices: session.options.expected }) : null;
  const baseUrl = session.options.baseUrl;
  const rawKeys = new Map<string, number>();
  for (const exchange of session.exchanges) {
    const raw = (exchange.json as { rawApiKey?: unknown } | undefined)?.rawApiKey;
    if (exchange.operationId === 'createApiKey' && exchange.status < 300 && typeof raw === 'string' && !rawKeys.has(raw))
      rawKeys.set(raw, exchange.sequence);
  }
  for (const p of planned) {
    const t0 = performance.now();
    const exchanges = session.exchanges.filter((e) => (e.operationId ?? TRANSPORT) === p.operation);
    if (exchanges.length === 0) {
      record(p, 'skipped', `no response of ${p.operation} was received`, 0);
      continue;
    }
    const failures: string[] = [];
    let first: FailureDetails | undefined;
    for (const exchange of exchanges) {
      try {
        p.responseCheck!.apply({ rawKeys, contract, full, baseUrl }, exchange);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
        if (!first && error instanceof CheckFailure) first = detailsOf(error);
      }
    }
    const message =
      failures.length === 0
        ? ''
        : `${failures.length} of ${exchanges.length} responses break it; first:\n${failures.slice(0, 3).join('\n')}${failures.length > 3 ? `\n… and ${failures.length - 3} more` : ''}`;
    const failure = first ? { ...first, count: { failed: failures.length, of: exchanges.length } } : undefined;
    record(p, failures.length === 0 ? 'passed' : 'failed', message, performance.now() - t0, failure);
  }
}

/** Runs `work` over `items` with at most `limit` at a time; stops starting new ones once interrupted (runOne handles that). */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
