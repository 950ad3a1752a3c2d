/**
 * Attacks on PDF signatures from the literature, built here with the public
 * revision reader and writer of `@s3404/form/pdf` or as bytes patched in
 * place: incremental saving attacks and signature wrapping (Mladenov et al.,
 * "1 Trillion Dollar Refund", NDSS 2019), universal signature forgery (same
 * paper), shadow attacks hide / replace / hide-and-replace (Mainka et al.,
 * NDSS 2021). Each must fail `verifyPdfSeal` (SIG-5); pdfsig and mutool
 * are asked where they can tell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDict, isName, PdfRef, PdfString } from '@s3404/core/pdf';
import { textString, type UpdateObject, type WritableValue } from '@s3404/form/pdf';
import type { DevelopmentPki } from '@s3404/seal/pki';
import type { PdfSealer, PdfSealVerdict, SealedPdf } from '@s3404/seal/pdf';
import { bordereauPdf, devPki, sealerFor, verify } from './support/pades-fixtures.js';
import {
  catalog,
  contentsOf,
  copyDict,
  dictOf,
  firstSignatureNumber,
  forgedTotal,
  helvetica,
  latin1,
  open,
  pages,
  patch,
  patchByteRange,
  pdfName,
  pdfRef,
  redefine,
  resourcesWith,
  stream,
  text,
  update,
} from './support/pades-pdf.js';
import { mutoolVerify, pdfsig, tool, workdir, type Workdir } from './support/pades-tools.js';

let pki: DevelopmentPki;
let sealer: PdfSealer;
let flat: Uint8Array;
let fillable: Uint8Array;
let sealed: SealedPdf;
let w: Workdir;

beforeAll(async () => {
  [pki, flat, fillable] = await Promise.all([devPki('ecdsa-p256', 21), bordereauPdf('flat'), bordereauPdf('fillable')]);
  sealer = await sealerFor(pki);
  sealed = await sealer.seal(flat);
  w = workdir();
});
afterAll(() => w?.remove());

/** The seal fails with ERR_PDF_MODIFIED_AFTER_SEAL, the attack revision (the last one) is `other`. */
function expectModified(v: PdfSealVerdict, attackRevision: number): void {
  expect(v.ok).toBe(false);
  expect(v.status).toBe('failed');
  expect(v.revisions[attackRevision - 1]).toMatchObject({ index: attackRevision, kind: 'other' });
  const s = v.signatures[0]!;
  expect(s).toMatchObject({ status: 'failed', code: 'ERR_PDF_MODIFIED_AFTER_SEAL', subIndication: 'FORMAT_FAILURE', coversWholeDocument: false });
  expect(s.laterRevisions.find((r) => r.revision === attackRevision)?.kind).toBe('other');
  expect(v.issues.map((i) => i.code)).toContain('ERR_PDF_MODIFIED_AFTER_SEAL');
}

/** pdfsig: the signature itself still verifies over its range, but does not cover the document; mutool sees edits. */
function expectToolsSeeEdits(pdf: Uint8Array, tag: string): void {
  const s = pdfsig(w, pdf, pki.files['ca.pem'], `${tag}.pdf`);
  expect(s.signatures[0]?.valid, s.out).toBe(true);
  expect(s.out).toContain('Not total document signed');
  expect(mutoolVerify(w, pdf, `${tag}-mu.pdf`).out).toMatch(/edits since signing|changed since signing/i);
}

/** Whether pdftotext shows `needle` on page 1 (the attack is visible to a reader). */
const shows = (pdf: Uint8Array, needle: string): boolean => tool('pdftotext', ['-f', '1', '-l', '1', w.file('t.pdf', pdf), '-']).out.includes(needle);

