import type { Response } from 'express';
import type { CompiledOperation } from '../../contracts/spec/load-spec.ts';

/**
 * Answers with a response the spec documents, as Prism would: its example body
 * (by name, or the first) and example headers. Touches no state.
 */
export function sendDocumentedResponse(res: Response, op: CompiledOperation, status: number, exampleName?: string): void {
  const response = op.responses.get(status);
  if (!response) throw new Error(`${op.operationId} documents no ${status}`);
  if (status === 201 && op.responses.get(201)?.headers.some((h) => h.name === 'location')) {
    const body = exampleName ? response.examples[exampleName] : response.example;
    const id = (body as { apiKeyMetadata?: { apiKeyId?: string } } | undefined)?.apiKeyMetadata?.apiKeyId;
    if (id) res.location(`${op.path.replace(/\/\{[^}]+\}$/, '')}/${id}`);
  }
  res.status(status);
  if (!response.validate) {
    res.end();
    return;
  }
  const body = exampleName !== undefined ? response.examples[exampleName] : response.example;
  res.json(body ?? { error: response.description });
}

/** Parses Prism's `Prefer: code=404, example=name` request header. */
export function parsePrefer(header: string | undefined): { code?: number; example?: string } | null {
  if (!header) return null;
  const code = /(?:^|[,;\s])code=(\d{3})\b/.exec(header)?.[1];
  const example = /(?:^|[,;\s])example=([\w-]+)/.exec(header)?.[1];
  if (code === undefined && example === undefined) return null;
  return { code: code === undefined ? undefined : Number(code), example };
}
