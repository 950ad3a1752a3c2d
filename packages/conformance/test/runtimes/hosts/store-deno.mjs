// Runs the store checks bundle in Deno (node:sqlite):
//   deno run --allow-read=<dir>,<bundle> --allow-write=<dir> store-deno.mjs <bundle.mjs> checks <dir>
//   … store-deno.mjs <bundle.mjs> race <file.sqlite> <ids.json> <who> <startAt epoch ms>
// Prints the answer (JSON).
const [bundle, mode, path, ids, who, startAt] = Deno.args;
const { storeChecks, claimRace } = await import(new URL(`file://${bundle}`).href);
const answer = mode === 'race' ? await claimRace(path, JSON.parse(await Deno.readTextFile(ids)), who, Number(startAt)) : await storeChecks(path);
await Deno.stdout.write(new TextEncoder().encode(JSON.stringify(answer)));