describe('incremental saving attacks (SIG-5)', () => {
  it('(a) a later revision redefines the page with new content over the total: failed, other', async () => {
    const attacked = update(sealed.pdf, (file, next) => {
      const page = pages(file)[0]!;
      const font = next();
      const content = next();
      return [
        helvetica(font),
        stream(content, forgedTotal('TOTAL 9 999,00 EUR')),
        redefine(file, page, { Contents: [...contentsOf(file, page), pdfRef(content)], Resources: resourcesWith(file, page, { font: ['FX', pdfRef(font)] }) }),
      ];
    });
    expect(shows(attacked, '9 999,00')).toBe(true);
    const v = await verify(attacked, pki);
    expectModified(v, 3);
    expect(v.revisions[2]!.detail).toMatch(/object \d+/);
    expectToolsSeeEdits(attacked, 'isa');
  });

  it('(b) a later revision adds a FreeText annotation to the page: other', async () => {
    const attacked = update(sealed.pdf, (file, next) => {
      const page = pages(file)[0]!;
      const annot = next();
      const objects: UpdateObject[] = [
        {
          num: annot,
          value: new Map<string, WritableValue>([
            ['Type', pdfName('Annot')],
            ['Subtype', pdfName('FreeText')],
            ['Rect', [60, 60, 560, 120]],
            ['Contents', textString('Total : 9 999,00 EUR')],
            ['DA', textString('/Helv 24 Tf 0 0 1 rg')],
            ['F', 4],
            ['P', page],
          ]),
        },
      ];
      const annots = dictOf(file, page).get('Annots');
      if (annots instanceof PdfRef) objects.push({ num: annots.num, value: [...(file.object(annots.num) as WritableValue[]), pdfRef(annot)] });
      else objects.push(redefine(file, page, { Annots: [...((annots as WritableValue[] | undefined) ?? []), pdfRef(annot)] }));
      return objects;
    });
    expectModified(await verify(attacked, pki), 3);
    expectToolsSeeEdits(attacked, 'freetext');
  });

  it('(c) a later revision changes a form field value of a fillable bordereau, or moves the seal widget: other', async () => {
    const sealedForm = await sealer.seal(fillable);
    expect((await verify(sealedForm.pdf, pki)).ok).toBe(true);
    // A text field with a value.
    const file = open(sealedForm.pdf);
    const form = file.resolve(catalog(file).dict.get('AcroForm'));
    if (!isDict(form)) throw new Error('no AcroForm');
    const fields: PdfRef[] = [];
    const walk = (refs: unknown): void => {
      for (const r of (file.resolve(refs as PdfRef) as PdfRef[] | undefined) ?? []) {
        const d = file.resolve(r);
        if (!(r instanceof PdfRef) || !isDict(d)) continue;
        fields.push(r);
        walk(d.get('Kids'));
      }
    };
    walk(form.get('Fields'));
    const textField = fields.find((f) => {
      const d = file.resolve(f);
      return isDict(d) && d.get('V') instanceof PdfString && (d.get('V') as PdfString).bytes.length > 0 && !isName(d.get('FT'), 'Sig');
    });
    expect(textField, 'a filled text field').toBeDefined();
    const value = update(sealedForm.pdf, (f) => [redefine(f, textField!, { V: textString('9 999,00') })]);
    expectModified(await verify(value, pki), 3);
    expectToolsSeeEdits(value, 'fieldvalue');
    // The seal's own widget made visible somewhere else.
    const widget = fields.find((f) => {
      const d = file.resolve(f);
      return isDict(d) && isName(d.get('FT'), 'Sig');
    })!;
    const moved = update(sealedForm.pdf, (f) => [redefine(f, widget, { Rect: [100, 100, 400, 200], F: 4 })]);
    expectModified(await verify(moved, pki), 3);
  });
});

