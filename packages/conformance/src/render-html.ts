import { resolveLocale, type Locale } from '@s3404/core';
import { summarize } from './internal/evidence.js';
import { anchorOf, escapeHtml } from './internal/html-escape.js';
import { REPORT_CSS } from './internal/html-style.js';
import { htmlWords, OUTCOME_LABELS, RESULT_LABELS, VERDICT_LABELS, type HtmlWords } from './internal/html-words.js';
import type { ConformanceReport, ConformanceTest, RequirementReport } from './report.js';
import { MIN_PASSING_VECTORS, REQUIREMENT_TITLES } from './requirements.js';

/**
 * Options of {@link renderConformanceHtml} (X-3).
 *
 * `import type { RenderConformanceHtmlOptions } from '@s3404/conformance'`
 *
 * @public
 */
export interface RenderConformanceHtmlOptions {
  /** The page's language: `'fr'` (default) or `'en'`; anything else gives French. */
  readonly locale?: Locale | undefined;
}

/**
 * The conformance report as one self-contained HTML page for an examiner
 * (X-3): the SDK version, runtime and date, the overall verdict in words, how
 * to read the report, the verdict of each requirement with its title and
 * counts, the vector files run with their SHA-256, then each requirement's
 * tests — failed first — with what they check, what was expected, the
 * outcome, the SDK's answer, the time and the SHA-256 of the input and of
 * each fixture read. Inline CSS, no script, no external resource (a Content
 * Security Policy forbids them); prints on A4 with table headers repeated and
 * rows never cut; verdicts are words and signs, not colours only. Every value
 * from the report is escaped: a comment containing `<script>` shows as text.
 * Runtime-neutral: returns the page as a string.
 *
 * `import { renderConformanceHtml } from '@s3404/conformance'`
 *
 * @example
 * ```ts
 * const report = await runConformance({ sdk, files })
 * const html = renderConformanceHtml(report, { locale: 'en' }) // '<!doctype html><html lang="en">…'
 * ```
 * @throws TypeError when `report` has no `requirements` object or no `tests` array.
 * @public
 */
