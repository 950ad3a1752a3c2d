import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectWithinBound } from '@s3404/tooling/time-bound';
import type { ContentSigner } from '@s3404/core';
import { createBordereauId } from '@s3404/form';
import { packLot, safePackLot, verifyLot, type LotCodec, type LotDescription, type LotVerification, type PackedLot } from '@s3404/scor';
import { packLotFile, safePackLotFile, verifyLotFile, writeLotFile } from '@s3404/scor/file';
import { createContentSigner, createContentVerifier } from '@s3404/seal';
import { createDevelopmentPki, type DevelopmentPki } from '@s3404/seal/pki';
import { prng } from '@s3404/tooling/test-kit';
import { CLINIC, lotFixture, type LotFixture } from './fixtures/lot.js';
import { scanPdf } from './fixtures/pdf-writer.js';
import { run, withTemp } from './fixtures/tools.js';

const NOW = new Date('2026-03-02T10:15:00.000Z');
const now = (): Date => NOW;
const codesOf = (issues: readonly { code: string }[]): string[] => issues.map((i) => i.code);
const hex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

let fx: LotFixture;
let bare: LotFixture;
let pki: DevelopmentPki;
let signer: ContentSigner;
beforeAll(async () => {
  fx = await lotFixture(3);
  bare = await lotFixture(4, { seed: 9, annexes: false, b2LotNumber: '7' });
  pki = await createDevelopmentPki({ now: () => new Date('2026-01-01T00:00:00Z') });
  // ECDSA signatures are randomised: the same manifest gets the same signature, so two packings can be compared byte for byte.
  const real = await createContentSigner({ key: pki.seal.privateKey, certificate: pki.seal.certificate, now });
  const cache = new Map<string, Uint8Array>();
  signer = {
    subject: real.subject,
    sign: async (content, options) => {
      const key = hex(content);
      if (!cache.has(key)) cache.set(key, await real.sign(content, options));
      return cache.get(key)!;
    },
  };
});

