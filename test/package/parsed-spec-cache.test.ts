import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseSpecText } from '../../contracts/openapi/parsed-spec-cache.ts';
import { specPath } from '../../contracts/openapi/spec-path.ts';

// The build's cache of the parsed openapi.yaml may only ever change how fast a document is read.
describe('parseSpecText', () => {
  it('reads openapi.yaml as the yaml library does, whether or not a build cache exists', () => {
    const text = readFileSync(specPath, 'utf8');
    expect(parseSpecText(text)).toEqual(parse(text));
  });

  it('parses any other text itself, so an edited spec is never answered from the cache', () => {
    const edited = `${readFileSync(specPath, 'utf8')}\nx-edited: true\n`;
    expect(parseSpecText(edited)).toMatchObject({ 'x-edited': true });
    expect(parseSpecText('openapi: 3.1.0\npaths: {}\n')).toEqual({ openapi: '3.1.0', paths: {} });
  });
});
