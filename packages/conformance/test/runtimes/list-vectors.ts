import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every `.json` file under `dir` but the JSON Schemas and the fixture manifests, as sorted `/`
 * paths relative to it: the files `s3404 conformance` reads (the suite then keeps the envelope-2
 * ones). The index the runtime test gives to each runtime.
 */
export function listVectorFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join('/'))
    .filter((p) => !p.startsWith('schema/') && !p.endsWith('fixtures/manifest.json'))
    .sort();
}
