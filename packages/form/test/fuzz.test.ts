import { describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import { readJson, validateBordereau } from '@s3404/form';
import { FORM_ERRORS } from '@s3404/form/errors';
import { S3404Error } from '@s3404/core';
import { placeSignature, readBordereauFromPdf, renderBordereauPdf } from '@s3404/form/pdf';
import { CLOCK, NOW, clone, examples, prng, signaturePng } from './helpers.js';

/** Bad input never crashes or hangs: bounded, seeded fuzzing of every parser. */

const nasty: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0,
  1.5,
  '',
  ' ',
  '\u0000',
  '\ud800',
  '💥',
  'é'.repeat(5000),
  'A'.repeat(200_000),
  [],
  [[]],
  {},
  { __proto__: { polluted: 1 } },
  '2026-13-45',
  '99:99',
  'NaN',
  '0x10',
  '١٢٣',
];

function mutate(value: unknown, random: () => number, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return random() < 0.5 ? nasty[Math.floor(random() * nasty.length)] : value;
  const copy: any = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  if (keys.length === 0) return copy;
  const key = keys[Math.floor(random() * keys.length)]!;
  const r = random();
  if (r < 0.15) delete copy[key];
  else if (r < 0.3) copy[`${key}_x`] = copy[key];
  else if (r < 0.5 || depth > 6) copy[key] = nasty[Math.floor(random() * nasty.length)];
  else if (r < 0.6 && Array.isArray(copy)) copy.push(...copy.slice(0, 3));
  else copy[key] = mutate(copy[key], random, depth + 1);
  return copy;
}

describe('X-2 fuzzing', () => {
  it('validateBordereau: 5,000 mutated bordereaux give coded issues, never an exception', () => {
    const random = prng(20261122);
    const sources = examples().map((e) => e.data);
    const t0 = performance.now();
    let invalid = 0;
    for (let i = 0; i < 5000; i++) {
      let m: unknown = clone(sources[i % sources.length]);
      const rounds = 1 + Math.floor(random() * 4);
      for (let k = 0; k < rounds; k++) m = mutate(m, random);
      const r = validateBordereau(m);
      if (!r.ok) {
        invalid++;
        for (const issue of r.issues) {
          expect(FORM_ERRORS.has(issue.code), issue.code).toBe(true);
          expect(issue.message.length).toBeLessThan(600);
        }
      }
    }
    expect(invalid).toBeGreaterThan(4000);
    expectWithinBound(performance.now() - t0, 60_000, '5,000 mutated bordereaux', { clock: 'wall' });
  });

  it('readJson: 3,000 random byte strings give InputError or a value', () => {
    const random = prng(7);
    const json = new TextEncoder().encode(JSON.stringify(examples()[0]!.data));
    for (let i = 0; i < 3000; i++) {
      const bytes = json.slice(0, Math.floor(random() * json.length));
      for (let k = 0; k < 3; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        const v = readJson(bytes);
        validateBordereau(v);
      } catch (e) {
        expect(e).toBeInstanceOf(S3404Error);
      }
    }
  });

  it('PDF readers: 400 damaged PDFs give coded errors, never a crash or a hang', async () => {
    const random = prng(99);
    const data = examples()[0]!.data;
    const flat = (await renderBordereauPdf(data, { now: CLOCK })).bytes;
    const fillable = (await renderBordereauPdf(data, { now: CLOCK, mode: 'fillable', page: 'a4' })).bytes;
    const image = signaturePng(120, 40);
    let rejected = 0;
    for (let i = 0; i < 400; i++) {
      const source = i % 2 === 0 ? flat : fillable;
      let bytes = source.slice();
      const op = random();
      if (op < 0.3) bytes = bytes.slice(0, Math.floor(random() * bytes.length));
      else if (op < 0.6) for (let k = 0; k < 1 + random() * 40; k++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      else if (op < 0.8) {
        // Damage the cross-reference table or the trailer, where parsers are weakest.
        const tail = bytes.length - 1 - Math.floor(random() * 800);
        for (let k = 0; k < 20; k++) bytes[Math.max(0, tail - k)] = 0x30 + Math.floor(random() * 10);
      } else {
        const at = Math.floor(random() * bytes.length);
        const junk = new TextEncoder().encode(' 1 0 obj << /Kids [1 0 R 1 0 R] /Type /Pages >> endobj ');
        bytes = new Uint8Array([...bytes.slice(0, at), ...junk, ...bytes.slice(at)]);
      }
      const t0 = performance.now();
      for (const run of [
        () => readBordereauFromPdf(bytes),
        () => placeSignature(bytes, { slot: 'insured', image, capturedAt: NOW, bordereauId: String(data.id) }),
      ]) {
        try {
          await run();
        } catch (e) {
          rejected++;
          expect(e, String(e)).toBeInstanceOf(S3404Error);
        }
      }
      expectWithinBound(performance.now() - t0, 10_000, `case ${i}`, { clock: 'wall' });
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
