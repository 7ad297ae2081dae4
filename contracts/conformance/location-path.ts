/**
 * The path a `Location` header names, resolved against the URL of the request
 * that got it (RFC 9110 §10.2.2: absolute or relative); null when it is no URL.
 * contracts/CONTRACT.md "Create": either form is contract, the path must be the new key's.
 *
 * @example
 * locationPath('http://keys.example/v1/apikeys/550e…', 'http://127.0.0.1:8080/v1/apikeys'); // '/v1/apikeys/550e…'
 */
export function locationPath(location: string, requestUrl: string): string | null {
  try {
    return new URL(location, requestUrl).pathname;
  } catch {
    return null;
  }
}

/** Which form a `Location` takes: `relative` (a path) or `absolute` (with scheme and host); null for neither. */
export function locationForm(location: string): 'relative' | 'absolute' | null {
  if (/^https?:\/\/[^/?#]+\//i.test(location)) return 'absolute';
  return location.startsWith('/') && !location.startsWith('//') ? 'relative' : null;
}
