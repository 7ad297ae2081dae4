import { fileURLToPath } from 'node:url';
import { writeGeneratedFile } from '../common/generated-file.ts';
import { profileJsonSchema } from '../common/server-profile.ts';

// `npm run profile:schema`: the JSON Schema of a server profile (what --profile-out writes and
// --profile reads), shipped in the package beside the suite and derived from the choice table;
// `npm run lint` runs it with --check so the shipped file never drifts from the table.
const target = fileURLToPath(new URL('./server-profile.schema.json', import.meta.url));
writeGeneratedFile(target, `${JSON.stringify(profileJsonSchema(), null, 2)}\n`, 'npm run profile:schema', process.argv);
