/**
 * The first line the mock's CLI prints, which test fixtures in any language parse to
 * learn the URL (docs/fixtures.md: .NET, Java, Python). Changing it breaks those fixtures:
 * test/package/startup-line.test.ts pins it.
 *
 * @example
 * STARTUP_LINE.exec('apikeys-mock listening on http://127.0.0.1:41151 (ready in 172 ms)')?.[1]; // 'http://127.0.0.1:41151'
 */
export const STARTUP_LINE = /^apikeys-mock listening on (http:\/\/\S+) \(ready in \d+ ms\)$/;

/** The looser pattern the documented fixtures use, as text (the same in C#, Python and, with `\\S`, Java). */
export const FIXTURE_URL_PATTERN = String.raw`listening on (http://\S+)`;
