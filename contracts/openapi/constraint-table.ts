import { schemaConstraints, type SchemaConstraint, type SpecDocument } from './schema-constraints.ts';

/**
 * The section of contracts/CONTRACT.md that states the rule behind a constraint,
 * first match wins (default "Schemas"). This list is the one thing about the
 * "Schema constraints" table written by hand; every row comes from openapi.yaml.
 */
const SECTIONS: readonly [matches: (c: SchemaConstraint) => boolean, section: string][] = [
  [(c) => /^(Error|ErrorMessage|FieldErrors)\b/.test(c.where), 'Transport'],
  [(c) => c.constraint === 'additionalProperties: false' && c.layer === 'contract', 'Responses'],
  [(c) => /^(Create|Update)ApiKeyRequest$/.test(c.where) && c.constraint === 'type: object', 'Bad requests'],
  [(c) => c.where === 'CreateApiKeyRequest' && c.layer === "mock's choice", 'Create'],
  [(c) => / request body$/.test(c.where), 'Bad requests'],
  [(c) => / Location header$/.test(c.where), 'Create'],
  [(c) => /^(UuidInput|path parameter)\b/.test(c.where), 'Ids'],
  [(c) => c.where === 'CreateApiKeyRequest.apiKeyId', 'Client-chosen ids'],
  [(c) => /^(ApiKeyStatus|UpdateApiKeyRequest)\b/.test(c.where), 'Update'],
  [(c) => /\.(keyPrefix|rawApiKey)$/.test(c.where), 'Key material'],
  [(c) => /^(Uuid|Timestamp)$/.test(c.where) && c.layer === 'contract', 'Transport'],
];

/** The section a constraint's rule is stated in. */
export function sectionOf(constraint: SchemaConstraint): string {
  return SECTIONS.find(([matches]) => matches(constraint))?.[1] ?? 'Schemas';
}

/**
 * contracts/CONTRACT.md's "Schema constraints" table, made from the spec: one row
 * per constraint (schemaConstraints), columns padded as a formatter would.
 * `npm run contract:table` writes it; `npm run lint` fails when the file differs.
 */
export function renderConstraintTable(document: SpecDocument): string {
  const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;
  const rows = schemaConstraints(document).map((c) => [code(c.where), code(c.constraint), c.layer, sectionOf(c)]);
  const header = ['where', 'constraint', 'layer', 'rule'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export const TABLE_START =
  '<!-- The table below is generated from openapi.yaml by `npm run contract:table`; edit the spec, not the table. -->';
export const TABLE_END = '<!-- End of the generated table. -->';

/** The document with the text between the table's markers replaced by `table`. */
export function withConstraintTable(markdown: string, table: string): string {
  const start = markdown.indexOf(TABLE_START);
  const end = markdown.indexOf(TABLE_END);
  if (start === -1 || end < start) throw new Error(`the contract document has no "${TABLE_START}" … "${TABLE_END}" markers`);
  return `${markdown.slice(0, start + TABLE_START.length)}\n\n${table}\n\n${markdown.slice(end)}`;
}
