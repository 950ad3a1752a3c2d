import { isS3404Error } from '@s3404/core';
import type { VectorTest } from '../envelope.js';
import type { HandlerAnswer, VectorHandler } from '../handler.js';
import type { ConformanceScorPjPolicy, ConformanceScorPjReport, ConformanceScorPjSdk } from '../sdk-scor-pj.js';
import { Indeterminate, isStringArray } from './indeterminate.js';

/** Page sizes are compared within 1 mm (scanners and writers round them; the SDK's documented slack). */
const SIZE_SLACK_MM = 1;
const POLICY_KEYS = new Set(['minDpi', 'colour', 'allowBilevel', 'maxPages', 'maxBytes', 'scanCoverage', 'strict']);

interface ImageFacts {
  readonly dpi: number;
  readonly dpiY?: number;
  readonly scan: boolean;
}
interface PageFacts {
  readonly widthMm: number;
  readonly heightMm: number;
  readonly images: readonly ImageFacts[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The vector's policy (absent: the defaults), or the vector is indeterminate. */
function policyOf(input: Record<string, unknown>): ConformanceScorPjPolicy {
  const policy = input['policy'];
  if (policy === undefined) return {};
  if (!isObject(policy) || Object.keys(policy).some((k) => !POLICY_KEYS.has(k))) throw new Indeterminate('input.policy is not a PJ policy');
  return policy as ConformanceScorPjPolicy;
}

/** `expected.pages` as page facts, or the vector is indeterminate. */
function pagesOf(value: unknown): readonly PageFacts[] | undefined {
  if (value === undefined) return undefined;
  const sound =
    Array.isArray(value) &&
    value.every(
      (p) =>
        isObject(p) &&
        isFiniteNumber(p['widthMm']) &&
        isFiniteNumber(p['heightMm']) &&
        Array.isArray(p['images']) &&
        p['images'].every(
          (i) => isObject(i) && isFiniteNumber(i['dpi']) && (i['dpiY'] === undefined || isFiniteNumber(i['dpiY'])) && typeof i['scan'] === 'boolean',
        ),
    );
  if (!sound) throw new Indeterminate('expected.pages is not a list of pages');
  return value as PageFacts[];
}

const setText = (codes: readonly string[]): string => [...new Set(codes)].sort().join(', ') || 'none';

/** Where the SDK's page measures differ from the vector's, or `undefined`. */
function pagesDiffer(got: NonNullable<ConformanceScorPjReport['pages']>, want: readonly PageFacts[]): string | undefined {
  if (got.length !== want.length) return `${want.length} page(s) expected, the SDK measured ${got.length}`;
  for (const [i, w] of want.entries()) {
    const g = got[i]!;
    if (Math.abs(g.widthMm - w.widthMm) > SIZE_SLACK_MM || Math.abs(g.heightMm - w.heightMm) > SIZE_SLACK_MM)
      return `page ${i + 1}: ${w.widthMm} × ${w.heightMm} mm expected, the SDK measured ${g.widthMm.toFixed(1)} × ${g.heightMm.toFixed(1)} mm`;
    const wanted = w.images.map((im) => `${im.dpi}×${im.dpiY ?? im.dpi}${im.scan ? ' scan' : ''}`).join(', ');
    const measured = g.images.map((im) => `${Math.round(im.dpiX)}×${Math.round(im.dpiY)}${im.scan ? ' scan' : ''}`).join(', ');
    if (wanted !== measured) return `page ${i + 1}: images ${wanted || 'none'} expected (dpi), the SDK measured ${measured || 'none'}`;
  }
  return undefined;
}

/** Compares the SDK's report with the vector: the verdict, the sets of error and warning codes, the page measures when given. */
function judgePj(test: VectorTest, report: ConformanceScorPjReport, pages: readonly PageFacts[] | undefined): HandlerAnswer {
  const errors = test.expected?.['errors'];
  const warnings = test.expected?.['warnings'];
  if (!isStringArray(errors) || !isStringArray(warnings)) throw new Indeterminate('expected.errors and expected.warnings missing');
  const issues = Array.isArray(report.issues) ? report.issues : [];
  const reported = (severity: 'error' | 'warning'): string[] => issues.filter((i) => i.severity === severity).map((i) => i.code);
  const [gotErrors, gotWarnings] = [reported('error'), reported('warning')];
  const code = gotErrors[0];
  const withCode = code === undefined ? {} : { code };
  const answer = `${report.ok ? 'accepted' : 'refused'}; errors ${setText(gotErrors)}; warnings ${setText(gotWarnings)}`.slice(0, 200);
  const fail = (detail: string): HandlerAnswer => ({ outcome: 'failed', ...withCode, detail, answer });
  if (report.ok !== (gotErrors.length === 0)) return fail(`the SDK answered ok: ${report.ok} with errors ${setText(gotErrors)}`);
  if (test.result === 'valid' && !report.ok) return fail(`expected valid, the SDK refused with ${setText(gotErrors)}`);
  if (test.result === 'invalid' && report.ok) return fail('expected invalid, the SDK accepted');
  if (setText(gotErrors) !== setText(errors)) return fail(`errors ${setText(errors)} expected, the SDK reported ${setText(gotErrors)}`);
  if (setText(gotWarnings) !== setText(warnings)) return fail(`warnings ${setText(warnings)} expected, the SDK reported ${setText(gotWarnings)}`);
  if (pages !== undefined && report.pages !== undefined) {
    const differ = pagesDiffer(report.pages, pages);
    if (differ !== undefined) return fail(differ);
  }
  return { outcome: 'passed', ...withCode, answer };
}

/** SCOR-1: one PJ checked under the vector's policy; the verdict, the codes and the page measures judged. */
const pjCheck: VectorHandler = async (test, context) => {
  const sdk: { readonly scorPj?: ConformanceScorPjSdk } = context.sdk;
  if (sdk.scorPj === undefined) throw new Indeterminate('the SDK under test provides no PJ check');
  const input = isObject(test.input) ? test.input : {};
  const policy = policyOf(input);
  const pages = pagesOf(test.expected?.['pages']);
  const bytes = await context.bytes(input['pdf']);
  let report: ConformanceScorPjReport;
  try {
    report = await sdk.scorPj.checkPj(bytes, { policy });
  } catch (e) {
    // A check that throws for data breaks the verdict rule (docs/conventions.md §5): a coded refusal at best.
    if (!isS3404Error(e)) throw e;
    report = { ok: false, issues: [{ code: e.code, severity: 'error' }] };
  }
  return judgePj(test, report, pages);
};

/** The PJ-check handler, by group `type`. */
export const SCOR_PJ_HANDLERS = { 'pj-check': pjCheck } as const;
