import type { ConformanceReport } from '@s3404/conformance';

/** `file#tcId → outcome/code` of every test of a report, in the report's order. */
export function outcomes(report: ConformanceReport): string[] {
  return report.tests.map((t) => `${t.file}#${t.tcId} → ${t.outcome}/${t.code ?? '-'}`);
}

/** `requirement → verdict (passed/failed/indeterminate)` of a report. */
export function verdicts(report: ConformanceReport): string[] {
  return Object.entries(report.requirements).map(([id, r]) => `${id} → ${r.verdict} (${r.passed}/${r.failed}/${r.indeterminate})`);
}

/**
 * Where a runtime's report differs from the reference: each test whose outcome, code, answer,
 * input hash or fixtures differ, with both details; each requirement whose verdict differs; and
 * the files' evidence. Empty when the runtime judged exactly as the reference (timings and the
 * date aside).
 */
export function differences(reference: ConformanceReport, other: ConformanceReport): string[] {
  const out: string[] = [];
  const theirs = new Map(other.tests.map((t) => [`${t.file}#${t.tcId}`, t]));
  for (const t of reference.tests) {
    const key = `${t.file}#${t.tcId}`;
    const o = theirs.get(key);
    theirs.delete(key);
    if (o === undefined) {
      out.push(`${key}: missing`);
      continue;
    }
    const a = { outcome: t.outcome, code: t.code, answer: t.answer, inputSha256: t.inputSha256, fixtures: t.fixtures };
    const b = { outcome: o.outcome, code: o.code, answer: o.answer, inputSha256: o.inputSha256, fixtures: o.fixtures };
    if (JSON.stringify(a) !== JSON.stringify(b))
      out.push(`${key}: ${t.outcome}/${t.code ?? '-'} (${t.answer ?? ''}) here ${o.outcome}/${o.code ?? '-'} (${o.answer ?? ''}): ${o.detail ?? ''}`);
  }
  for (const key of theirs.keys()) out.push(`${key}: not in the reference`);
  const mine = verdicts(reference);
  const yours = verdicts(other);
  for (const v of yours) if (!mine.includes(v)) out.push(`verdict ${v}, reference: ${mine.find((m) => m.startsWith(v.split(' ')[0]!)) ?? 'none'}`);
  for (const v of mine) if (!yours.some((y) => y.split(' ')[0] === v.split(' ')[0])) out.push(`requirement missing: ${v}`);
  if (JSON.stringify(reference.files) !== JSON.stringify(other.files)) out.push('files: different SHA-256 or test counts');
  return out;
}
