/**
 * Node's fetch says only "fetch failed"; its cause names the refusal, the
 * reset or the lookup failure, which is what a person needs to read.
 */
export function describeFetchError(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'no answer before the request timeout';
  return e.cause ? `${e.message} (${e.cause.code ?? e.cause.message ?? 'unknown cause'})` : e.message;
}
