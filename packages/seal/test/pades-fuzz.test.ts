/**
 * Fuzzing `verifyPdfSeal` and `listPdfRevisions` (SIG-5, X-2): 1,500
 * seeded mutations of sealed PDFs — bit flips anywhere and in the
 * structure-dense tail, truncations, duplicated ranges, random bytes in a
 * cross-reference section. Only verdicts or coded errors may come out,
 * fast; a passed verdict only when the signed bytes are untouched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { isS3404Error } from '@s3404/core';
import { listPdfRevisions } from '@s3404/form/pdf';
import type { DevelopmentPki } from '@s3404/seal/pki';
import { verifyPdfSeal, type SealedPdf } from '@s3404/seal/pdf';
import { prng } from './helpers.js';
import { bordereauPdf, devPki, devTsa, later, sealerFor } from './support/pades-fixtures.js';
import { coveredBytes } from './support/pades-tools.js';

const CASES = 1500;

let pki: DevelopmentPki;
let seeds: { name: string; sealed: SealedPdf; xrefs: number[] }[];

/** Offsets of every `xref` table keyword and `startxref` number: where the cross-reference data lies. */
function xrefSpots(pdf: Uint8Array): number[] {
  const t = Buffer.from(pdf).toString('latin1');
  const out: number[] = [];
  for (const m of t.matchAll(/startxref\s+(\d+)/g)) out.push(Number(m[1]), m.index);
  return out.filter((n) => n >= 0 && n < pdf.length);
}

beforeAll(async () => {
  pki = await devPki('ecdsa-p256', 31);
  const tsa = await devTsa(pki);
  const flat = await bordereauPdf('flat');
  const bb = await (await sealerFor(pki)).seal(flat);
  const lt = await (await sealerFor(pki, { timestamper: tsa.stamper })).seal(bb.pdf, { revocation: { certificates: [pki.ca.certificate] } });
  seeds = [
    { name: 'B-B', sealed: bb, xrefs: xrefSpots(bb.pdf) },
    { name: 'B-B + B-LT', sealed: lt, xrefs: xrefSpots(lt.pdf) },
  ];
});

type Mutation = (pdf: Uint8Array, r: () => number, xrefs: number[]) => Uint8Array;
const int = (r: () => number, n: number): number => Math.floor(r() * n);
const MUTATIONS: [string, Mutation][] = [
  [
    'bit flips anywhere',
    (pdf, r) => {
      const out = Uint8Array.from(pdf);
      for (let k = 1 + int(r, 4); k > 0; k--) out[int(r, out.length)]! ^= 1 << int(r, 8);
      return out;
    },
  ],
  [
    'bit flips in the last 4 KiB',
    (pdf, r) => {
      const out = Uint8Array.from(pdf);
      for (let k = 1 + int(r, 3); k > 0; k--) out[out.length - 1 - int(r, 4096)]! ^= 1 << int(r, 8);
      return out;
    },
  ],
  ['truncation', (pdf, r) => pdf.slice(0, r() < 0.5 ? int(r, pdf.length) : pdf.length - 1 - int(r, 3000))],
  [
    'a duplicated range',
    (pdf, r) => {
      const from = int(r, pdf.length);
      const len = 1 + int(r, 2000);
      const at = int(r, pdf.length);
      return new Uint8Array(Buffer.concat([pdf.subarray(0, at), pdf.subarray(from, from + len), pdf.subarray(at)]));
    },
  ],
  [
    'random bytes in a cross-reference section',
    (pdf, r, xrefs) => {
      const out = Uint8Array.from(pdf);
      const base = xrefs[int(r, xrefs.length)]!;
      for (let k = 1 + int(r, 8); k > 0; k--) {
        const at = base + int(r, 120);
        if (at < out.length) out[at] = r() < 0.5 ? int(r, 256) : 0x30 + int(r, 10);
      }
      return out;
    },
  ],
];

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && Buffer.from(a).equals(Buffer.from(b));

describe('fuzzing the PAdES verifier and the revision reader (SIG-5, X-2)', () => {
  it(`${CASES} mutations: verdicts or coded errors only, never a hang`, async () => {
    const r = prng(0x5ea1);
    const tally = new Map<string, number>();
    let slowest = 0;
    const started = Date.now();
    for (let i = 0; i < CASES; i++) {
      const seed = seeds[i % seeds.length]!;
      const [kind, mutate] = MUTATIONS[int(r, MUTATIONS.length)]!;
      const pdf = mutate(seed.sealed.pdf, r, seed.xrefs);
      const label = `case ${i} (${seed.name}, ${kind})`;
      const t0 = performance.now();
      let outcome: string;
      try {
        const v = await verifyPdfSeal(pdf, { trustAnchors: [pki.ca.certificate], now: () => later(60) });
        expect(typeof v.ok, label).toBe('boolean');
        expect(['passed', 'failed', 'indeterminate'], label).toContain(v.status);
        expect(v.ok, label).toBe(v.status === 'passed');
        if (!v.ok) expect(v.issues.length, label).toBeGreaterThan(0);
        for (const issue of v.issues) expect(issue.code, label).toMatch(/^ERR_[A-Z0-9_]+$/);
        if (v.ok) {
          // Passed only when every signature's signed bytes are those that were sealed.
          for (const s of v.signatures) {
            const original = seed.sealed.pdf;
            expect(sameBytes(coveredBytes(pdf, s.byteRange!), coveredBytes(original, s.byteRange!)), label).toBe(true);
          }
        }
        outcome = `verdict ${v.status}${v.ok ? '' : ` ${v.issues[0]!.code}`}`;
      } catch (e) {
        if (!isS3404Error(e)) throw new Error(`${label}: verifyPdfSeal threw ${String(e)}`, { cause: e });
        outcome = `verifyPdfSeal threw ${e.code}`;
      }
      try {
        const list = listPdfRevisions(pdf);
        expect(list.revisions.length, label).toBeGreaterThan(0);
      } catch (e) {
        if (!isS3404Error(e)) throw new Error(`${label}: listPdfRevisions threw ${String(e)}`, { cause: e });
        expect(['ERR_PDF_UNREADABLE', 'ERR_PDF_XREF_INVALID'], label).toContain(e.code);
      }
      slowest = Math.max(slowest, performance.now() - t0);
      tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
    }
    const elapsed = Date.now() - started;
    // The verifier's contract: a verdict for every file, never an exception.
    expect([...tally.keys()].filter((k) => k.startsWith('verifyPdfSeal threw'))).toEqual([]);
    expectWithinBound(slowest, 2000, 'slowest case', { clock: 'wall' });
    expectWithinBound(elapsed, 20_000, 'whole run', { clock: 'wall' });
    // Most mutations are caught; some (a flip in unsigned white-space after %%EOF…) legitimately pass.
    expect(tally.get('verdict passed') ?? 0).toBeLessThan(CASES / 4);
    console.info(`pades fuzz: ${CASES} cases in ${elapsed} ms, slowest ${slowest.toFixed(0)} ms`, Object.fromEntries([...tally].sort((a, b) => b[1] - a[1])));
  });
});
