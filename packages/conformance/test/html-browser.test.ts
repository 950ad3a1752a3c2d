import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { browserAvailable as available, browserRequired as required, launchChromium } from '@s3404/tooling/test-kit';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderConformanceHtml, SPEC_REQUIREMENTS, type ConformanceReport } from '@s3404/conformance';
import { HOSTILE, brokenSdk, reportOf } from './report-kit.js';

/**
 * the examiner's HTML page read in headless Chromium as a person reads
 * it (`innerText`), scanned by axe-core, printed to PDF and read back with
 * tools nobody here wrote (qpdf --check, pdftotext).
 */
const require = createRequire(import.meta.url);

/** The page's globals, as the callbacks given to page.evaluate see them in Chromium (the test types have no DOM lib). */
interface El {
  readonly innerText: string;
  readonly textContent: string | null;
  querySelectorAll(selector: string): Iterable<El> & { readonly length: number };
}
declare const document: El & {
  readonly body: El;
  readonly title: string;
  readonly documentElement: { readonly lang: string };
  readonly scripts: { readonly length: number };
  readonly images: { readonly length: number };
  querySelector(selector: string): El | null;
};
declare function getComputedStyle(element: El): { readonly display: string; readonly breakInside: string; readonly borderTopStyle: string };
const work = mkdtempSync(join(tmpdir(), 's3404-html-report-'));

