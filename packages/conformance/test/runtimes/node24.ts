import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Node 24, installed beside the Node running the tests by the set-up (`test-fresh.sh`,
 * from the npm registry into `.tmp/node24`): the SDK on a vendor's recent Node, and its stores on
 * node:sqlite without better-sqlite3. Required in CI (S3404_REQUIRE_BROWSER=1, as the browser is);
 * elsewhere the tests that need it are skipped when it is missing.
 */
export const NODE24 = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../.tmp/node24/node_modules/.bin/node');
export const hasNode24 = existsSync(NODE24);
if (!hasNode24 && process.env['S3404_REQUIRE_BROWSER'] === '1') {
  throw new Error(`Node 24 missing at ${NODE24}: run bash packages/tooling/test-fresh.sh --setup-only`);
}
