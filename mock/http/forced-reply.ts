import type { IncomingMessage } from 'node:http';
import type { CompiledOperation } from '../../contracts/openapi/load-spec.ts';
import { echo, errors } from '../service/api-error.ts';
import type { FaultRegistry } from './fault-registry.ts';
import { jsonReply, type PipelineReply } from './reply.ts';

/** How the mock waits out an injected latency; tests inject one that records instead of sleeping. */
export type Wait = (ms: number) => Promise<void>;
export const realWait: Wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Prism's `Prefer: code=NNN` header, then control-plane faults (docs/configuration.md
 * "Control plane"): a reply that replaces the operation, or null to run it. Touches no state.
 */
export async function forcedReply(
  op: CompiledOperation,
  req: IncomingMessage,
  pathname: string,
  faults: FaultRegistry,
  wait: Wait,
): Promise<PipelineReply | null> {
  const header = req.headers.prefer;
  const prefer = parsePrefer(Array.isArray(header) ? header.join(', ') : header);
  if (prefer) {
    const status = prefer.code ?? op.statuses[0]!;
    if (!op.responses.has(status)) {
      throw errors.badRequest(
        `Prefer: code=${status} is not a documented status of ${op.operationId}; documented: ${op.statuses.join(', ')}`,
      );
    }
    const examples = op.responses.get(status)!.examples;
    if (prefer.example !== undefined && !(prefer.example in examples)) {
      throw errors.badRequest(
        `Prefer: example=${echo(prefer.example)} is not an example of ${op.operationId} ${status}; examples: ${Object.keys(examples).join(', ') || 'none'}`,
      );
    }
    return documentedReply(op, status, prefer.example);
  }
  const fault = faults.take(op, req.method ?? '', pathname);
  if (!fault) return null;
  if (fault.latencyMs) await wait(fault.latencyMs);
  if (fault.status === undefined) return null;
  if (op.responses.has(fault.status)) return documentedReply(op, fault.status);
  throw errors.injectedFault(fault.status);
}

/** A response the spec documents, as Prism would serve it: its example body (by name, or the first) and `Location` on a 201. */
function documentedReply(op: CompiledOperation, status: number, exampleName?: string): PipelineReply {
  const response = op.responses.get(status)!;
  if (!response.validate) return { status, headers: {} };
  const body = exampleName !== undefined ? response.examples[exampleName] : response.example;
  const headers: Record<string, string> = {};
  const id = (body as { apiKeyMetadata?: { apiKeyId?: string } } | undefined)?.apiKeyMetadata?.apiKeyId;
  if (id && response.headers.some((h) => h.name === 'location')) headers.Location = `${op.path.replace(/\/\{[^}]+\}$/, '')}/${id}`;
  return jsonReply(status, body ?? { error: response.description }, headers);
}

/** Parses Prism's `Prefer: code=404, example=name` request header. */
function parsePrefer(header: string | undefined): { code?: number; example?: string } | null {
  if (!header) return null;
  const code = /(?:^|[,;\s])code=(\d{3})\b/.exec(header)?.[1];
  const example = /(?:^|[,;\s])example=([\w-]+)/.exec(header)?.[1];
  if (code === undefined && example === undefined) return null;
  return { code: code === undefined ? undefined : Number(code), example };
}
