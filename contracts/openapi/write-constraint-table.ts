import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { writeGeneratedFile } from '../common/generated-file.ts';
import { renderConstraintTable, withConstraintTable } from './constraint-table.ts';
import type { SpecDocument } from './schema-constraints.ts';
import { specPath } from './spec-path.ts';

// `npm run contract:table`: rewrites the "Schema constraints" table of contracts/CONTRACT.md from
// openapi.yaml; `npm run lint` runs it with --check, so the document never drifts from the spec.
const contract = fileURLToPath(new URL('../CONTRACT.md', import.meta.url));
const table = renderConstraintTable(parse(readFileSync(specPath, 'utf8')) as SpecDocument);
writeGeneratedFile(contract, withConstraintTable(readFileSync(contract, 'utf8'), table), 'npm run contract:table', process.argv);
