import type { ConformanceReport } from '@s3404/conformance';
import { launchChromium } from '@s3404/tooling/test-kit';
import { serveVectors } from './serve-vectors.js';

/**
 * Runs the suite bundle in headless Chromium: a page of a local server (127.0.0.1, a secure
 * context for Web Crypto) imports `/suite.mjs` and reads the vector files with `fetch`. Returns
 * the report and the errors the page raised; closes the browser and the server.
 */
export async function runInChromium(vectors: string, bundle: string, paths: readonly string[]): Promise<{ report: ConformanceReport; errors: string[] }> {
  const server = await serveVectors(vectors, bundle);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(server.url);
    // A string, not a function: vitest would rewrite a function's `import()` for Node.
    const text = await page.evaluate(`(async () => {
      const { runSuite } = await import('/suite.mjs');
      const read = async (path) => {
        const res = await fetch('/v/' + path);
        if (!res.ok) throw new Error(path + ': HTTP ' + res.status);
        return new Uint8Array(await res.arrayBuffer());
      };
      return JSON.stringify(await runSuite({ paths: ${JSON.stringify(paths)}, read }));
    })()`);
    return { report: JSON.parse(text as string) as ConformanceReport, errors };
  } finally {
    await browser.close();
    await server.close();
  }
}
