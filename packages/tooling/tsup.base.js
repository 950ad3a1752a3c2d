// @ts-check
/**
 * The one tsup configuration of the monorepo: ESM only, declarations,
 * runtime-neutral output unless a package says otherwise.
 * Plain JavaScript so that config loaders can import it from node_modules.
 *
 * @param {Record<string, string>} entry
 * @param {import('tsup').Options} [overrides]
 * @returns {import('tsup').Options}
 */
export function packageConfig(entry, overrides = {}) {
  return {
    entry,
    format: ['esm'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    outDir: 'dist',
    ...overrides,
  };
}
