// Regenerates schema/bordereau.schema.json from the zod model (FORM-1).
// Run: pnpm --filter @s3404/form schema. A test fails when the file is stale.
import { writeFileSync } from 'node:fs';
import { bordereauJsonSchema } from '../src/json-schema.js';

const target = new URL('../schema/bordereau.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(bordereauJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