describe('sneaky signature (SIG-5)', () => {
  it('a later revision adds an unsigned signature field whose visible appearance covers the total: not passed', async () => {
    const attacked = update(sealed.pdf, (file, next) => {
      const page = pages(file)[0]!;
      const widget = next();
      const ap = next();
      const font = next();
      const objects: UpdateObject[] = [
        helvetica(font),
        stream(ap, forgedTotal('TOTAL 9 999,00 EUR'), [
          ['Type', pdfName('XObject')],
          ['Subtype', pdfName('Form')],
          ['BBox', [0, 0, 1200, 900]],
          ['Resources', new Map<string, WritableValue>([['Font', new Map<string, WritableValue>([['FX', pdfRef(font)]])]])],
        ]),
        {
          num: widget,
          value: new Map<string, WritableValue>([
            ['Type', pdfName('Annot')],
            ['Subtype', pdfName('Widget')],
            ['FT', pdfName('Sig')],
            ['T', textString('Sneaky')],
            ['F', 4],
            ['Rect', [0, 0, 1200, 900]],
            ['P', page],
            ['AP', new Map<string, WritableValue>([['N', pdfRef(ap)]])],
          ]),
        },
      ];
      const annots = dictOf(file, page).get('Annots');
      if (annots instanceof PdfRef) objects.push({ num: annots.num, value: [...(file.object(annots.num) as WritableValue[]), pdfRef(widget)] });
      else objects.push(redefine(file, page, { Annots: [...((annots as WritableValue[] | undefined) ?? []), pdfRef(widget)] }));
      const form = copyDict(file.resolve(catalog(file).dict.get('AcroForm')) as Map<string, never>);
      form.set('Fields', [...(form.get('Fields') as WritableValue[]), pdfRef(widget)]);
      objects.push({ num: catalog(file).ref.num, value: new Map([...copyDict(catalog(file).dict), ['AcroForm', form]]) });
      return objects;
    });
    expect(shows(attacked, '9 999,00')).toBe(true);
    const v = await verify(attacked, pki);
    expect(v.ok, JSON.stringify(v.revisions)).toBe(false);
    expectModified(v, 3);
  });
});

describe('signature wrapping (SIG-5)', () => {
  const expectByteRange = (v: PdfSealVerdict): void => {
    expect(v.ok).toBe(false);
    expect(v.status).toBe('failed');
    expect(v.signatures[0]).toMatchObject({ status: 'failed', subIndication: 'FORMAT_FAILURE', code: 'ERR_PDF_BYTE_RANGE_INVALID' });
  };

  it('(d) the ranges moved in place: failed ERR_PDF_BYTE_RANGE_INVALID (pdfsig: invalid)', async () => {
    const [, a, b, c] = sealed.byteRange;
    for (const [x, y, z] of [
      [a, b + 2, c - 2],
      [a - 2, b, c],
      [a, b, c - 20],
      [a + 2, b, c],
      [a, b - 2, c + 2],
    ] as const) {
      expectByteRange(await verify(patchByteRange(sealed.pdf, `/ByteRange [0 ${x} ${y} ${z}]`), pki));
    }
    const shifted = patchByteRange(sealed.pdf, `/ByteRange [0 ${a} ${b + 2} ${c - 2}]`);
    expect(pdfsig(w, shifted, pki.files['ca.pem'], 'swa1.pdf').signatures[0]?.valid).toBe(false);
  });

  it('(d) the signature dictionary moved to a new revision, its ByteRange naming the old /Contents or stretched to the new end: failed ERR_PDF_BYTE_RANGE_INVALID', async () => {
    const file = open(sealed.pdf);
    const sigNum = firstSignatureNumber(file);
    const sig = copyDict(file.object(sigNum) as Map<string, never>);
    const rewrite = (changes: [string, WritableValue][]): Uint8Array => update(sealed.pdf, () => [{ num: sigNum, value: new Map([...sig, ...changes]) }]);
    expectByteRange(await verify(rewrite([['Reason', textString('wrapped')]]), pki));
    const [, a, b] = sealed.byteRange;
    // Same length whatever the last number: write it with as many digits as the real one will have.
    let end = rewrite([['ByteRange', [0, a, b, 9999]]]).length;
    for (let i = 0; i < 3; i++) end = rewrite([['ByteRange', [0, a, b, end - b]]]).length;
    const stretched = rewrite([['ByteRange', [0, a, b, end - b]]]);
    expect(stretched.length).toBe(end);
    const v = await verify(stretched, pki);
    expectByteRange(v);
    expect(v.revisions[2]!.kind).toBe('other');
  });

  it('(d) a ByteRange whose gap swallows bytes inserted after /Contents: failed ERR_PDF_BYTE_RANGE_INVALID', async () => {
    const [, a, b, c] = sealed.byteRange;
    const t = text(sealed.pdf);
    const reasonAt = t.indexOf(' /Reason', b);
    expect(reasonAt - b).toBeLessThan(40);
    // `<hex> /M (D:…)` becomes `<hex> /X <41>` and the gap is stretched over ` /X <41>`, which ends in `>`.
    const inserted = ' /X <41>';
    const pdf = patch(sealed.pdf, t.slice(b, reasonAt), inserted, b);
    const b2 = b + inserted.length;
    const v = await verify(patchByteRange(pdf, `/ByteRange [0 ${a} ${b2} ${c - inserted.length}]`), pki);
    expectByteRange(v);
    // The same ByteRange, hex only (the /Contents string itself longer): the gap is right, the digest is not.
    const hexOnly = patch(sealed.pdf, t.slice(b - 1, reasonAt), `${'0'.repeat(10)}>`, b - 1);
    const h = await verify(patchByteRange(hexOnly, `/ByteRange [0 ${a} ${b + 10} ${c - 10}]`), pki);
    expect(h.status).toBe('failed');
    expect(h.signatures[0]).toMatchObject({ status: 'failed', subIndication: 'HASH_FAILURE' });
  });
});

