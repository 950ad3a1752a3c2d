import * as zlib from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { rawImageData, withImageData } from '@s3404/tooling/png-kit';
import { CLOCK, NOW, example, prng, signaturePng } from './helpers.js';

/**
 * Issue 19: where the runtime has a native zlib, the signature-image check
 * and the PDF reader decode valid streams with it, and leave everything else
 * to fflate. The verdicts must not depend on the runtime: each case is judged
 * by the package loaded with the native decoder (counted) and by the package
 * loaded as in a browser (no `process.getBuiltinModule`), and the two must
 * agree exactly — results, error codes and messages.
 */
type Form = typeof import('@s3404/form');
type FormPdf = typeof import('@s3404/form/pdf');

const proc = process as unknown as { getBuiltinModule?: ((id: string) => unknown) | undefined };
const original = proc.getBuiltinModule;
afterEach(() => {
  proc.getBuiltinModule = original;
});

/** The packages as loaded with `getBuiltinModule` giving `zlib` (`native`, its inflates counted) or nothing at all. */
async function load(native: boolean): Promise<{ form: Form; pdf: FormPdf; inflates: () => number }> {
  let count = 0;
  const counting = {
    inflateSync: (b: Uint8Array, o: zlib.ZlibOptions & { info: true }) => {
      count++;
      return zlib.inflateSync(b, o);
    },
  };
  vi.resetModules();
  proc.getBuiltinModule = native ? (id) => (id === 'node:zlib' ? counting : original?.call(process, id)) : undefined;
  try {
    const [form, pdf] = await Promise.all([import('@s3404/form'), import('@s3404/form/pdf')]);
    return { form, pdf, inflates: () => count };
  } finally {
    proc.getBuiltinModule = original;
  }
}

/** A verdict as data: the value, or the error's class, code and message. */
async function outcome(run: () => unknown): Promise<unknown> {
  try {
    return { value: await run() };
  } catch (e) {
    const err = e as { name?: string; code?: string; message?: string };
    return { error: [err.name, err.code, err.message] };
  }
}

describe('native zlib decoding gives the same verdicts as fflate (issue 19, X-1, X-2)', () => {
  it('checkSignatureImage: 400 images, valid and damaged, judged the same with and without the native decoder', async () => {
    const native = await load(true);
    const pure = await load(false);
    const base = signaturePng(150, 50, 3);
    const raw = rawImageData(base);
    const random = prng(19);
    const z = (r: Uint8Array): Uint8Array => new Uint8Array(zlib.deflateSync(r));
    const cases: Uint8Array[] = [base, withImageData(base, z(raw))];
    for (let i = 0; i < 400; i++) {
      const op = random();
      const r = raw.slice();
      let data = z(r);
      if (op < 0.25) {
        // Pixels damaged before compression: bad filter bytes, or not.
        for (let k = 0; k < 1 + random() * 3; k++) r[Math.floor(random() * r.length)] = Math.floor(random() * 256);
        data = z(r);
      } else if (op < 0.45) {
        for (let k = 0; k < 1 + random() * 3; k++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      } else if (op < 0.55) {
        data = new Uint8Array([...data, ...Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * 256))]);
      } else if (op < 0.65) {
        data = data.subarray(0, data.length - 1 - Math.floor(random() * 8));
      } else if (op < 0.75) {
        data[data.length - 1 - Math.floor(random() * 4)]! ^= 1 + Math.floor(random() * 255);
      } else if (op < 0.85) {
        data = z(r.subarray(0, r.length - 1 - Math.floor(random() * 200)));
      } else if (op < 0.92) {
        data = z(new Uint8Array([...r, ...new Uint8Array(1 + Math.floor(random() * 300))]));
      }
      cases.push(withImageData(base, data));
    }
    let refused = 0;
    for (const png of cases) {
      const a = native.form.checkSignatureImage(png, { locale: 'en' });
      expect(pure.form.checkSignatureImage(png, { locale: 'en' })).toEqual(a);
      if (!a.ok) refused++;
    }
    expect(native.inflates()).toBeGreaterThan(cases.length / 2);
    expect(pure.inflates()).toBe(0);
    expect(refused).toBeGreaterThan(120);
    expect(cases.length - refused).toBeGreaterThan(60);
  });

  it('PDF reading and verifying: 150 signed bordereaux damaged inside their streams, judged the same', async () => {
    const native = await load(true);
    const pure = await load(false);
    const data = example('mco-chirurgie-pth');
    const id = String(data.id);
    const rendered = (await native.pdf.renderBordereauPdf(data, { now: CLOCK })).bytes;
    const signed = await native.pdf.placeSignature(rendered, { slot: 'insured', image: signaturePng(120, 40), capturedAt: NOW, bordereauId: id });
    // Where the compressed data lies: between "stream\r\n" or "stream\n" and "endstream".
    const text = new TextDecoder('latin1').decode(signed);
    const streams: [number, number][] = [];
    for (const m of text.matchAll(/stream\r?\n/g)) {
      const start = m.index + m[0].length;
      const end = text.indexOf('endstream', start);
      if (end > start + 8) streams.push([start, end]);
    }
    expect(streams.length).toBeGreaterThan(5);
    const random = prng(1904);
    let differs = 0;
    const before = native.inflates();
    for (let i = 0; i < 150; i++) {
      const bytes = signed.slice();
      const [start, end] = streams[Math.floor(random() * streams.length)]!;
      const op = random();
      if (op < 0.5) bytes[start + Math.floor(random() * (end - start))]! ^= 1 + Math.floor(random() * 255);
      else if (op < 0.8) bytes[end - 1 - Math.floor(random() * Math.min(6, end - start))]! ^= 1 + Math.floor(random() * 255);
      else bytes[start + Math.floor(random() * 2)]! ^= 1 << Math.floor(random() * 8);
      const read = await outcome(() => native.pdf.readBordereauFromPdf(bytes));
      expect(await outcome(() => pure.pdf.readBordereauFromPdf(bytes))).toEqual(read);
      const verified = await outcome(() => native.pdf.verifyBordereauPdf(bytes, { locale: 'en' }));
      expect(await outcome(() => pure.pdf.verifyBordereauPdf(bytes, { locale: 'en' }))).toEqual(verified);
      if (JSON.stringify(verified) !== JSON.stringify(await outcome(() => native.pdf.verifyBordereauPdf(signed, { locale: 'en' })))) differs++;
    }
    expect(native.inflates()).toBeGreaterThan(before);
    expect(pure.inflates()).toBe(0);
    // Both sides exercised: damage that changes the verdict, and damage that does not (in data no check reads).
    expect(differs).toBeGreaterThan(30);
  });
});
