/**
 * A built-in module of a Node-compatible runtime, taken through
 * `process.getBuiltinModule` (Node 20.16+, Bun, Deno) without any import, so
 * that runtime-neutral code can use it where it exists (X-1); `undefined` in
 * a browser, an older runtime, or when the lookup throws. Callers check the
 * module behaves before they use it. The packages' one lookup of built-ins.
 *
 * `import { builtinModule } from '@s3404/core'`
 *
 * @example
 * ```ts
 * const fs = builtinModule<typeof import('node:fs')>('node:fs') // undefined in a browser
 * ```
 * @public
 */
export function builtinModule<T>(id: string): T | undefined {
  const get = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule;
  if (typeof get !== 'function') return undefined;
  try {
    return (get(id) as T | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}
