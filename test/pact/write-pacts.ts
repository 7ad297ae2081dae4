import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { DEFAULT_PACT_DIR } from '../../contracts/pact/pact-names.ts';
import { recordPacts } from './consumer/record-pacts.ts';

// Regenerates the committed pacts: `PACT_DO_NOT_TRACK=true npx tsx test/pact/write-pacts.ts`.
// Records into an empty folder first (Pact merges into existing files, which
// would keep interactions that were renamed or removed), then replaces pacts/.
process.env.PACT_DO_NOT_TRACK ??= 'true';
const dir = mkdtempSync(join(tmpdir(), 'apikeys-pacts-'));
try {
  const file = await recordPacts(dir);
  const target = join(DEFAULT_PACT_DIR, basename(file));
  copyFileSync(file, target);
  process.stdout.write(`wrote ${relative(process.cwd(), target)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
