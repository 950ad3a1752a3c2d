// Runs the suite bundle in Deno: deno run --allow-read=<bundle>,<test-vectors dir>,<index.json>
// deno.mjs <bundle.mjs> <test-vectors dir> <index.json>; prints the report (JSON).
const [bundle, root, index] = Deno.args;
const { runSuite } = await import(new URL(`file://${bundle}`).href);
const paths = JSON.parse(await Deno.readTextFile(index));
const report = await runSuite({ paths, read: (path) => Deno.readFile(`${root}/${path}`) });
await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(report)));
