import { expect } from 'vitest';
import { formatErrors } from '../../../contracts/openapi/format-errors.ts';
import { loadSpec, type OperationId } from '../../../contracts/openapi/load-spec.ts';

/** What every reply looks like to these checks, whichever client fetched it. */
export interface AnyReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body text. */
  text: string;
}

// Signs of a framework's default error page or of internals leaking out.
const LEAKS: [string, RegExp][] = [
  ['HTML', /<(!doctype|html|body|pre|h1)\b/i],
  // A stack in a JSON string has its newlines escaped: `\n    at fn (file:1:2)`.
  ['a stack frame', /(\n|\\n)\s+at \S.*:\d+:\d+/],
  ['a source path', /\/(node_modules|mock|contracts)\/[\w./-]+\.[jt]s\b|file:\/\//],
];

/** Fails when the body looks like an HTML error page, a stack trace or a source path. */
export function expectNoLeak(reply: AnyReply, context = ''): void {
  for (const [what, pattern] of LEAKS)
    expect(reply.text, `${context} reply contains ${what}: ${reply.text.slice(0, 300)}`).not.toMatch(pattern);
  expect(reply.headers['x-powered-by'], `${context} X-Powered-By`).toBeUndefined();
}

/**
 * Asserts an error reply: the expected status (or one of them), a JSON content
 * type, a body valid against openapi.yaml's `Error` schema (and against the
 * operation's documented response for that status, when one is named), no leak.
 */
export function expectErrorReply(reply: AnyReply, status: number | readonly number[], context = '', operationId?: OperationId): void {
  const allowed = typeof status === 'number' ? [status] : status;
  const where = `${context} → ${reply.status} ${reply.text.slice(0, 300)}`;
  expect(allowed, where).toContain(reply.status);
  expect(String(reply.headers['content-type']), where).toMatch(/^application\/json\b/);
  let body: unknown;
  try {
    body = JSON.parse(reply.text);
  } catch {
    expect.fail(`${where}: body is not JSON`);
  }
  const spec = loadSpec();
  const validate = spec.schema('Error');
  expect(validate(body), `${where}: ${formatErrors(validate.errors, 'error body')}`).toBe(true);
  if (operationId) {
    const documented = spec.byId[operationId].responses.get(reply.status);
    expect(documented, `${where}: ${operationId} does not document ${reply.status}`).toBeDefined();
    const validateDocumented = documented?.validate;
    if (validateDocumented)
      expect(validateDocumented(body), `${where}: ${formatErrors(validateDocumented.errors, 'response body')}`).toBe(true);
  }
  expectNoLeak(reply, context);
}
