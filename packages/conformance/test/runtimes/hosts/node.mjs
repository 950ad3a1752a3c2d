// Runs the suite bundle in Node (the reference of the runtime test):
// node node.mjs <bundle.mjs> <test-vectors dir> <index.json>; prints the report (JSON).
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const [bundle, root, index] = process.argv.slice(2);
const { runSuite } = await import(pathToFileURL(bundle).href);
const paths = JSON.parse(await readFile(index, 'utf8'));
const report = await runSuite({ paths, read: async (path) => new Uint8Array(await readFile(`${root}/${path}`)) });
process.stdout.write(JSON.stringify(report));
