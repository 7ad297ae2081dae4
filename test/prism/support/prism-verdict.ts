/** One entry of Prism's `sl-violations` header, or of a `VIOLATIONS` problem's `validation` list. */
export interface Violation {
  /**
   * In `sl-violations`: starts with `request` or `response`, then the part
   * (`body`, `path`, `header`…). Absent from some of a 422's entries (a
   * missing body, an unsupported content type).
   */
  location?: string[];
  severity: 'Error' | 'Warning' | 'Information' | 'Hint';
  code?: string | number;
  message: string;
}

/** Prism's problem types (`https://stoplight.io/prism/errors#<TYPE>`) that mean "your request is invalid". */
const REQUEST_REJECTIONS = {
  UNAUTHORIZED: 401, // no credential of any security scheme the operation declares
  UNPROCESSABLE_ENTITY: 400, // body, path parameter or content type invalid; `Prefer` unreadable
  INVALID_CONTENT_TYPE: 400,
  NO_PATH_MATCHED_ERROR: 404, // the path is not in the spec
  NO_METHOD_MATCHED_ERROR: 405, // the path is, the method is not
} as const;
export type RequestRejectionType = keyof typeof REQUEST_REJECTIONS | 'INVALID_BODY';

/**
 * What Prism did with one exchange, read from its response alone:
 * - `forwarded`: the upstream answered; `violations` lists what Prism found
 *   wrong with request or response (the `sl-violations` header);
 * - `response-rejected`: `--errors` replaced an invalid upstream response
 *   with a 500 `VIOLATIONS` problem;
 * - `request-rejected`: Prism answered itself and the upstream never saw the
 *   request; `upstreamShould` is the status a server that agrees with Prism
 *   answers to the same request;
 * - `prism-error`: any other answer of Prism's own (upstream unreachable…).
 */
export type PrismVerdict =
  | { kind: 'forwarded'; violations: Violation[] }
  | { kind: 'response-rejected'; violations: Violation[] }
  | { kind: 'request-rejected'; type: RequestRejectionType; upstreamShould: number; message: string }
  | { kind: 'prism-error'; message: string };

const PRISM_ERROR = 'https://stoplight.io/prism/errors#';

export function prismVerdict(status: number, headers: Headers, body: string): PrismVerdict {
  const violations = parseViolations(headers.get('sl-violations'));
  const json = parseJson(body);
  if ((headers.get('content-type') ?? '').startsWith('application/problem+json')) {
    const problem = (json ?? {}) as { type?: string; title?: string; detail?: string; validation?: Violation[] };
    const type = problem.type?.startsWith(PRISM_ERROR) ? problem.type.slice(PRISM_ERROR.length) : undefined;
    // The validation list says what is wrong; `detail` is boilerplate when there is one.
    const reasons = (problem.validation ?? []).map(formatViolation);
    const message = [problem.title, ...(reasons.length > 0 ? reasons : [problem.detail])].filter(Boolean).join(' — ');
    if (type === 'VIOLATIONS') return { kind: 'response-rejected', violations: problem.validation ?? violations };
    if (type !== undefined && type in REQUEST_REJECTIONS) {
      const known = type as keyof typeof REQUEST_REJECTIONS;
      return { kind: 'request-rejected', type: known, upstreamShould: REQUEST_REJECTIONS[known], message };
    }
    return { kind: 'prism-error', message: `${status} ${message || body}` };
  }
  // Prism's HTTP layer (micri) parses JSON bodies before anything else and
  // answers unreadable ones itself, as `{"error":{"code":…,"message":…}}`: an
  // `error` that is an object, which openapi.yaml's Error schema never allows.
  const micri = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  if (micri && typeof micri === 'object' && typeof micri.code === 'string') {
    return status === 400
      ? { kind: 'request-rejected', type: 'INVALID_BODY', upstreamShould: 400, message: `${micri.code}: ${String(micri.message)}` }
      : { kind: 'prism-error', message: `${status} ${micri.code}: ${String(micri.message)}` };
  }
  return { kind: 'forwarded', violations };
}

/** `sl-violations` is JSON, possibly cut at 8 KiB with a `Too many violations!` prefix. */
export function parseViolations(header: string | null): Violation[] {
  if (!header) return [];
  const parsed = parseJson(header);
  if (Array.isArray(parsed)) return parsed as Violation[];
  return [{ location: ['response'], severity: 'Error', message: header }];
}

export function formatViolation(v: Violation): string {
  return `[${v.severity}] ${(v.location ?? ['request']).join('.')}: ${v.message}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
