import { describe, expect, it } from 'vitest';
import { startModuleWorker } from '@s3404/core/node';

// Issue 19: the one way the packages start their worker threads (audit's parallel verification, the demo's signing threads).
describe('startModuleWorker', () => {
  it('runs a TypeScript module of the sources next to the caller, with its data and the SDK resolved from the sources', async () => {
    const worker = startModuleWorker(new URL('./workers/', import.meta.url).href.replace(/\/$/, '/x.ts'), 'echo-worker', { workerData: { n: 42 } });
    try {
      const message = await new Promise((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(message).toEqual({ data: { n: 42 }, locale: 'en' });
    } finally {
      await worker.terminate();
    }
  }, 30_000);

  it('refuses a name with a folder or an extension: it only starts modules of its own package', () => {
    for (const name of ['../x', 'x.js', 'a/b', '', 'x y']) expect(() => startModuleWorker(import.meta.url, name)).toThrow(TypeError);
  });
});
