import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConformanceError } from '../errors/conformance-error.js';
import { adapterOf, type ConformanceAdapter } from '../contracts/adapter.js';
import { boundedBody } from '../internal/bounded-body.js';

/** Longest time the adapter module may take to load. */
const IMPORT_TIMEOUT_MS = 60_000;

/**
 * Imports an adapter module into this process: a path relative to
 * `cwd` or a package name resolved from it. Returns the adapter and the URL
 * the worker processes import. `runAdapterConformance` never calls it in the
 * caller's process: it runs the module in a supervised process of its own.
 *
 * `import { loadAdapterModule } from '@s3404/conformance/node'`
 *
 * @throws {@link ConformanceError} `ERR_ADAPTER_INVALID` when the module cannot be found, fails to load, or exports no adapter.
 */
export async function loadAdapterModule(module: string, cwd: string): Promise<{ readonly adapter: ConformanceAdapter; readonly url: string }> {
  if (typeof module !== 'string' || module.length === 0 || module.length > 4096)
    throw new ConformanceError('ERR_ADAPTER_INVALID', {
      params: { module: String(module).slice(0, 100), detail: { fr: 'nom de module vide', en: 'empty module name' } },
    });
  const path = isAbsolute(module) ? module : resolve(cwd, module);
  let url: string;
  if (existsSync(path)) url = pathToFileURL(path).href;
  else {
    try {
      url = pathToFileURL(createRequire(join(cwd, 'package.json')).resolve(module)).href;
    } catch (e) {
      throw new ConformanceError('ERR_ADAPTER_INVALID', {
        params: { module, detail: { fr: `introuvable depuis ${cwd}`, en: `not found from ${cwd}` } },
        cause: e,
      });
    }
  }
  let exports: unknown;
  try {
    // A module whose top-level await never settles is refused, not waited for.
    exports = await boundedBody(IMPORT_TIMEOUT_MS, () => import(url))();
  } catch (e) {
    if (e instanceof ConformanceError) throw e;
    const detail = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 300);
    throw new ConformanceError('ERR_ADAPTER_INVALID', { params: { module, detail }, cause: e });
  }
  return { adapter: adapterOf(exports, module), url };
}
