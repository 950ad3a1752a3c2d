import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread on a module of an s3404 package (X-1, issue 19):
 * `name` next to `here` (the caller's `import.meta.url`) — the built
 * `name.js` of the package's `dist`, or, when the package runs from its
 * TypeScript sources (its own tests, with the `@s3404/source` condition),
 * `name.ts` loaded through tsx with the same condition.
 *
 * `import { startModuleWorker } from '@s3404/core/node'`
 *
 * @example
 * ```ts
 * const worker = startModuleWorker(import.meta.url, 'verify-worker', { workerData })
 * ```
 * @throws TypeError when `name` is not a plain module name.
 * @public
 */
export function startModuleWorker(here: string, name: string, options: WorkerOptions = {}): Worker {
  if (!/^[\w-]+$/.test(name)) throw new TypeError('startModuleWorker: name must be a module name without extension or folder');
  if (!here.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, here), options);
  const url = new URL(`./${name}.ts`, here).href;
  const api = pathToFileURL(
    createRequire(here)
      .resolve('tsx/esm/api')
      .replace(/index\.cjs$/, 'index.mjs'),
  ).href;
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(code, { ...options, eval: true, execArgv: [...(options.execArgv ?? []), '--conditions=@s3404/source'] });
}
