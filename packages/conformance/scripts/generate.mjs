// Runs every vector generator (generate/all.ts) on the packages' TypeScript sources, through
// their `@s3404/source` export condition, so a regeneration needs no build.
// `pnpm --filter @s3404/conformance run generate [-- args]`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const all = fileURLToPath(new URL('../generate/all.ts', import.meta.url));
const run = spawnSync(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', all, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
