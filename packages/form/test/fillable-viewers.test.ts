import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Browser } from 'playwright-core';
import { PDFDocument as UpstreamDocument, PDFTextField as UpstreamTextField } from 'pdf-lib';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable as available, browserRequired as required, launchChromium } from '@s3404/tooling/test-kit';
import { canonicalJson } from '@s3404/core';
import { formatCents, type Bordereau } from '@s3404/form';
import { readBordereauFromPdf, renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, example, examples, pdfText, qpdfCheck } from './helpers.js';

/**
 * FORM-5: the fillable form, written without pdf-lib's form objects, judged by tools the SDK did
 * not write: qpdf checks the file; pdf.js (Firefox's and Chromium-hosted viewers' engine) lists
 * every field with the name, value and rectangle that upstream pdf-lib 1.17.1 reads; in headless
 * Chromium, pdf.js's viewer shows every widget as an input, a person types into one, pdf.js saves
 * the document and the SDK reads the typed value back.
 */

interface Seen {
  readonly value: string;
  readonly page: number;
  readonly rect: readonly number[] | null;
  /** pdf.js: the text its worker extracts from the widget's appearance stream (through the font's ToUnicode map). */
  readonly shown?: string;
}

/** Every widget of a text field as pdf.js sees it, by fully qualified field name. */
async function pdfjsWidgets(pdf: Uint8Array): Promise<Map<string, Seen>> {
  const doc = await getDocument({ data: pdf.slice(), isEvalSupported: false, verbosity: 0 }).promise;
  const out = new Map<string, Seen>();
  try {
    for (let p = 1; p <= doc.numPages; p++) {
      const annotations = (await (await doc.getPage(p)).getAnnotations()) as {
        subtype: string;
        fieldType?: string;
        fieldName: string;
        fieldValue: string;
        rect: number[];
        textContent?: string[];
      }[];
      for (const a of annotations) {
        if (a.subtype !== 'Widget' || a.fieldType !== 'Tx') continue;
        expect(out.has(a.fieldName), `${a.fieldName} has one widget`).toBe(false);
        out.set(a.fieldName, { value: a.fieldValue, page: p - 1, rect: a.rect, shown: (a.textContent ?? []).join('\n') });
      }
    }
  } finally {
    await doc.destroy();
  }
  return out;
}

/** The same, read by upstream pdf-lib 1.17.1 (not the fork the SDK uses). */
async function upstreamFields(pdf: Uint8Array): Promise<Map<string, Seen>> {
  const doc = await UpstreamDocument.load(pdf, { updateMetadata: false });
  const pages = doc.getPages().map((p) => p.ref);
  const out = new Map<string, Seen>();
  for (const field of doc.getForm().getFields()) {
    if (!(field instanceof UpstreamTextField)) continue;
    const widgets = field.acroField.getWidgets();
    expect(widgets.length).toBeLessThanOrEqual(1);
    const widget = widgets[0];
    const r = widget?.getRectangle();
    out.set(field.getName(), {
      value: field.getText() ?? '',
      page: widget === undefined ? -1 : pages.findIndex((ref) => ref === widget.P()),
      rect: r === undefined ? null : [r.x, r.y, r.x + r.width, r.y + r.height],
    });
  }
  return out;
}