describe('packLotFile (SCOR-2, issue 19)', () => {
  it('writes the same bytes as writeLotFile(packLot(…)) for several lots, signed or not, and gives the same lot', async () => {
    await withTemp(async (dir) => {
      const cases: [string, LotFixture, LotDescription, boolean][] = [
        ['3 invoices with annexes', fx, fx.description, false],
        ['3 invoices, signed', fx, fx.description, true],
        ['4 S3404 alone, signed', bare, bare.description, true],
        ['a lot identifier and labels', fx, { ...fx.description, lotId: 'LOT_2026-03' }, false],
      ];
      for (const [name, f, description, signed] of cases) {
        const options = { now, ...(signed ? { signer } : {}) };
        const memory = await packLot(description, { files: f.files, ...options });
        const expected = await writeLotFile(join(dir, 'memory', memory.container.fileName), memory.container.bytes);
        const reads: string[] = [];
        const lot = await packLotFile(description, {
          files: async (file) => {
            reads.push(file);
            return f.files.get(file);
          },
          dir: join(dir, 'file'),
          ...options,
        });
        expect(readFileSync(lot.container.path).equals(readFileSync(expected)), name).toBe(true);
        const { bytes, ...container } = memory.container;
        expect(lot.container, name).toEqual({ ...container, path: join(dir, 'file', memory.container.fileName), length: bytes.length });
        const { container: _, ...rest } = memory;
        const { container: __, ...restFile } = lot;
        expect(restFile, name).toEqual(rest);
        expect(reads, name).toEqual([...f.files.keys(), ...f.files.keys()]); // each PJ read twice, in order
        expect(readdirSync(join(dir, 'file')), name).toContain(memory.container.fileName);
        expect(
          readdirSync(join(dir, 'file')).filter((n) => n.endsWith('.tmp')),
          name,
        ).toEqual([]);
      }
      const test = run('unzip', ['-t', join(dir, 'file', 'LOT_2026-03.zip')]);
      expect(test.stdout).toContain('No errors detected');
    });
  });

  it('gives the same issues as packLot for a refused lot, and writes nothing', async () => {
    await withTemp(async (dir) => {
      const description = structuredClone(fx.description) as { invoices: { pj: { file: string }[] }[] } & LotDescription;
      description.invoices[1]!.pj[1]!.file = 'absent.pdf';
      description.invoices[2]!.pj[1]!.file = description.invoices[0]!.pj[1]!.file;
      const memory = await safePackLot(description, { files: fx.files, now, locale: 'en' });
      const file = await safePackLotFile(description, { files: (f) => fx.files.get(f), dir, now, locale: 'en' });
      expect(file).toEqual(memory);
      expect(codesOf(file.issues)).toEqual(['ERR_LOT_FILE_MISSING', 'ERR_LOT_DUPLICATE_PJ']);
      await expect(packLotFile(description, { files: (f) => fx.files.get(f), dir, now })).rejects.toMatchObject({ code: 'ERR_LOT_REFUSED', kind: 'verdict' });
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('refuses a PJ that changed or vanished between its check and its write, and leaves no file behind', async () => {
    await withTemp(async (dir) => {
      const target = fx.description.invoices[1]!.pj[1]!.file;
      for (const change of ['bytes', 'gone', 'longer'] as const) {
        let calls = 0;
        const files = (name: string): Uint8Array | undefined => {
          const bytes = fx.files.get(name)!;
          if (name !== target || ++calls === 1) return bytes;
          if (change === 'gone') return undefined;
          if (change === 'longer') return new Uint8Array([...bytes, 10]);
          const copy = bytes.slice();
          copy[100]! ^= 1;
          return copy;
        };
        const r = await safePackLotFile(fx.description, { files, dir, now, locale: 'en' });
        expect(r.ok, change).toBe(false);
        expect(
          r.issues.map((i) => [i.code, i.path.join('.'), i.params['file']]),
          change,
        ).toEqual([['ERR_LOT_FILE_CHANGED', 'invoices.1.pj.1.file', target]]);
        expect(r.issues[0]!.message).toContain('changed while the lot was being packed');
        expect(readdirSync(dir), change).toEqual([]);
      }
      // A read that fails on the second pass: the caller's error, and no file either.
      let calls = 0;
      const failing = (name: string): Uint8Array | undefined => {
        if (name === target && ++calls === 2) throw new Error('disk gone');
        return fx.files.get(name);
      };
      await expect(packLotFile(fx.description, { files: failing, dir, now })).rejects.toThrow('disk gone');
      expect(readdirSync(dir)).toEqual([]);
    });
  });

  it('replaces an older container atomically, reports an unwritable folder with a coded error, and checks its options', async () => {
    await withTemp(async (dir) => {
      const files = (f: string) => fx.files.get(f);
      const first = await packLotFile(fx.description, { files, dir, now });
      const second = await packLotFile(fx.description, { files, dir, now: () => new Date('2026-03-03T00:00:00.000Z') });
      expect(second.container.path).toBe(first.container.path);
      expect(second.container.sha256).toBe(hex(readFileSync(second.container.path)));
      expect(readdirSync(dir)).toEqual([first.container.fileName]);
      writeFileSync(join(dir, 'a-file'), 'x');
      await expect(packLotFile(fx.description, { files, dir: join(dir, 'a-file', 'sub'), now })).rejects.toMatchObject({
        code: 'ERR_FILE_UNWRITABLE',
        kind: 'input',
      });
      expect(readdirSync(dir).sort()).toEqual([first.container.fileName, 'a-file'].sort());
      await expect(packLotFile(fx.description, { files, dir: '', now })).rejects.toThrow(TypeError);
      await expect(packLotFile(fx.description, { files: fx.files as never, dir, now })).rejects.toThrow(TypeError);
      await expect(packLotFile(fx.description, { files, dir, now, maxLotBytes: 0 })).rejects.toMatchObject({ code: 'ERR_SCOR_OPTIONS_INVALID' });
    });
  });

  it('writes a vendor codec’s container in memory, as packLot would, then atomically', async () => {
    await withTemp(async (dir) => {
      const codec: LotCodec = {
        id: 'vendor-test/1',
        mediaType: 'application/x-vendor',
        extension: '.vnd',
        encode: (c) => new Uint8Array(Buffer.concat([c.manifestBytes, ...c.files.map((f) => f.bytes)])),
      };
      const memory = await packLot(fx.description, { files: fx.files, codec, now });
      const lot = await packLotFile(fx.description, { files: (f) => fx.files.get(f), codec, dir, now });
      expect(lot.container).toMatchObject({
        codec: 'vendor-test/1',
        fileName: `${lot.lotId}.vnd`,
        sha256: memory.container.sha256,
        length: memory.container.bytes.length,
      });
      expect(readFileSync(lot.container.path).equals(memory.container.bytes)).toBe(true);
    });
  });
});

/** verifyLot's and verifyLotFile's verdicts, without the messages that quote fflate. */
const verdict = (v: LotVerification) => ({
  ok: v.ok,
  issues: v.issues.map((i) => ({ code: i.code, path: i.path, params: i.code === 'ERR_LOT_CONTAINER_INVALID' ? {} : i.params })),
  manifest: v.manifest,
  signature: v.signature,
});

describe('verifyLotFile (SCOR-2, X-2, issue 19)', () => {
  let lot: PackedLot;
  let signed: PackedLot;
  beforeAll(async () => {
    lot = await packLot(fx.description, { files: fx.files, now });
    signed = await packLot(fx.description, { files: fx.files, now, signer });
  });
  const rezip = (from: PackedLot, edit: (e: Record<string, Uint8Array>) => void): Uint8Array => {
    const e = unzipSync(from.container.bytes);
    edit(e);
    return zipSync(e, { level: 0 });
  };
  /** Both verdicts on the same bytes: they must be the same, messages included. */
  const both = async (dir: string, bytes: Uint8Array, options: Parameters<typeof verifyLot>[1] = {}): Promise<LotVerification> => {
    const path = join(dir, 'lot.zip');
    writeFileSync(path, bytes);
    const memory = await verifyLot(bytes, options);
    const file = await verifyLotFile(path, options);
    expect(file).toEqual(memory);
    return file;
  };

  it('gives verifyLot’s verdict on intact, signed, damaged and forged containers', async () => {
    await withTemp(async (dir) => {
      const verifier = createContentVerifier({ trustAnchors: [pki.ca.certificate], now });
      expect((await both(dir, lot.container.bytes)).ok).toBe(true);
      expect((await both(dir, signed.container.bytes, { verifier })).signature.status).toBe('valid');
      expect((await both(dir, signed.container.bytes)).signature.status).toBe('unchecked');
      const name = lot.manifest.invoices[1]!.files[1]!.name;
      const cases: [string, Uint8Array, string[]][] = [
        ['changed', rezip(lot, (e) => (e[name]![2000]! ^= 1)), ['ERR_LOT_MANIFEST_MISMATCH']],
        ['removed', rezip(lot, (e) => delete e[name]), ['ERR_LOT_MANIFEST_MISMATCH']],
        ['added', rezip(lot, (e) => (e['pj/evil.pdf'] = new Uint8Array(3))), ['ERR_LOT_MANIFEST_MISMATCH']],
        ['zip slip', rezip(lot, (e) => (e['../../etc/cron.d/x'] = new Uint8Array(3))), ['ERR_LOT_CONTAINER_INVALID']],
        ['SHA256SUMS', rezip(lot, (e) => (e['SHA256SUMS'] = new Uint8Array(4))), ['ERR_LOT_MANIFEST_MISMATCH']],
        [
          'manifest v2',
          rezip(lot, (e) => (e['manifest.json'] = new TextEncoder().encode('{"format":"s3404-scor-lot","version":2}'))),
          ['ERR_LOT_MANIFEST_INVALID'],
        ],
        ['no manifest', rezip(lot, (e) => delete e['manifest.json']), ['ERR_LOT_MANIFEST_INVALID']],
        ['deflated', zipSync(unzipSync(lot.container.bytes), { level: 6 }), []],
        ['signature forged', rezip(signed, (e) => (e['manifest.json.p7s']![40]! ^= 1)), ['ERR_LOT_MANIFEST_MISMATCH']],
        ['manifest changed under its signature', rezip(signed, (e) => (e['manifest.json'] = e['manifest.json']!.slice(0, -1))), ['ERR_LOT_MANIFEST_MISMATCH']],
      ];
      for (const [label, bytes, codes] of cases) {
        const v = await both(dir, bytes, { verifier, locale: 'en' });
        expect(codesOf(v.issues), label).toEqual(codes);
      }
    });
  });

  it('gives verifyLot’s verdict on 300 random mutations of a real container, and never throws', async () => {
    await withTemp(async (dir) => {
      const r = prng(11);
      const path = join(dir, 'm.zip');
      let invalid = 0;
      for (let i = 0; i < 300; i++) {
        const bytes = signed.container.bytes.slice(0, i % 3 === 0 ? Math.floor(r() * signed.container.bytes.length) : undefined);
        for (let k = 0; k < 1 + Math.floor(r() * 8); k++) bytes[Math.floor(r() * bytes.length)] = Math.floor(r() * 256);
        writeFileSync(path, bytes);
        const file = await verifyLotFile(path);
        expect(verdict(file), `mutation ${i}`).toEqual(verdict(await verifyLot(bytes)));
        if (!file.ok) invalid++;
      }
      expect(invalid).toBeGreaterThan(150);
    });
  });

  it('refuses a truncated file, a non-ZIP, sizes that lie and ZIP64 with coded issues, and an unreadable path with a coded error', async () => {
    await withTemp(async (dir) => {
      const bytes = lot.container.bytes;
      for (const cut of [0, 10, 21, 22, 1000, bytes.length / 2, bytes.length - 23, bytes.length - 1]) {
        const v = await both(dir, bytes.slice(0, Math.floor(cut)));
        expect(v.ok, `cut at ${cut}`).toBe(false);
      }
      for (const other of [fx.files.values().next().value!, new TextEncoder().encode('PK\x05\x06 not a zip at all, just text'.repeat(50))]) {
        const path = join(dir, 'other.zip');
        writeFileSync(path, other);
        const v = await verifyLotFile(path);
        expect(v).toMatchObject({ ok: false, manifest: null, signature: { status: 'none' } });
        expect(codesOf(v.issues)).toEqual(['ERR_LOT_CONTAINER_INVALID']);
      }
      // A central directory whose sizes lie (a zip bomb's): 4 GiB announced for each entry, or data past the end of the file.
      const lying = (at: 'original' | 'stored', value: number): Uint8Array => {
        const copy = bytes.slice();
        const view = new DataView(copy.buffer);
        const end = copy.length - 22;
        for (let o = view.getUint32(end + 16, true); view.getUint32(o, true) === 0x02014b50; o += 46 + view.getUint16(o + 28, true)) {
          view.setUint32(o + (at === 'original' ? 24 : 20), value, true);
        }
        return copy;
      };
      const bomb = await both(dir, lying('original', 0xffffffff));
      expect(bomb.issues.map((i) => i.params['detail'])).toEqual([
        { fr: 'plus de 4294967296 octets une fois extrait', en: 'more than 4294967296 bytes once extracted' },
      ]);
      const past = await both(dir, lying('stored', 0xfffffff0));
      expect(past.ok).toBe(false);
      const started = Date.now();
      const small = await both(dir, lying('original', 1), { maxBytes: 3 });
      expect(codesOf(small.issues)).toEqual(['ERR_LOT_CONTAINER_INVALID']);
      expectWithinBound(Date.now() - started, 10_000, 'a ZIP whose sizes lie, read with a 3-byte limit', { clock: 'wall' });
      // ZIP64 end records: refused (no SDK lot needs them).
      const z64 = new Uint8Array(bytes.length + 76);
      z64.set(bytes.subarray(0, bytes.length - 22));
      const view = new DataView(z64.buffer);
      const at = bytes.length - 22;
      view.setUint32(at, 0x06064b50, true);
      view.setUint32(at + 56, 0x07064b50, true);
      view.setUint32(at + 56 + 8, at, true);
      z64.set(bytes.subarray(bytes.length - 22), at + 76);
      await expect(verifyLotFile(join(dir, 'missing.zip'))).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE', kind: 'input', params: { reason: 'ENOENT' } });
      writeFileSync(join(dir, 'z64.zip'), z64);
      const r64 = await verifyLotFile(join(dir, 'z64.zip'));
      expect(r64.issues.map((i) => [i.code, i.params['detail']])).toEqual([['ERR_LOT_CONTAINER_INVALID', 'ZIP64']]);
      mkdirSync(join(dir, 'folder.zip'));
      await expect(verifyLotFile(join(dir, 'folder.zip'))).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE', params: { reason: 'EISDIR' } });
      await expect(verifyLotFile('')).rejects.toThrow(TypeError);
      await expect(verifyLotFile(join(dir, 'lot.zip'), { verifier: {} as never })).rejects.toThrow(TypeError);
    });
  });
});

describe('packLotFile and verifyLotFile in bounded memory (issue 19)', () => {
  it('hold a few PJ at a time, where packLot and verifyLot hold the whole lot', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    await withTemp(async (dir) => {
      // 200 PJ of ~130 KB: one scanned A5 page, each made distinct by its binary comment line (same length, same offsets).
      const base = scanPdf([{ dpi: 200, widthMm: 148, heightMm: 210 }], { seed: 5, grain: 64 });
      const comment = base.indexOf(10) + 2;
      const r = prng(19);
      const random = (b: Uint8Array): Uint8Array => b.map(() => Math.floor(r() * 256));
      const idOf = new Map<string, string>();
      const invoices = [];
      for (let i = 0; i < 200; i++) {
        const pdf = base.slice();
        for (let k = 0; k < 8; k++) pdf[comment + k] = 0x80 | ((i >> (4 * k)) & 0xf);
        const id = createBordereauId({ random });
        writeFileSync(join(dir, `${i}.pdf`), pdf);
        idOf.set(hex(pdf), id);
        invoices.push({ invoiceNumber: String(260300000 + i), bordereauId: id, pj: [{ file: `${i}.pdf`, kind: 's3404' as const }] });
      }
      const lotBytes = base.length * 200;
      const description: LotDescription = { format: 's3404-scor-lot-description/1', finess: CLINIC.finess, b2LotNumber: '19', invoices };
      const readBordereauId = (pdf: Uint8Array): string | undefined => idOf.get(hex(pdf));
      // Live memory only: full GCs before each sample (every 20th file read, and 250 ms after the last sample), so garbage never counts. Two GCs:
      // V8 frees the buffers a GC found dead on a background thread, and the next GC waits for it (a loaded machine lags).
      let reads = 0;
      const files = async (name: string): Promise<Uint8Array> => {
        if (++reads % 20 === 0) sample();
        return readFile(join(dir, name));
      };
      let baseline = 0;
      let peak = 0;
      const sample = (): void => {
        gc();
        gc();
        peak = Math.max(peak, process.memoryUsage().arrayBuffers - baseline);
      };
      const measured = async (fn: () => Promise<void>): Promise<number> => {
        gc();
        gc();
        baseline = process.memoryUsage().arrayBuffers;
        peak = 0;
        // Between file reads too (verifying reads none): a sample 250 ms after the previous one ended, never back to back.
        let timer: ReturnType<typeof setTimeout> | undefined;
        const tick = (): void => {
          sample();
          timer = setTimeout(tick, 250);
        };
        timer = setTimeout(tick, 250);
        try {
          await fn();
          sample();
          return peak;
        } finally {
          clearTimeout(timer);
        }
      };
      const out = join(dir, 'out');
      let path = '';
      const fileWay = await measured(async () => {
        const lot = await packLotFile(description, { files, dir: out, now, readBordereauId });
        path = lot.container.path;
        expect((await verifyLotFile(path)).ok).toBe(true);
      });
      let container: Uint8Array = new Uint8Array();
      const memoryWay = await measured(async () => {
        const lot = await packLot(description, { files, now, readBordereauId });
        container = lot.container.bytes;
        expect((await verifyLot(lot.container.bytes)).ok).toBe(true);
      });
      expect(readFileSync(path).equals(container)).toBe(true);
      console.log(
        `lot ${(lotBytes / 1e6).toFixed(1)} MB: arrayBuffers peak growth ${(fileWay / 1e6).toFixed(1)} MB from files, ${(memoryWay / 1e6).toFixed(1)} MB in memory`,
      );
      expect(memoryWay).toBeGreaterThan(lotBytes); // the measure sees a lot held in memory…
      expect(fileWay).toBeLessThan(lotBytes * 0.25); // …and the file functions do not hold one
    });
  }, 300_000);
});