describe('universal signature forgery (SIG-5)', () => {
  it('(e) /ByteRange empty, null, missing or degenerate; /Contents empty or zeros: failed, never passed', async () => {
    const [, a, b, c] = sealed.byteRange;
    const hex = text(sealed.pdf).slice(a, b);
    const br = (r: string): Uint8Array => patchByteRange(sealed.pdf, r);
    const variants: [string, Uint8Array][] = [
      ['ByteRange []', br('/ByteRange []')],
      ['ByteRange null', br('/ByteRange null')],
      ['no ByteRange', br('/ByteRangX []')],
      ['ByteRange [0 0 0 0]', br('/ByteRange [0 0 0 0]')],
      ['ByteRange [0 -1 0 -1]', br('/ByteRange [0 -1 0 -1]')],
      ['ByteRange over everything', br(`/ByteRange [0 ${b + c} 0 0]`)],
      ['ByteRange of reals', br(`/ByteRange [0 ${a}.0 ${b}.0 ${c}]`)],
      ['Contents <>', patch(sealed.pdf, hex, '<>')],
      ['Contents of zeros', patch(sealed.pdf, hex, `<${'0'.repeat(hex.length - 2)}>`)],
      ['Contents ()', patch(sealed.pdf, hex, '()')],
    ];
    for (const [label, pdf] of variants) {
      const v = await verify(pdf, pki);
      expect(v.ok, label).toBe(false);
      expect(v.status, label).toBe('failed');
      expect(v.signatures.length, label).toBeGreaterThan(0);
      expect(
        v.signatures.every((s) => s.status === 'failed'),
        `${label}: ${JSON.stringify(v.signatures)}`,
      ).toBe(true);
    }
    expect(pdfsig(w, variants[7]![1], pki.files['ca.pem'], 'usf.pdf').signatures[0]?.valid).toBe(false);
  });
});

