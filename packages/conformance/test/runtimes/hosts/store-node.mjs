// Runs the store checks bundle in another Node (24, the set-up's .tmp/node24) without better-sqlite3,
// as a vendor's Node 22.5+ without it does: the stores fall back to node:sqlite.
//   node store-node.mjs <bundle.mjs> checks <dir>
//   … store-node.mjs <bundle.mjs> race <file.sqlite> <ids.json> <who> <startAt epoch ms>
// Prints the answer (JSON), its `driver` the one the stores can use: node:sqlite when better-sqlite3
// cannot be found from the bundle's folder.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const [bundle, mode, path, ids, who, startAt] = process.argv.slice(2);
let betterSqlite3 = true;
try {
  createRequire(bundle).resolve('better-sqlite3');
} catch {
  betterSqlite3 = false;
}
const { storeChecks, claimRace } = await import(pathToFileURL(bundle).href);
if (mode === 'race') {
  process.stdout.write(JSON.stringify(await claimRace(path, JSON.parse(readFileSync(ids, 'utf8')), who, Number(startAt))));
} else {
  const answer = await storeChecks(path);
  process.stdout.write(JSON.stringify({ ...answer, driver: betterSqlite3 ? answer.driver : 'node:sqlite', node: process.versions.node.split('.')[0] }));
}
