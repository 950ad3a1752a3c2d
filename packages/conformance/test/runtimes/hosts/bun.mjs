// Runs the suite bundle in Bun: bun run bun.mjs <bundle.mjs> <test-vectors dir> <index.json>;
// prints the report (JSON).
const [bundle, root, index] = Bun.argv.slice(2);
const { runSuite } = await import(bundle);
const paths = await Bun.file(index).json();
const report = await runSuite({ paths, read: async (path) => new Uint8Array(await Bun.file(`${root}/${path}`).arrayBuffer()) });
await Bun.write(Bun.stdout, JSON.stringify(report));