describe('FORM-5 fillable form checked by qpdf, pdf.js and upstream pdf-lib', () => {
  it.each(examples().map((e) => [e.name, e.data] as const))('%s: qpdf --check accepts the A3 and A4 forms', async (_n, data) => {
    for (const page of ['a3', 'a4'] as const) {
      const { bytes } = await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable', page });
      const check = qpdfCheck(bytes);
      expect(check.ok, check.output).toBe(true);
    }
  });

  it.each(['mco-chirurgie-pth', 'ssr-long-sejour'])('%s: pdf.js lists every field with the name, value and rectangle pdf-lib 1.17.1 reads', async (name) => {
    const data = example(name);
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable' });
    const [seen, upstream] = await Promise.all([pdfjsWidgets(bytes), upstreamFields(bytes)]);
    const withWidget = [...upstream].filter(([, f]) => f.rect !== null);
    expect([...seen.keys()].sort()).toEqual(withWidget.map(([n]) => n).sort());
    for (const [field, want] of withWidget) {
      const got = seen.get(field)!;
      expect(got.value, field).toBe(want.value);
      expect(got.page, field).toBe(want.page);
      for (const [i, v] of got.rect!.entries()) expect(Math.abs(v - want.rect![i]!), `${field} rect`).toBeLessThan(0.01);
      // The appearance draws the value (wrapped lines: the same words).
      expect(got.shown!.replace(/\s+/g, ' ').trim(), `${field} appearance`).toBe(want.value.replace(/\s+/g, ' ').trim());
    }
    const widgets = withWidget.length;
    // Values straight from the input file, not through the SDK's codec.
    const raw = JSON.parse(readFileSync(new URL(`../../../examples/data/${name}.json`, import.meta.url), 'utf8')) as Bordereau;
    expect(seen.get('s3404.insured.lastName')?.value).toBe(raw.insured.lastName);
    expect(seen.get('s3404.establishment.finess')?.value).toBe(raw.establishment.finess);
    expect(seen.get('s3404.totals.total')?.value).toBe(formatCents(raw.totals.total, { currency: false }));
    expect(seen.get('s3404.totals.total')?.shown).toBe(formatCents(raw.totals.total, { currency: false }));
    expect(widgets).toBeGreaterThan(name === 'ssr-long-sejour' ? 1000 : 100);
    // Every model leaf is a field: the SDK's reader gives the model again.
    const { $schema: _s, ...expected } = data;
    expect(canonicalJson(await readBordereauFromPdf(bytes))).toBe(canonicalJson(expected));
  });

  it('draws the values with the embedded font, U+202F thousands separators included, the same bytes each time', async () => {
    const data = example('ssr-long-sejour');
    const total = formatCents(data.totals.total, { currency: false });
    expect(total).toContain('\u202f');
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable' });
    // pdf.js and poppler (which prints U+202F as a space) read the appearance through the font's ToUnicode map.
    expect((await pdfjsWidgets(bytes)).get('s3404.totals.total')?.shown).toBe(total);
    const text = pdfText(bytes).join('\n');
    expect(text).toContain(total.replace('\u202f', ' '));
    expect(text).toContain(data.insured.lastName);
    // Same input and clock: same bytes.
    expect((await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable' })).bytes).toEqual(bytes);
  });
});

const require = createRequire(import.meta.url);
const PDFJS = join(dirname(require.resolve('pdfjs-dist/package.json')));

describe.runIf(available || required)('FORM-5 fillable form in headless Chromium (pdf.js viewer)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('shows every widget as an input; what is typed is saved by pdf.js and read back by the SDK', async () => {
    const data = example('mco-chirurgie-pth');
    const { bytes } = await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable' });
    const widgets = await pdfjsWidgets(bytes);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // pdf.js's files and the PDF, served from a made-up origin (no network).
    await page.route('http://s3404.test/**', async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: VIEWER_HTML });
      if (path === '/form.pdf') return route.fulfill({ contentType: 'application/pdf', body: Buffer.from(bytes) });
      const file = join(PDFJS, path.replace(/^\/pdfjs\//, ''));
      if (!file.startsWith(PDFJS)) return route.abort();
      return route.fulfill({ contentType: file.endsWith('.css') ? 'text/css' : 'text/javascript', body: readFileSync(file) });
    });
    await page.goto('http://s3404.test/');
    await page.waitForFunction(() => (globalThis as { viewerReady?: boolean }).viewerReady === true, undefined, { timeout: 20_000 });

    // Page 1: one input per widget, named and filled as pdf.js read the file.
    const onPage1 = [...widgets.entries()].filter(([, s]) => s.page === 0);
    await page.waitForSelector('.annotationLayer input, .annotationLayer textarea', { timeout: 20_000 });
    const inputs = await page.$$eval('.page[data-page-number="1"] .annotationLayer :is(input, textarea)', (list) =>
      list.map((e) => ({ name: e.getAttribute('name'), value: (e as HTMLInputElement).value })),
    );
    expect(inputs.map((i) => i.name).sort()).toEqual(onPage1.map(([n]) => n).sort());
    // pdf.js shows the text of the appearance when it has the value's words on several lines.
    for (const i of inputs) expect(i.value.replace(/\s+/g, ' '), i.name!).toBe(widgets.get(i.name!)!.value.replace(/\s+/g, ' '));

    // A person types a new last name and a fee amount.
    for (const [name, value] of [
      ['s3404.insured.lastName', 'Dupont-Étienne'],
      ['s3404.insured.firstName', 'Zoé'],
    ] as const) {
      const input = page.locator(`.annotationLayer [name="${name}"]`);
      await input.click();
      await input.fill('');
      await input.pressSequentially(value);
      await input.press('Tab');
    }
    const saved = await page.evaluate(async () => {
      const app = (globalThis as unknown as { pdfDocument: { saveDocument(): Promise<Uint8Array> } }).pdfDocument;
      const out = await app.saveDocument();
      let bin = '';
      for (const b of out) bin += String.fromCharCode(b);
      return btoa(bin);
    });
    expect(errors).toEqual([]);
    const back = await readBordereauFromPdf(new Uint8Array(Buffer.from(saved, 'base64')));
    expect(back.insured.lastName).toBe('Dupont-Étienne');
    expect(back.insured.firstName).toBe('Zoé');
    expect(back.fees).toEqual(data.fees);
    await page.close();
  });
});

/** pdf.js's viewer component with forms enabled (AnnotationMode.ENABLE_FORMS), as in its "simple viewer" example. */
const VIEWER_HTML = `<!doctype html>
<meta charset="utf-8">
<link rel="stylesheet" href="/pdfjs/web/pdf_viewer.css">
<div id="container" style="position:absolute;inset:0;overflow:auto"><div id="viewer" class="pdfViewer"></div></div>
<script type="module">
import * as pdfjsLib from '/pdfjs/legacy/build/pdf.mjs';
globalThis.pdfjsLib = pdfjsLib;
pdfjsLib.GlobalWorkerOptions.workerSrc = '/pdfjs/legacy/build/pdf.worker.mjs';
const viewerModule = await import('/pdfjs/legacy/web/pdf_viewer.mjs');
const eventBus = new viewerModule.EventBus();
const linkService = new viewerModule.PDFLinkService({ eventBus });
const viewer = new viewerModule.PDFViewer({
  container: document.getElementById('container'),
  eventBus,
  linkService,
  annotationMode: pdfjsLib.AnnotationMode.ENABLE_FORMS,
});
linkService.setViewer(viewer);
eventBus.on('annotationlayerrendered', () => { globalThis.viewerReady = true; });
const pdfDocument = await pdfjsLib.getDocument({ url: '/form.pdf', isEvalSupported: false }).promise;
globalThis.pdfDocument = pdfDocument;
viewer.setDocument(pdfDocument);
linkService.setDocument(pdfDocument);
eventBus.on('pagesinit', () => { viewer.currentScaleValue = '1'; });
</script>`;
