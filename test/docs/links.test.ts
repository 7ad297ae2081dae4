import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docSection, fencedBlocks, readDoc, REPO } from './doc-section.ts';
import { brokenLinks, relativeLinks } from './markdown-links.ts';

// The front door stays short and every door from it opens: README.md at most 300 lines,
// every relative link of the project's documentation reaching a file (and heading) that
// exists and that the npm package ships, so the links work on GitHub, in a clone and in
// node_modules/apikeys-mock alike.
const README_MAX_LINES = 300;
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
  'contracts/conformance/README.md',
  'contracts/pact/README.md',
];
/** What npm packs whatever "files" says. */
const ALWAYS_PACKED = ['package.json', 'README.md', 'LICENSE'];

/** Whether npm packs `path` (a file, or a folder: then a folder entry of "files" holds it). */
function shipped(path: string): boolean {
  const { files } = JSON.parse(readDoc('package.json')) as { files: string[] };
  return ALWAYS_PACKED.includes(path) || files.some((entry) => (entry.endsWith('/') ? `${path}/`.startsWith(entry) : path === entry));
}

const existsInRepo = (path: string) => existsSync(join(REPO, path));

describe('the documentation', () => {
  it(`README.md is at most ${README_MAX_LINES} lines`, () => {
    const lines = readDoc('README.md').split('\n').length - 1;
    expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
  });

  it("README's two commands are `npm install && npm start` and `npm test`, the command .ci/run ends with", () => {
    const [block] = fencedBlocks(docSection('README.md', 'Two commands'), 'sh');
    const commands = block!
      .split('\n')
      .map((line) => line.replace(/#.*$/, '').trim())
      .filter(Boolean);
    expect(commands).toEqual(['npm install && npm start', 'npm test']);
    const ci = readDoc('.ci/run').trim().split('\n');
    expect(ci.at(-1)).toBe('npm test');
  });

  it('links only to files and headings that exist', () => {
    expect(brokenLinks(DOCS, readDoc, existsInRepo)).toEqual([]);
  });

  it('ships in the npm package, with every file it links to', () => {
    const targets = DOCS.flatMap((file) => relativeLinks(file, readDoc(file)).map(({ path }) => path));
    const unshipped = [...new Set([...DOCS, ...targets])].filter((path) => !shipped(path));
    expect(unshipped, 'add them to package.json "files", or link to something that ships').toEqual([]);
  });

  it('finds a missing file, a missing heading and a link in prose, but not one in code', () => {
    const pages: Record<string, string> = {
      'docs/a.md': [
        '# A',
        "## Choosing the key's id",
        'See [b](b.md#two-layers), [gone](gone.md), [here](#choosing-the-keys-id), [there](#nowhere), [web](https://example.com).',
        '`[not a link](code.md)`',
        '```md',
        '[nor this](fenced.md)',
        '```',
      ].join('\n'),
      'docs/b.md': '# B\n## Two layers\n',
    };
    expect(
      brokenLinks(
        ['docs/a.md'],
        (file) => pages[file]!,
        (path) => path in pages,
      ),
    ).toEqual(['docs/a.md: gone.md (no docs/gone.md)', 'docs/a.md: #nowhere (no heading #nowhere in docs/a.md)']);
  });
});
