import { posix } from 'node:path';

/** A relative link of a Markdown file: the file it points at (relative to the repository or package root) and its `#anchor`, if any. */
export interface RelativeLink {
  /** As written, for messages. */
  written: string;
  /** The target file, resolved against the linking file's folder; the linking file itself for `#anchor`. */
  path: string;
  anchor: string | null;
}

const FENCE = /^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1[ \t]*$/gm;
const CODE_SPAN = /(`+)[^`][\s\S]*?\1/g;
/** `[text](target)` or `[text](<target> "title")`; the text may hold one level of brackets. */
const INLINE_LINK = /\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g;
/** `[label]: target` reference definitions. */
const REFERENCE = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm;

/** The Markdown without its fenced code blocks and code spans, where a `[x](y)` is only text. */
function prose(markdown: string): string {
  return markdown.replace(FENCE, '').replace(CODE_SPAN, '');
}

/**
 * Every link of `markdown` (the text of `file`, a path relative to the root) that points
 * inside the project: no scheme (`https:`, `mailto:`), no protocol-relative `//host`.
 *
 * @example
 * relativeLinks('docs/a.md', 'See [b](b.md#top) and [c](https://example.com).');
 * // [{ written: 'b.md#top', path: 'docs/b.md', anchor: 'top' }]
 */
export function relativeLinks(file: string, markdown: string): RelativeLink[] {
  const text = prose(markdown);
  const targets = [...text.matchAll(INLINE_LINK), ...text.matchAll(REFERENCE)].map((m) => m[1]!);
  return targets
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//'))
    .map((written) => {
      const hash = written.indexOf('#');
      const pathPart = decodeURI(hash < 0 ? written : written.slice(0, hash));
      const anchor = hash < 0 ? null : decodeURIComponent(written.slice(hash + 1));
      const path = pathPart === '' ? file : posix.normalize(posix.join(posix.dirname(file), pathPart)).replace(/\/$/, '');
      return { written, path, anchor };
    });
}

/** A heading's text as it renders, as far as an anchor can tell: a link is its text (backticks and `*` go with the punctuation). */
function renderedText(heading: string): string {
  return heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
}

/**
 * The anchors GitHub gives the headings of `markdown` (ATX headings outside code blocks):
 * the rendered text lower-cased, every character but letters, digits, `_`, `-` and spaces
 * dropped, spaces made hyphens; a repeated anchor gets `-1`, `-2`, ….
 *
 * @example
 * headingAnchors("## Choosing the key's id\n## Two layers") // Set { 'choosing-the-keys-id', 'two-layers' }
 */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, heading] of markdown.replace(FENCE, '').matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
    const slug = renderedText(heading!)
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/**
 * Every link of `docs` whose file or heading does not exist, as "file: link (why)".
 * `read` gives a file's text and `exists` says whether a path is a file or folder, so the
 * same check runs on the repository and on the installed package.
 */
export function brokenLinks(docs: readonly string[], read: (file: string) => string, exists: (path: string) => boolean): string[] {
  return docs.flatMap((file) =>
    relativeLinks(file, read(file)).flatMap(({ written, path, anchor }) => {
      if (!exists(path)) return [`${file}: ${written} (no ${path})`];
      if (anchor === null || !path.endsWith('.md')) return [];
      return headingAnchors(read(path)).has(anchor) ? [] : [`${file}: ${written} (no heading #${anchor} in ${path})`];
    }),
  );
}
