import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isDeepStrictEqual } from 'node:util';
import { join } from 'node:path';
import { packageRoot, specPath } from './spec-path.ts';

// Parsing openapi.yaml with the yaml library (72 modules, a cold parser) was about a
// sixth of the mock's cold start. The build stores the parsed document as JSON, keyed
// by the SHA-256 of the YAML text it came from: a text that does not match (an edited
// spec, another file) is parsed as YAML, so the cache can be stale but never wrong.
const CACHE_FILE = join(packageRoot, 'dist/openapi.parsed.json');

interface ParsedSpecCache {
  sha256: string;
  document: unknown;
}

/**
 * The document an OpenAPI YAML (or JSON) text holds: from the build's cache when the
 * text is the one it was built from, else parsed (yaml is loaded only then).
 *
 * @example
 * const document = parseSpecText(readFileSync(specPath, 'utf8'));
 */
export function parseSpecText(text: string): unknown {
  // Both layers of one file (the mock loads them at start-up) share one parse; callers never modify it.
  if (last?.text === text) return last.document;
  const cached = readCache();
  const document =
    cached?.sha256 === sha256(text) ? cached.document : (createRequire(import.meta.url)('yaml') as typeof import('yaml')).parse(text);
  last = { text, document };
  return document;
}

let last: { text: string; document: unknown } | undefined;

/** Writes the cache for `openapi.yaml` (run by `npm run build`); skipped if JSON cannot hold the document exactly. */
export function writeParsedSpecCache(): void {
  const text = readFileSync(specPath, 'utf8');
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  const document: unknown = yaml.parse(text);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(document)), document)) return;
  writeFileSync(CACHE_FILE, JSON.stringify({ sha256: sha256(text), document } satisfies ParsedSpecCache));
}

function readCache(): ParsedSpecCache | undefined {
  try {
    return JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as ParsedSpecCache;
  } catch {
    return undefined;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
