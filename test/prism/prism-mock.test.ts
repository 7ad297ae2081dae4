import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatErrors } from '../../contracts/openapi/format-errors.ts';
import { loadSpec, type CompiledOperation, type CompiledResponse } from '../../contracts/openapi/load-spec.ts';
import { DEV_KEYS } from '../../mock/seed/default-seed.ts';
import { formatViolation, parseViolations } from './support/prism-verdict.ts';
import { startPrism, type RunningPrism } from './support/start-prism.ts';

// Prism ignores x- keys: it serves and checks the contract layer (contracts/CONTRACT.md "Two layers").
const spec = loadSpec({ layer: 'contract' });
const pairs = spec.operations.flatMap((op) => op.statuses.map((status) => [op.operationId, status, op] as const));
// Dynamic answers are random: a generator fault that shows in one answer of
// three slips through 12 samples with a probability of (2/3)^12, about 1 %.
const SAMPLES = 12;

let prism: RunningPrism | undefined;
beforeAll(async () => {
  prism = await startPrism({ mode: 'mock' });
});
afterAll(async () => {
  await prism?.close();
});

/** Calls the operation on the Prism mock with a valid request, plus `prefer`. */
async function call(op: CompiledOperation, prefer: string | undefined, headers: Record<string, string> = { 'x-api-key': DEV_KEYS.alice }) {
  const body = op.requestBody ? JSON.stringify(Object.values(op.requestBody.examples)[0] ?? {}) : undefined;
  const res = await fetch(`${prism!.url}${op.path.replace(/\{[^}]+\}/g, randomUUID())}`, {
    method: op.method.toUpperCase(),
    headers: { ...headers, ...(prefer ? { prefer } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body,
  });
  const text = await res.text();
  return { res, text, json: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Everything openapi.yaml says about this response that the answer breaks, as sentences; empty when valid. */
function problemsWith(response: CompiledResponse, answer: Awaited<ReturnType<typeof call>>): string[] {
  const problems: string[] = [];
  if (answer.res.status !== response.status) problems.push(`status ${answer.res.status}, expected ${response.status}: ${answer.text}`);
  const violations = parseViolations(answer.res.headers.get('sl-violations'));
  for (const violation of violations) problems.push(`Prism flags its own answer: ${formatViolation(violation)}`);
  if (response.validate) {
    if (!/^application\/json/.test(answer.res.headers.get('content-type') ?? ''))
      problems.push(`content-type ${answer.res.headers.get('content-type')}`);
    if (!response.validate(answer.json)) problems.push(...formatErrors(response.validate.errors, 'response body').split('; '));
  } else if (answer.text !== '') {
    problems.push(`a body where none is documented: ${answer.text}`);
  }
  for (const header of response.headers) {
    const value = answer.res.headers.get(header.name);
    if (value === null ? header.required : !header.validate(value)) problems.push(`header ${header.name}: ${value}`);
  }
  return problems;
}

describe('the stateless Prism mock (npm run mock:prism)', () => {
  it('starts on openapi.yaml without a warning or an error and lists every operation', () => {
    expect(prism!.errorOutput()).toBe('');
    const lines = prism!.startupOutput.split('\n').filter((line) => line.trim() !== '');
    expect(lines.filter((line) => /warn|error|fatal|⚠|✖/i.test(line))).toEqual([]);
    const listed = lines.map((line) => /\b(GET|POST|PUT|DELETE|PATCH)\s+http:\/\/\S+?(\/\S*)$/.exec(line)).filter((m) => m !== null);
    expect(listed.map((m) => `${m[1]} ${m[2]}`).sort()).toEqual(
      spec.operations
        .map((op) => `${op.method.toUpperCase()} ${op.path.replace(/\{[^}]+\}/g, '550e8400-e29b-41d4-a716-446655440000')}`)
        .sort(),
    );
  });

  it.each(pairs)('serves %s %i with its documented example when asked with Prefer: code', async (_id, status, op) => {
    const response = op.responses.get(status)!;
    const answer = await call(op, `code=${status}, dynamic=false`);
    expect(problemsWith(response, answer)).toEqual([]);
    if (response.validate) expect(answer.json).toEqual(response.example);
  });

  // json-schema-faker (Prism's generator) adds random properties to objects
  // unless told not to (its `fillProperties`, on by default in Prism), which
  // ignores `maxProperties`: without that option, --dynamic serves `labels`
  // with more than the contract's 10 entries.
  it('generates only answers valid against openapi.yaml in --dynamic mode, for every documented status', async () => {
    const problems = new Set<string>();
    let example = '';
    for (const [id, status, op] of pairs) {
      for (let i = 0; i < SAMPLES; i++) {
        const answer = await call(op, `code=${status}`);
        const found = problemsWith(op.responses.get(status)!, answer);
        if (found.length > 0 && !example) example = `${id} ${status}: ${answer.text.slice(0, 800)}`;
        // Array indices vary between samples; the same fault is reported once.
        for (const problem of found) problems.add(`${id} ${status}: ${problem.replace(/\.\d+\./g, '.N.')}`);
      }
    }
    expect([...problems], `e.g. ${example}`).toEqual([]);
  });

  it.each([
    ['a request without x-api-key', 'listApiKeys', 401, {}, undefined],
    ['a field of the wrong type', 'createApiKey', 400, { 'x-api-key': 'k', 'content-type': 'application/json' }, '{"expiresAt":"soon"}'],
    ['an id that is no UUID', 'deleteApiKey', 400, { 'x-api-key': 'k' }, undefined],
  ] as const)('answers %s with the documented %s error, the reason in sl-violations', async (_case, id, status, headers, body) => {
    const op = spec.byId[id];
    const path = op.path.replace(/\{[^}]+\}/g, status === 400 && !body ? 'not-a-uuid' : randomUUID());
    const res = await fetch(`${prism!.url}${path}`, { method: op.method.toUpperCase(), headers, body });
    const text = await res.text();
    expect(res.status).toBe(status);
    expect(op.responses.get(status)!.validate!(JSON.parse(text)), text).toBe(true);
    expect(res.headers.get('sl-violations')).toMatch(/"location":\["request/);
  });
});