describe('shadow attacks (SIG-5)', () => {
  /** A bordereau prepared before sealing: an overlay XObject `/Ov`, empty, drawn over the page; and an unused content stream. */
  let prepared: { pdf: SealedPdf; overlay: number; unused: number };
  beforeAll(async () => {
    let overlay = 0;
    let unused = 0;
    const pdf = update(flat, (file, next) => {
      const page = pages(file)[0]!;
      overlay = next();
      unused = next();
      const draw = next();
      const font = next();
      return [
        helvetica(font),
        stream(overlay, '% nothing yet\n', [
          ['Type', pdfName('XObject')],
          ['Subtype', pdfName('Form')],
          ['BBox', [0, 0, 1200, 900]],
          ['Resources', new Map<string, WritableValue>([['Font', new Map<string, WritableValue>([['FX', pdfRef(font)]])]])],
        ]),
        stream(unused, forgedTotal('TOTAL 9 999,00 EUR')),
        stream(draw, 'q /Ov Do Q\n'),
        redefine(file, page, {
          Contents: [...contentsOf(file, page), pdfRef(draw)],
          Resources: resourcesWith(file, page, { xobject: ['Ov', pdfRef(overlay)], font: ['FX', pdfRef(font)] }),
        }),
      ];
    });
    prepared = { pdf: await sealer.seal(pdf), overlay, unused };
    const v = await verify(prepared.pdf.pdf, pki);
    expect(v.ok, JSON.stringify(v.issues)).toBe(true);
    expect(shows(prepared.pdf.pdf, '9 999,00')).toBe(false);
  });

  it('(f) hide: the overlay XObject redefined to draw a new total: other', async () => {
    const attacked = update(prepared.pdf.pdf, () => [
      stream(prepared.overlay, forgedTotal('TOTAL 9 999,00 EUR'), [
        ['Type', pdfName('XObject')],
        ['Subtype', pdfName('Form')],
        ['BBox', [0, 0, 1200, 900]],
        ['Resources', new Map<string, WritableValue>([['Font', new Map<string, WritableValue>([['FX', pdfRef(nextFont(prepared.pdf.pdf))]])]])],
      ]),
    ]);
    expect(shows(attacked, '9 999,00')).toBe(true);
    expectModified(await verify(attacked, pki), 4);
    expectToolsSeeEdits(attacked, 'hide');
  });

  it('(f) hide: a signed but unused content stream made visible by the page: other', async () => {
    const attacked = update(prepared.pdf.pdf, (file) => {
      const page = pages(file)[0]!;
      return [redefine(file, page, { Contents: [...contentsOf(file, page), pdfRef(prepared.unused)] })];
    });
    expect(shows(attacked, '9 999,00')).toBe(true);
    expectModified(await verify(attacked, pki), 4);
  });

  it('(f) replace: a font the page uses redefined: other', async () => {
    const attacked = update(sealed.pdf, (file) => {
      const page = pages(file)[0]!;
      const fonts = file.resolve((file.resolve(dictOf(file, page).get('Resources')) as Map<string, never>).get('Font'));
      const first = [...(fonts as Map<string, PdfRef>).values()].find((v) => v instanceof PdfRef)!;
      return [redefine(file, first, { BaseFont: pdfName('Courier'), Subtype: pdfName('Type1') })];
    });
    expectModified(await verify(attacked, pki), 3);
    expectToolsSeeEdits(attacked, 'replace-font');
  });

  it('(f) replace: the overlay XObject redefined in place with the same length: other', async () => {
    const attacked = update(prepared.pdf.pdf, () => [
      stream(prepared.overlay, '% something  \n', [
        ['Type', pdfName('XObject')],
        ['Subtype', pdfName('Form')],
        ['BBox', [0, 0, 1200, 900]],
      ]),
    ]);
    expectModified(await verify(attacked, pki), 4);
  });

  it('(f) hide-and-replace: the catalog given a new page tree, or the page tree redefined: other', async () => {
    const build = (file: ReturnType<typeof open>, next: () => number, pagesNum: number): UpdateObject[] => {
      const page = pages(file)[0]!;
      const newPage = next();
      const content = next();
      const font = next();
      const pageDict = copyDict(dictOf(file, page));
      pageDict.set('Contents', [...contentsOf(file, page), pdfRef(content)]);
      pageDict.set('Resources', resourcesWith(file, page, { font: ['FX', pdfRef(font)] }));
      pageDict.set('Parent', pdfRef(pagesNum));
      return [helvetica(font), stream(content, forgedTotal('TOTAL 9 999,00 EUR')), { num: newPage, value: pageDict }];
    };
    // A new /Pages, the catalog pointing at it.
    const newTree = update(sealed.pdf, (file, next) => {
      const tree = next();
      const objs = build(file, next, tree);
      const pageNum = objs[2]!.num;
      return [
        ...objs,
        {
          num: tree,
          value: new Map<string, WritableValue>([
            ['Type', pdfName('Pages')],
            ['Kids', [pdfRef(pageNum)]],
            ['Count', 1],
          ]),
        },
        { num: catalog(file).ref.num, value: new Map([...copyDict(catalog(file).dict), ['Pages', pdfRef(tree)]]) },
      ];
    });
    expect(shows(newTree, '9 999,00')).toBe(true);
    expectModified(await verify(newTree, pki), 3);
    expectToolsSeeEdits(newTree, 'har1');
    // The existing /Pages redefined with another kid.
    const sameTree = update(sealed.pdf, (file, next) => {
      const treeRef = catalog(file).dict.get('Pages') as PdfRef;
      const objs = build(file, next, treeRef.num);
      return [...objs, redefine(file, treeRef, { Kids: [pdfRef(objs[2]!.num)], Count: 1 })];
    });
    expect(shows(sameTree, '9 999,00')).toBe(true);
    expectModified(await verify(sameTree, pki), 3);
  });
});

