import { loadSpec } from '../openapi/load-spec.ts';
import type { Exchange } from './http-exchange.ts';

export interface CoverageRow {
  operation: string;
  method: string;
  path: string;
  /** Documented status → how many responses of the run had it (0 = a gap). */
  documented: Record<number, number>;
  /** Statuses the server answered with that the operation does not document. */
  undocumented: Record<number, number>;
}

/** Which (operation, documented status) pairs of openapi.yaml a run exercised. */
export interface CoverageMatrix {
  /** Every status any operation documents, ascending: the matrix's columns. */
  statuses: number[];
  rows: CoverageRow[];
  covered: number;
  total: number;
  gaps: { operation: string; status: number }[];
}

/** Counts the responses of a run per (operation, status). */
export function buildCoverage(exchanges: readonly Exchange[]): CoverageMatrix {
  const spec = loadSpec();
  const rows: CoverageRow[] = spec.operations.map((op) => ({
    operation: op.operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    documented: Object.fromEntries(op.statuses.map((s) => [s, 0])),
    undocumented: {},
  }));
  const byId = new Map(rows.map((row) => [row.operation, row]));
  for (const exchange of exchanges) {
    const row = exchange.operationId ? byId.get(exchange.operationId) : undefined;
    if (!row) continue;
    const bucket = exchange.status in row.documented ? row.documented : row.undocumented;
    bucket[exchange.status] = (bucket[exchange.status] ?? 0) + 1;
  }
  const gaps = rows.flatMap((row) =>
    Object.entries(row.documented)
      .filter(([, n]) => n === 0)
      .map(([status]) => ({ operation: row.operation, status: Number(status) })),
  );
  const total = rows.reduce((n, row) => n + Object.keys(row.documented).length, 0);
  const statuses = [...new Set(spec.operations.flatMap((op) => op.statuses))].sort((a, b) => a - b);
  return { statuses, rows, covered: total - gaps.length, total, gaps };
}

/**
 * The matrix as text: one row per operation, one column per status. A count
 * is a pair exercised; `GAP` is a documented pair the run never saw; `·` is
 * not documented for that operation; undocumented answers are listed after.
 *
 * @example
 * console.log(formatCoverage(report.coverage));
 */
export function formatCoverage(matrix: CoverageMatrix): string {
  const name = Math.max(...matrix.rows.map((r) => `${r.operation} (${r.method})`.length), 9);
  const width = 6;
  const header = `${'operation'.padEnd(name)} ${matrix.statuses.map((s) => String(s).padStart(width)).join('')}`;
  const lines = [header];
  for (const row of matrix.rows) {
    const cells = matrix.statuses.map((status) => {
      const count = row.documented[status];
      const cell = count === undefined ? '·' : count === 0 ? 'GAP' : String(count);
      return cell.padStart(width);
    });
    const extra = Object.entries(row.undocumented).map(([s, n]) => `${s}×${n}`);
    lines.push(
      `${`${row.operation} (${row.method})`.padEnd(name)} ${cells.join('')}${extra.length ? `   undocumented: ${extra.join(', ')}` : ''}`,
    );
  }
  const summary =
    matrix.gaps.length === 0
      ? `all ${matrix.total} documented (operation, status) pairs exercised`
      : `${matrix.covered}/${matrix.total} pairs exercised; never exercised: ${matrix.gaps.map((g) => `${g.operation} ${g.status}`).join(', ')}`;
  return [...lines, '(number = responses seen; GAP = documented, never exercised; · = not documented)', summary].join('\n');
}
