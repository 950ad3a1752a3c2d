import { beforeAll, describe, expect, it } from 'vitest';
import { REQUIREMENT_TITLES, SPEC_REQUIREMENTS, renderConformanceHtml, runConformance, type ConformanceReport } from '@s3404/conformance';
import { HOSTILE, brokenSdk, hostileFile, now, readFixture, reportOf, sdk, vectorSource } from './report-kit.js';

/** the examiner's HTML page, rendered from a run over real vector files (pure checks; the browser test reads it as a person does). */

let broken: ConformanceReport;
let fr: string;
let en: string;
beforeAll(async () => {
  broken = await reportOf(brokenSdk);
  fr = renderConformanceHtml(broken);
  en = renderConformanceHtml(broken, { locale: 'en' });
});

/** The HTML of one requirement's section of the detail. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<h3 id="req-${id}">`);
  expect(start, id).toBeGreaterThan(0);
  const end = html.indexOf('<section class="requirement">', start);
  return html.slice(start, end === -1 ? undefined : end);
}

describe('X-3 renderConformanceHtml', () => {
  it('the run it renders has failures, indeterminate-free, over real files (the premise of the other tests)', () => {
    expect(broken.ok).toBe(false);
    expect(broken.summary?.failed).toBeGreaterThanOrEqual(5);
    expect(broken.requirements['FORM-2']?.verdict).toBe('failed');
    expect(broken.requirements['AUD-2']?.verdict).toBe('passed');
  });

  it('is one self-contained page: doctype, lang, charset, title, inline style, a CSP that forbids scripts, nothing external', () => {
    for (const [html, lang] of [
      [fr, 'fr'],
      [en, 'en'],
    ] as const) {
      expect(html.startsWith(`<!doctype html>\n<html lang="${lang}">`)).toBe(true);
      expect(html).toContain('<meta charset="utf-8">');
      expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
      expect(html).toMatch(/<style>[^<]*@page \{ size: A4;[^<]*thead \{ display: table-header-group; \}[^<]*<\/style>/);
      const tags = html.match(/<[a-z][^>]*>/gi) ?? [];
      expect(tags.length).toBeGreaterThan(1000);
      expect(tags.filter((t) => /^<(script|link|img|iframe|object|embed|base|form)\b|\s(src|srcset|action|on[a-z]+)=|href="(?!#)/i.test(t))).toEqual([]);
      expect(html).not.toMatch(/url\(|@import/i);
      expect(html.match(/<h1>/g)).toHaveLength(1);
    }
    expect(fr).toContain('<title>Rapport de conformité s3404 — s3404 9.9.9-html</title>');
    expect(en).toContain('<title>s3404 conformance report — s3404 9.9.9-html</title>');
  });

  it('says the overall verdict, the SDK version, runtime and date in words, in French and in English', () => {
    expect(fr).toContain('<span class="overall-word">NON CONFORME</span>');
    expect(fr).toContain('Comment lire ce rapport');
    expect(fr).toContain('au moins 3 tests réussis');
    expect(fr).toMatch(/<dt>Version du SDK<\/dt><dd>s3404 9\.9\.9-html<\/dd>/);
    expect(fr).toContain('<dd>node test</dd>');
    expect(fr).toContain('<time datetime="2026-12-05T13:00:00.000Z">');
    expect(en).toContain('<span class="overall-word">NOT CONFORMANT</span>');
    expect(en).toContain('How to read this report');
    expect(en).toContain('at least 3 passing tests');
    expect(en).toMatch(/<dt>SDK version<\/dt><dd>s3404 9\.9\.9-html<\/dd>/);
    // No French word in the English page, no English verdict word in the French one.
    for (const word of ['Réussie', 'Échouée', 'Indéterminée', 'Non couverte', 'Exigence', 'Intitulé', 'NON CONFORME', 'Comment lire'])
      expect(en).not.toContain(word);
    for (const word of ['Passed', 'Failed', 'Not covered', 'NOT CONFORMANT', 'Requirement']) expect(fr).not.toContain(word);
  });

  it('has one row per requirement of the SPEC, with its title, its verdict in words and its counts', () => {
    for (const [html, locale] of [
      [fr, 'fr'],
      [en, 'en'],
    ] as const)
      for (const id of SPEC_REQUIREMENTS) {
        const r = broken.requirements[id]!;
        const title = REQUIREMENT_TITLES[id]![locale];
        const row = new RegExp(
          `<tr><th scope="row"><a href="#req-${id}">${id}</a></th><td>${title.replace(/[()]/g, '\\$&')}</td><td><span class="badge ${r.verdict}"><span aria-hidden="true">.</span> [^<]+</span></td><td class="num">${r.passed}</td><td class="num">${r.failed}</td><td class="num">${r.indeterminate}</td></tr>`,
        );
        expect(html, `${locale} ${id}`).toMatch(row);
        expect(html).toContain(`<h3 id="req-${id}">`);
      }
    expect(fr).toMatch(/<a href="#req-SIG-5">SIG-5<\/a><\/th><td>Usage unique<\/td>/);
    expect(en).toMatch(/<a href="#req-SIG-5">SIG-5<\/a><\/th><td>Single use<\/td>/);
    expect(fr).toMatch(
      /<a href="#req-FORM-2">FORM-2<\/a><\/th><td>Contrôle des identifiants<\/td><td><span class="badge failed"><span aria-hidden="true">✗<\/span> Échouée<\/span>/,
    );
    expect(en).toMatch(
      /<a href="#req-FORM-2">FORM-2<\/a><\/th><td>Identifier checks<\/td><td><span class="badge failed"><span aria-hidden="true">✗<\/span> Failed<\/span>/,
    );
  });

  it('lists each requirement’s tests with file#tcId, failed first, each test under each of its requirements', () => {
    const form2 = section(fr, 'FORM-2');
    const rows = [...form2.matchAll(/<tr class="row-(\w+)"><th scope="row"><code>([^<]+)<\/code>/g)].map((m) => ({ outcome: m[1]!, id: m[2]! }));
    const mine = broken.tests.filter((t) => t.requirements.includes('FORM-2'));
    expect(rows).toHaveLength(mine.length);
    const failed = mine.filter((t) => t.outcome === 'failed').map((t) => `${t.file}#${t.tcId}`);
    expect(failed.length).toBeGreaterThanOrEqual(5);
    expect(rows.slice(0, failed.length).map((r) => r.id)).toEqual(failed);
    expect(rows.slice(failed.length).every((r) => r.outcome === 'passed')).toBe(true);
    // In the report, the first failure is not first: the page reordered them.
    expect(mine[0]?.outcome).toBe('passed');
    const everyRow = fr.match(/<tr class="row-/g) ?? [];
    const expected = Object.keys(broken.requirements).reduce((n, id) => n + broken.tests.filter((t) => t.requirements.includes(id)).length, 0);
    expect(everyRow).toHaveLength(expected);
  });

  it('gives each test its expectation, outcome, SDK answer, time and hashes — fixtures included', () => {
    const accepted = broken.tests.find((t) => t.file === 'form/identifiers.json' && t.outcome === 'failed' && t.answer === 'accepted')!;
    expect(accepted).toBeDefined();
    const row = section(en, 'FORM-2')
      .split('</tr>')
      .find((r) => r.includes(`<code>${accepted.file}#${accepted.tcId}</code>`))!;
    expect(row).toContain('refused (invalid)');
    expect(row).toContain(`<code>${String(accepted.expected?.['code'])}</code>`);
    expect(row).toMatch(/<span class="badge failed"><span aria-hidden="true">✗<\/span> Failed<\/span>/);
    expect(row).toContain('<code>accepted</code><span class="detail">expected invalid, the SDK accepted</span>');
    expect(row).toContain(`input: <span class="hash">${accepted.inputSha256}</span>`);
    expect(row).toMatch(/<td class="num">\d+(\.\d+)? ms<\/td>/);
    const sealed = broken.tests.find((t) => t.file === 'pdf/seals.json' && (t.fixtures?.length ?? 0) > 0)!;
    const fixture = sealed.fixtures![0]!;
    expect(en).toContain(`<code>${fixture.file}</code>: <span class="hash">${fixture.sha256}</span>`);
    expect(fr).toContain(`<code>${fixture.file}</code>\u00a0: <span class="hash">${fixture.sha256}</span>`);
    expect(fr).toMatch(/<td class="num">\d+(,\d+)? ms<\/td>/);
    for (const f of broken.files!) expect(en).toContain(`<th scope="row"><code>${f.path}</code></th><td><span class="hash">${f.sha256}</span>`);
  });

  it('escapes everything from the report: a comment or an SDK message with </table> or <script> shows as text', () => {
    expect(broken.tests.filter((t) => t.comment?.includes(HOSTILE))).toHaveLength(3);
    expect(broken.tests.some((t) => t.detail?.includes(HOSTILE))).toBe(true);
    const escaped =
      '&lt;/table&gt;&lt;/td&gt;&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;&quot;&#39;';
    for (const html of [fr, en]) {
      expect(html).not.toContain(HOSTILE);
      expect(html).not.toMatch(/<script|<img/i);
      // 3 comments (each under FORM-2) and the SDK's message for the hostile file's test 1 and for identifiers.json's 750712184.
      expect(html.split(escaped).length - 1).toBeGreaterThanOrEqual(5);
      expect(html.match(/<table/g)?.length).toBe(html.match(/<\/table>/g)?.length);
      expect(html.match(/<tr[ >]/g)?.length).toBe(html.match(/<\/tr>/g)?.length);
    }
    // Ids, paths, runtime, filter and version are report data too.
    const hostile: ConformanceReport = {
      ...broken,
      sdkVersion: '<b>1</b>',
      runtime: '<i>x</i>',
      filter: '"><script>',
      date: '"onmouseover="x',
      requirements: { '<svg onload=x>': { verdict: 'failed', passed: 0, failed: 1, indeterminate: 0, vectors: [] } },
      tests: [{ ...broken.tests[0]!, requirements: ['<svg onload=x>'], file: '<u>f</u>', code: '<s>', answer: undefined as never, detail: '</td>' }],
      files: [{ path: '<kbd>', sha256: '<q>', hashed: 'bytes', tests: 1 }],
    };
    const page = renderConformanceHtml(hostile);
    expect(page).not.toMatch(/<(b|i|u|s|kbd|q|svg)>|<svg|<script|"onmouseover/);
    expect(page).toContain('id="req-_svg_onload_x_"');
    expect(page).toContain('<code>&lt;u&gt;f&lt;/u&gt;#');
  });

  it('a conformant run says so; an unknown locale gives French; a non-report is a TypeError', async () => {
    const report = await runConformance({ sdk, files: [vectorSource('form/identifiers.json')], filter: 'FORM-2', now, readFixture });
    expect(report.ok).toBe(true);
    const html = renderConformanceHtml(report, { locale: 'de' as never });
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain('<span class="overall-word">CONFORME</span>');
    expect(html).toContain('Chacune des 1 exigences du périmètre est réussie.');
    expect(html).not.toContain('NON CONFORME');
    expect(html).toContain('<dd>FORM-2</dd>');
    expect(renderConformanceHtml(report, { locale: 'en' })).toContain('<span class="overall-word">CONFORMANT</span>');
    for (const bad of [null, undefined, 'x', {}, { requirements: {}, tests: 'x' }]) expect(() => renderConformanceHtml(bad as never)).toThrow(TypeError);
    // A report without the optional evidence (an older one) still renders.
    const { files: _files, summary: _summary, ...bare } = report;
    expect(renderConformanceHtml(bare)).not.toContain('id="files"');
  });

  it('renders the hand-written file even without its bytes (hashed as canonical JSON)', () => {
    expect(broken.files?.find((f) => f.path === hostileFile().path)?.hashed).toBe('canonical-json');
    expect(en).toContain('of the canonical JSON (RFC 8785)');
    expect(en).toContain('of the file (sha256sum)');
  });
});