/** The object number of the Helvetica font the preparation added (the one named /FX on the page). */
function nextFont(pdf: Uint8Array): number {
  const file = open(pdf);
  const res = file.resolve(dictOf(file, pages(file)[0]!).get('Resources')) as Map<string, never>;
  return ((file.resolve(res.get('Font')) as Map<string, PdfRef>).get('FX') as PdfRef).num;
}

describe('appended bytes and validation data (SIG-5)', () => {
  it('(g) bytes after the last %%EOF: failed ERR_PDF_MODIFIED_AFTER_SEAL; white-space only: passed', async () => {
    const cat = (extra: string): Uint8Array => new Uint8Array(Buffer.concat([sealed.pdf, latin1(extra)]));
    for (const extra of ['%comment\n', '99 0 obj\n(9 999,00 EUR)\nendobj\n', 'garbage']) {
      const v = await verify(cat(extra), pki);
      expect(v.ok, extra).toBe(false);
      expect(v.status).toBe('failed');
      expect(v.issues.map((i) => i.code)).toContain('ERR_PDF_MODIFIED_AFTER_SEAL');
    }
    expect((await verify(cat('\n\r\n  \n'), pki)).ok).toBe(true);
  });

  it('(h) a later revision that only adds a DSS: passed, the revision is dss', async () => {
    const crlLike = latin1('not really a CRL, but DER-ish bytes');
    const withDss = update(sealed.pdf, (file, next) => {
      const certs = next();
      const crls = next();
      const dss = next();
      return [
        { num: certs, dict: new Map(), data: pki.ca.certificate },
        { num: crls, dict: new Map(), data: crlLike },
        {
          num: dss,
          value: new Map<string, WritableValue>([
            ['Certs', [pdfRef(certs)]],
            ['CRLs', [pdfRef(crls)]],
          ]),
        },
        { num: catalog(file).ref.num, value: new Map([...copyDict(catalog(file).dict), ['DSS', pdfRef(dss)]]) },
      ];
    });
    const v = await verify(withDss, pki);
    expect(v.ok, JSON.stringify(v.issues)).toBe(true);
    expect(v.revisions.map((r) => r.kind)).toEqual(['original', 'signature', 'dss']);
    expect(v.signatures[0]!.laterRevisions).toEqual([{ revision: 3, kind: 'dss' }]);
    const s = pdfsig(w, withDss, pki.files['ca.pem'], 'dss.pdf');
    expect(s.signatures[0]).toMatchObject({ valid: true, trusted: true, total: false });
    // A DSS revision that also slips in a page change is not validation data.
    const sneaky = update(withDss, (file) => {
      const page = pages(file)[0]!;
      return [redefine(file, page, { Rotate: 90 })];
    });
    expectModified(await verify(sneaky, pki), 4);
  });
});