describe.runIf(available || required)('X-3 the HTML report in headless Chromium', () => {
  let browser: Browser;
  let report: ConformanceReport;
  const html: Record<'fr' | 'en', string> = { fr: '', en: '' };

  beforeAll(async () => {
    report = await reportOf(brokenSdk);
    html.fr = renderConformanceHtml(report);
    html.en = renderConformanceHtml(report, { locale: 'en' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(work, { recursive: true, force: true });
  });

  /** The page served at http://localhost/report.html (routed, no server), as an examiner opens it; `bypassCSP` only to inject axe. */
  async function open(locale: 'fr' | 'en', bypassCSP = false): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, bypassCSP });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => errors.push(m.text()));
    await page.route('http://localhost/**', (route) => route.fulfill({ contentType: 'text/html; charset=utf-8', body: html[locale] }));
    await page.goto('http://localhost/report.html');
    return { page, errors };
  }

  for (const [locale, words] of [
    ['fr', { verdict: 'Verdict\u00a0: NON CONFORME', how: 'Comment lire ce rapport', title: 'Usage unique', failed: 'Échouée', notCovered: 'Non couverte' }],
    ['en', { verdict: 'Verdict: NOT CONFORMANT', how: 'How to read this report', title: 'Single use', failed: 'Failed', notCovered: 'Not covered' }],
  ] as const)
    it(`a person sees the verdict, the requirements with their titles and the hostile text as text (${locale})`, async () => {
      const { page, errors } = await open(locale);
      // innerText, not textContent: the text as laid out and shown to a person (hidden text left out).
      const seen = await page.evaluate(() => ({
        // biome-ignore lint/performance/useDomNodeTextContent: what a person sees is the point
        text: document.body.innerText,
        title: document.title,
        lang: document.documentElement.lang,
        scripts: document.scripts.length,
        images: document.images.length,
        h1: [...document.querySelectorAll('h1')].map((h) => h.textContent),
        h2: document.querySelectorAll('h2').length,
        h3: document.querySelectorAll('h3').length,
        rows: [...document.querySelectorAll('table')].slice(0, 1).flatMap((t) =>
          // biome-ignore lint/performance/useDomNodeTextContent: the cells as a person reads them, tab-separated
          [...t.querySelectorAll('tbody tr')].map((r) => r.innerText),
        ),
        pwned: document.title.includes('pwned'),
      }));
      expect(seen.lang).toBe(locale);
      expect(seen.text).toContain(words.verdict);
      expect(seen.text).toContain(words.how);
      expect(seen.scripts).toBe(0);
      expect(seen.images).toBe(0);
      expect(seen.pwned).toBe(false);
      expect(seen.h1).toHaveLength(1);
      expect(seen.h3).toBe(SPEC_REQUIREMENTS.length);
      // The requirement table: one row per requirement, in the SPEC's order, with its title and a verdict in words.
      expect(seen.rows.map((r) => r.split('\t')[0])).toEqual(SPEC_REQUIREMENTS);
      expect(seen.rows.find((r) => r.startsWith('SIG-5'))).toContain(words.title);
      expect(seen.rows.find((r) => r.startsWith('FORM-2'))).toContain(words.failed);
      expect(seen.rows.find((r) => r.startsWith('FORM-1'))).toContain(words.notCovered);
      // The hostile comment and SDK message are shown, literally, as text.
      expect(seen.text.split(HOSTILE).length - 1).toBeGreaterThanOrEqual(5);
      expect(errors).toEqual([]);
      // Verdicts are told apart without colour: each badge kind has its own border style and text.
      const borders = await page.evaluate(() =>
        Object.fromEntries(
          ['passed', 'failed', 'indeterminate', 'not-covered'].map((c) => [
            c,
            getComputedStyle(document.querySelector(`ul.legend .badge.${c}`)!).borderTopStyle,
          ]),
        ),
      );
      expect(new Set(Object.values(borders)).size).toBe(4);
      await page.close();
    });

  it('the Content Security Policy stops a script even if one got in', async () => {
    const { page } = await open('en');
    await page.addScriptTag({ content: 'document.title = "ran"' }).catch(() => undefined);
    expect(await page.title()).not.toBe('ran');
    await page.close();
  });

  it('passes an axe-core scan with no serious or critical violation, in French and in English', async () => {
    const found: string[] = [];
    for (const locale of ['fr', 'en'] as const) {
      const { page } = await open(locale, true);
      await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
      const result = await page.evaluate(() => (globalThis as any).axe.run(document));
      found.push(...result.violations.filter((v: any) => v.impact === 'serious' || v.impact === 'critical').map((v: any) => `${locale}: ${v.id} ${v.help}`));
      // The contrast of every verdict badge was checked, and the page language and headings.
      for (const rule of ['color-contrast', 'html-has-lang', 'html-lang-valid', 'th-has-data-cells', 'document-title'])
        expect(
          result.passes.some((p: any) => p.id === rule),
          rule,
        ).toBe(true);
      await page.close();
    }
    expect(found).toEqual([]);
  });

  // qpdf and poppler are required tools of the project (tooling/check-tools.mjs): never skipped.
  it('prints to an A4 PDF that qpdf finds sound, with the verdict, every requirement and every test in its text', async () => {
    for (const locale of ['fr', 'en'] as const) {
      const { page } = await open(locale);
      await page.emulateMedia({ media: 'print' });
      // Print CSS: headers repeat on every page, rows are not cut.
      const print = await page.evaluate(() => ({
        thead: getComputedStyle(document.querySelector('thead')!).display,
        row: getComputedStyle(document.querySelector('tbody tr')!).breakInside,
      }));
      expect(print).toEqual({ thead: 'table-header-group', row: 'avoid' });
      const pdf = join(work, `report-${locale}.pdf`);
      writeFileSync(pdf, await page.pdf({ preferCSSPageSize: true, printBackground: true }));
      await page.close();
      const check = spawnSync('qpdf', ['--check', pdf], { encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      const info = spawnSync('pdfinfo', [pdf], { encoding: 'utf8' }).stdout;
      expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)/);
      const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
      expect(pages).toBeGreaterThan(5);
      const text = spawnSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }).stdout;
      expect(text.split('\f').length - 1).toBe(pages);
      expect(text).toContain(locale === 'fr' ? 'NON CONFORME' : 'NOT CONFORMANT');
      for (const id of SPEC_REQUIREMENTS) expect(text, id).toMatch(new RegExp(`\\b${id}\\b`));
      expect(text).toContain(locale === 'fr' ? 'Usage unique' : 'Single use');
      // The tests' table header is repeated on every page it spans: more headers than tables.
      const header = locale === 'fr' ? 'Ce qui est vérifié' : 'What it checks';
      const tables = new Set(report.tests.flatMap((t) => t.requirements)).size;
      expect(text.split(header).length - 1).toBeGreaterThan(tables);
      // No row cut in two: each test's input hash, wrapped over several lines of the last column, is whole on one page.
      // pdftotext gives each word with its box: the hash column starts where the word "entrée" / "input:" does.
      const boxes = join(work, `report-${locale}.bbox.html`);
      expect(spawnSync('pdftotext', ['-bbox', '-enc', 'UTF-8', pdf, boxes]).status).toBe(0);
      const perPage = readFileSync(boxes, 'utf8')
        .split('<page ')
        .slice(1)
        .map((page) => {
          const words = [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)].map((m) => ({
            x: Number(m[1]),
            y: Number(m[2]),
            text: m[3]!,
          }));
          const hex = (w: { text: string } | undefined): boolean => w !== undefined && /^[0-9a-f]{4,}$/.test(w.text);
          // The word "entrée" (then ":") or "input:" just before the first line of a hash.
          const column = Math.min(
            ...words.filter((w, i) => (w.text === 'entrée' && hex(words[i + 2])) || (w.text === 'input:' && hex(words[i + 1]))).map((w) => w.x),
          );
          return words
            .filter((w) => w.x >= column - 1 && /^[0-9a-f]+$/.test(w.text))
            .sort((l, r) => l.y - r.y || l.x - r.x)
            .map((w) => w.text)
            .join('');
        });
      const cut = report.tests.filter((t) => !perPage.some((p) => p.includes(t.inputSha256)));
      expect(
        cut.map((t) => `${t.file}#${t.tcId}`),
        locale,
      ).toEqual([]);
    }
  }, 180_000);
});
