/** A parsed JSON value that is an object: not null, not an array. Shared by the mock and the suite. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