export function renderConformanceHtml(report: ConformanceReport, options: RenderConformanceHtmlOptions = {}): string {
  if (typeof report !== 'object' || report === null || typeof report.requirements !== 'object' || report.requirements === null || !Array.isArray(report.tests))
    throw new TypeError('renderConformanceHtml: a ConformanceReport ({ requirements, tests, … }) is required');
  const locale = resolveLocale(options?.locale);
  const w = htmlWords(locale);
  const requirements = Object.entries(report.requirements);
  const anchors = anchorsOf(requirements.map(([id]) => id));
  const tests = report.tests.filter((t): t is ConformanceTest => typeof t === 'object' && t !== null);
  const sdk = `s3404 ${report.sdkVersion ?? w.unknown}`;
  return [
    '<!doctype html>',
    `<html lang="${locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`${w.title} — ${sdk}`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    header(report, tests, requirements, w, sdk),
    '<main>',
    howToRead(w, locale),
    requirementTable(requirements, anchors, w, locale),
    fileTable(report, w),
    `<section aria-labelledby="detail"><h2 id="detail">${escapeHtml(w.detailTitle)}</h2>`,
    ...requirements.map(([id, r]) => requirementSection(id, r, anchors.get(id) ?? anchorOf(id), tests, w, locale)),
    '</section>',
    '</main>',
    `<footer><p>${escapeHtml(w.generated)}</p></footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** The title, the facts of the run and the overall verdict in words. */
function header(
  report: ConformanceReport,
  tests: readonly ConformanceTest[],
  requirements: readonly [string, RequirementReport][],
  w: HtmlWords,
  sdk: string,
): string {
  const s = summarize(tests);
  const notPassed = requirements.filter(([, r]) => r?.verdict !== 'passed').length;
  const ok = report.ok === true;
  const fact = (term: string, value: string): string => `<dt>${escapeHtml(term)}</dt><dd>${value}</dd>`;
  return [
    '<header>',
    `<h1>${escapeHtml(w.title)}</h1>`,
    '<dl class="facts">',
    fact(w.sdk, escapeHtml(sdk)),
    fact(w.runtime, escapeHtml(report.runtime)),
    fact(w.date, `<time datetime="${escapeHtml(report.date)}">${escapeHtml(report.date)}</time>`),
    fact(w.filter, escapeHtml(report.filter ?? w.noFilter)),
    fact(
      w.totals,
      escapeHtml(
        `${s.tests} ${w.tests} (${w.negatives(s.negatives)}) — ${w.passedCount} ${s.passed}, ${w.failedCount} ${s.failed}, ${w.indeterminateCount} ${s.indeterminate}`,
      ),
    ),
    '</dl>',
    `<section class="overall ${ok ? 'ok' : 'ko'}" aria-labelledby="verdict">`,
    `<h2 id="verdict">${escapeHtml(w.verdict + w.colon)}<span class="overall-word">${escapeHtml(ok ? w.conformant : w.notConformant)}</span></h2>`,
    `<p>${escapeHtml(ok ? w.conformantWhy(requirements.length) : w.notConformantWhy(notPassed, requirements.length, s.failed, s.tests))}</p>`,
    '</section>',
    '</header>',
  ].join('\n');
}

/** What passed, failed, indeterminate and not covered mean. */
function howToRead(w: HtmlWords, locale: Locale): string {
  return [
    '<section aria-labelledby="how">',
    `<h2 id="how">${escapeHtml(w.howTitle)}</h2>`,
    ...w.how.map((p) => `<p>${escapeHtml(p)}</p>`),
    '<ul class="legend">',
    ...w.howVerdicts.map(([v, text]) => `<li>${badge(v, locale)} ${escapeHtml(text)}</li>`),
    '</ul>',
    '</section>',
  ].join('\n');
}

/** A verdict as a sign and a word, styled by its class. */
function badge(verdict: unknown, locale: Locale): string {
  const known = typeof verdict === 'string' && Object.hasOwn(VERDICT_LABELS, verdict) ? VERDICT_LABELS[verdict as keyof typeof VERDICT_LABELS] : undefined;
  if (known === undefined) return `<span class="badge">${escapeHtml(verdict)}</span>`;
  return `<span class="badge ${escapeHtml(verdict)}"><span aria-hidden="true">${known.sign}</span> ${escapeHtml(known[locale])}</span>`;
}

/** A test's outcome as a sign and a word. */
function outcomeBadge(outcome: unknown, locale: Locale): string {
  const label = typeof outcome === 'string' && Object.hasOwn(OUTCOME_LABELS, outcome) ? OUTCOME_LABELS[outcome] : undefined;
  if (label === undefined) return `<span class="badge">${escapeHtml(outcome)}</span>`;
  return `<span class="badge ${escapeHtml(outcome)}"><span aria-hidden="true">${VERDICT_LABELS[outcome as 'passed'].sign}</span> ${escapeHtml(label[locale])}</span>`;
}

/** The title of a requirement in the page's language, or nothing for one outside the SPEC's list. */
function titleOf(id: string, locale: Locale): string {
  return Object.hasOwn(REQUIREMENT_TITLES, id) ? (REQUIREMENT_TITLES[id]?.[locale] ?? '') : '';
}

/** The per-requirement table. */
function requirementTable(requirements: readonly [string, RequirementReport][], anchors: ReadonlyMap<string, string>, w: HtmlWords, locale: Locale): string {
  return [
    '<section aria-labelledby="requirements">',
    `<h2 id="requirements">${escapeHtml(w.requirementsTitle)}</h2>`,
    '<table>',
    `<caption>${escapeHtml(w.requirementsCaption)}</caption>`,
    `<thead><tr><th scope="col">${escapeHtml(w.requirement)}</th><th scope="col">${escapeHtml(w.requirementTitle)}</th><th scope="col">${escapeHtml(w.verdict)}</th><th scope="col">${escapeHtml(w.passedCount)}</th><th scope="col">${escapeHtml(w.failedCount)}</th><th scope="col">${escapeHtml(w.indeterminateCount)}</th></tr></thead>`,
    '<tbody>',
    ...requirements.map(
      ([id, r]) =>
        `<tr><th scope="row"><a href="#${escapeHtml(anchors.get(id) ?? anchorOf(id))}">${escapeHtml(id)}</a></th><td>${escapeHtml(titleOf(id, locale))}</td><td>${badge(r?.verdict, locale)}</td><td class="num">${escapeHtml(r?.passed)}</td><td class="num">${escapeHtml(r?.failed)}</td><td class="num">${escapeHtml(r?.indeterminate)}</td></tr>`,
    ),
    '</tbody>',
    '</table>',
    `<p>${escapeHtml(locale === 'en' ? `A requirement needs at least ${MIN_PASSING_VECTORS} passing tests.` : `Une exigence demande au moins ${MIN_PASSING_VECTORS} tests réussis.`)}</p>`,
    '</section>',
  ].join('\n');
}

/** The vector files run, with their SHA-256. */
function fileTable(report: ConformanceReport, w: HtmlWords): string {
  const files = Array.isArray(report.files) ? report.files.filter((f) => typeof f === 'object' && f !== null) : [];
  if (files.length === 0) return '';
  return [
    '<section aria-labelledby="files">',
    `<h2 id="files">${escapeHtml(w.filesTitle)}</h2>`,
    '<table>',
    `<caption>${escapeHtml(w.filesCaption)}</caption>`,
    `<thead><tr><th scope="col">${escapeHtml(w.file)}</th><th scope="col">${escapeHtml(w.hash)}</th><th scope="col">${escapeHtml(w.tests)}</th></tr></thead>`,
    '<tbody>',
    ...files.map(
      (f) =>
        `<tr><th scope="row"><code>${escapeHtml(f.path)}</code></th><td><span class="hash">${escapeHtml(f.sha256)}</span><span class="detail">${escapeHtml(f.hashed === 'bytes' ? w.hashedBytes : w.hashedCanonical)}</span></td><td class="num">${escapeHtml(f.tests)}</td></tr>`,
    ),
    '</tbody>',
    '</table>',
    '</section>',
  ].join('\n');
}

const COLUMNS =
  '<colgroup><col class="c-test"><col class="c-what"><col class="c-expected"><col class="c-outcome"><col class="c-answer"><col class="c-time"><col class="c-hash"></colgroup>';

const ORDER: Readonly<Record<string, number>> = { failed: 0, indeterminate: 1, passed: 2 };

/** One requirement's tests, failed first, then indeterminate, then passed. */
function requirementSection(id: string, r: RequirementReport, anchor: string, all: readonly ConformanceTest[], w: HtmlWords, locale: Locale): string {
  const mine = all
    .filter((t) => Array.isArray(t.requirements) && t.requirements.includes(id))
    .map((t, i) => ({ t, i }))
    .sort((a, b) => (ORDER[a.t.outcome] ?? 0) - (ORDER[b.t.outcome] ?? 0) || a.i - b.i)
    .map(({ t }) => t);
  const title = titleOf(id, locale);
  const heading = `<h3 id="${escapeHtml(anchor)}">${escapeHtml(id)}${title === '' ? '' : ` — ${escapeHtml(title)}`}${escapeHtml(w.colon)}${badge(r?.verdict, locale)}</h3>`;
  const head = `<thead><tr><th scope="col">${escapeHtml(w.test)}</th><th scope="col">${escapeHtml(w.description)}</th><th scope="col">${escapeHtml(w.expected)}</th><th scope="col">${escapeHtml(w.outcome)}</th><th scope="col">${escapeHtml(w.answer)}</th><th scope="col">${escapeHtml(w.time)}</th><th scope="col">${escapeHtml(w.inputHash)}</th></tr></thead>`;
  return [
    '<section class="requirement">',
    heading,
    mine.length === 0
      ? `<p>${escapeHtml(w.noTest)}</p>`
      : [
          '<table class="tests">',
          `<caption>${escapeHtml(w.testsCaption(id))}</caption>`,
          COLUMNS,
          head,
          '<tbody>',
          ...mine.map((t) => testRow(t, w, locale)),
          '</tbody>',
          '</table>',
        ].join('\n'),
    '</section>',
  ].join('\n');
}

/** One test: what it checks, expected, outcome, answer, time and hashes. */
function testRow(t: ConformanceTest, w: HtmlWords, locale: Locale): string {
  const result = typeof t.result === 'string' && Object.hasOwn(RESULT_LABELS, t.result) ? (RESULT_LABELS[t.result]?.[locale] ?? t.result) : String(t.result);
  const expected = expectedText(t.expected);
  const answer = t.answer ?? t.code;
  const fixtures = Array.isArray(t.fixtures) ? t.fixtures : [];
  const ms = typeof t.ms === 'number' && Number.isFinite(t.ms) ? `${locale === 'fr' ? String(t.ms).replace('.', ',') : String(t.ms)} ms` : '';
  return [
    `<tr class="row-${escapeHtml(t.outcome)}">`,
    `<th scope="row"><code>${escapeHtml(`${t.file}#${t.tcId}`)}</code></th>`,
    `<td>${escapeHtml(t.comment)}</td>`,
    `<td>${escapeHtml(result)}${expected === '' ? '' : ` <code>${escapeHtml(expected)}</code>`}</td>`,
    `<td>${outcomeBadge(t.outcome, locale)}</td>`,
    `<td>${answer === undefined ? escapeHtml(w.notAnswered) : `<code>${escapeHtml(answer)}</code>`}${t.detail === undefined || t.detail === answer ? '' : `<span class="detail">${escapeHtml(t.detail)}</span>`}</td>`,
    `<td class="num">${escapeHtml(ms)}</td>`,
    `<td><span class="detail">${escapeHtml(w.input + w.colon)}<span class="hash">${escapeHtml(t.inputSha256)}</span></span>${fixtures
      .map((f) => `<span class="detail"><code>${escapeHtml(f?.file)}</code>${escapeHtml(w.colon)}<span class="hash">${escapeHtml(f?.sha256)}</span></span>`)
      .join('')}</td>`,
    '</tr>',
  ].join('');
}

/** The expected code, or the other expected fields as compact JSON (truncated). */
function expectedText(expected: unknown): string {
  if (typeof expected !== 'object' || expected === null) return '';
  const e = expected as Record<string, unknown>;
  if (typeof e['code'] === 'string') return e['code'];
  let json: string;
  try {
    json = JSON.stringify(e) ?? '';
  } catch {
    return '';
  }
  if (json === '{}') return '';
  return json.length > 200 ? `${json.slice(0, 199)}…` : json;
}

/** A unique HTML id per requirement, even when two ids only differ by characters an anchor cannot keep. */
function anchorsOf(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const [i, id] of ids.entries()) {
    let anchor = anchorOf(id);
    if (used.has(anchor)) anchor = `${anchor}-${i}`;
    used.add(anchor);
    out.set(id, anchor);
  }
  return out;
}
