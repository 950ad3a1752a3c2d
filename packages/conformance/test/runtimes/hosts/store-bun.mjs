// Runs the store checks bundle in Bun (bun:sqlite):
//   bun run store-bun.mjs <bundle.mjs> checks <dir>
//   bun run store-bun.mjs <bundle.mjs> race <file.sqlite> <ids.json> <who> <startAt epoch ms>
// Prints the answer (JSON).
const [bundle, mode, path, ids, who, startAt] = Bun.argv.slice(2);
const { storeChecks, claimRace } = await import(bundle);
const answer = mode === 'race' ? await claimRace(path, await Bun.file(ids).json(), who, Number(startAt)) : await storeChecks(path);
await Bun.write(Bun.stdout, JSON.stringify(answer));
