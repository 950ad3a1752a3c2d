import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { RecordingTraceSink } from '@s3404/core';
import { contentHash, createBordereauId, parseBordereau } from '@s3404/form';
import { placeSignature, readSignatureSlots, renderBordereauPdf } from '@s3404/form/pdf';
import { accountingDayScope, createCapture, createConsumer, type Consumer, type Scope, type SealedRecord, type SealTraceAction } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { applyAccountingDay, applyAccountingDayEach, applySignature } from '@s3404/seal/apply';
import { at, FINESS, fixture, makePng, RPPS_A, run, seededRandom, sinkFailingOn, T0, withDir, write, type Fixture } from './helpers.js';

const EXAMPLE = JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/data/mco-chirurgie-pth.json'), 'utf8')) as Record<string, any>;

/** The example bordereau `id`; `altered`: the same identifier, other content (the insured's first name). */
function exampleOf(id: string, altered = false) {
  const b = structuredClone(EXAMPLE);
  b.id = id;
  b.establishment.finess = FINESS;
  if (altered) b.insured.firstName = 'Paul';
  return parseBordereau(b);
}

async function bordereauPdf(id: string, altered = false): Promise<Uint8Array> {
  return (await renderBordereauPdf(exampleOf(id, altered), { now: () => T0 })).bytes;
}

/** The content hash of the example bordereau `id` — what its PDF prints and a record is sealed for (SIG-4). */
const hashOf = (id: string): string => contentHash(exampleOf(id));

interface Who {
  readonly role: 'insured' | 'director' | 'practitioner';
  readonly signer: { id: string; name: string; rpps?: string };
  readonly mandate?: string;
}

async function seal(f: Fixture, scope: Scope, who: Who): Promise<SealedRecord> {
  const ctx = await f.sealer.openContext({
    scope,
    role: who.role,
    signer: who.signer,
    terminalId: 'tablette-3',
    ...(who.mandate === undefined ? {} : { mandate: { reference: who.mandate } }),
  });
  return f.sealer.seal(createCapture(ctx, { image: makePng(), capturedAt: at(5) }));
}

const INSURED: Who = { role: 'insured', signer: { id: 'patient-1', name: 'Jeanne Martin' } };
const DIRECTOR: Who = { role: 'director', signer: { id: 'dir-1', name: 'M. Durand' } };
const DR_A: Who = { role: 'practitioner', signer: { id: 'dr-a', name: 'Dr A', rpps: RPPS_A } };
const FOR_DR_B: Who = { ...DIRECTOR, mandate: 'MDT-2026-001' };

describe('applySignature: consume once and draw on the bordereau (SIG-4…SIG-6, FORM-6)', () => {
  let f: Fixture;
  let consumer: Consumer;
  let store: MemoryConsumptionStore;
  beforeAll(async () => {
    f = await fixture();
    store = new MemoryConsumptionStore();
    consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });
  });

  it('signs every slot of a bordereau, one record each, and reports when it is complete', async () => {
    const id = createBordereauId({ random: seededRandom(101) });
    let pdf = await bordereauPdf(id);
    const rpps = EXAMPLE.fees.map((x: any) => x.practitioner.rpps as string);
    const plan: [Scope, Who][] = [
      [{ kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) }, INSURED],
      [{ kind: 'line', bordereauId: id, contentHash: hashOf(id), line: 1, practitionerRpps: rpps[0] }, DR_A],
      [{ kind: 'line', bordereauId: id, contentHash: hashOf(id), line: 2, practitionerRpps: rpps[1] }, FOR_DR_B],
      [{ kind: 'line', bordereauId: id, contentHash: hashOf(id), line: 3, practitionerRpps: rpps[2] }, DR_A],
      [{ kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) }, DIRECTOR],
    ];
    const saved: Uint8Array[] = [];
    for (const [i, [scope, who]] of plan.entries()) {
      const sealed = await seal(f, scope, who);
      await consumer.deposit(sealed);
      const r = await applySignature(consumer, { input: { recordId: sealed.recordId }, pdf, requestId: `apply-${i}`, save: (b) => void saved.push(b) });
      expect(r.status).toBe('applied');
      if (r.status !== 'applied') return;
      expect(r.complete).toBe(i === plan.length - 1);
      expect(saved.at(-1)).toBe(r.pdf);
      pdf = r.pdf;
      // The used record cannot sign anything again, not even an unsigned copy of the PDF.
      await expect(applySignature(consumer, { input: { bytes: sealed.bytes }, pdf: await bordereauPdf(id), requestId: `again-${i}` })).rejects.toMatchObject({
        code: 'ERR_RECORD_REPLAYED',
      });
    }
    expect(await readSignatureSlots(pdf)).toMatchObject({ complete: true, missing: [] });
    expect(await store.countPending()).toBe(0);
    await withDir((dir) => {
      write(dir, { 'signed.pdf': pdf });
      expect(run('qpdf', ['--check', join(dir, 'signed.pdf')]).status).toBe(0);
      const text = run('pdftotext', ['-layout', join(dir, 'signed.pdf'), '-']).stdout;
      expect(text).toMatch(/Signé le 20\/03\/2026 11:00 — Mandat/);
      expect(text.match(/Signé le 20\/03\/2026 11:00/g)?.length).toBe(5);
    });
  });

  it('refuses, without consuming, a record for another bordereau or line, or a slot already signed', async () => {
    const id = createBordereauId({ random: seededRandom(102) });
    const other = createBordereauId({ random: seededRandom(103) });
    const pdf = await bordereauPdf(id);
    const foreign = await seal(f, { kind: 'bordereau', bordereauId: other, contentHash: hashOf(other) }, INSURED);
    await expect(applySignature(consumer, { input: { bytes: foreign.bytes }, pdf, requestId: 'w1' })).rejects.toMatchObject({
      code: 'ERR_RECORD_WRONG_BORDEREAU',
    });
    const line1 = await seal(f, { kind: 'line', bordereauId: id, contentHash: hashOf(id), line: 1, practitionerRpps: EXAMPLE.fees[0].practitioner.rpps }, DR_A);
    await expect(applySignature(consumer, { input: { bytes: line1.bytes }, pdf, requestId: 'w2', line: 3 })).rejects.toMatchObject({
      code: 'ERR_RECORD_WRONG_LINE',
    });
    const first = await seal(f, { kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) }, INSURED);
    const signed = await applySignature(consumer, { input: { bytes: first.bytes }, pdf, requestId: 'w3' });
    if (signed.status !== 'applied') throw new Error('expected applied');
    const second = await seal(f, { kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) }, INSURED);
    await expect(applySignature(consumer, { input: { bytes: second.bytes }, pdf: signed.pdf, requestId: 'w4' })).rejects.toMatchObject({
      code: 'ERR_SLOT_NOT_AVAILABLE',
    });
    // None of the refused records was consumed: each still signs its own slot.
    for (const sealed of [foreign, second]) expect(await store.findTombstone({ recordId: sealed.recordId })).toBeNull();
    expect((await applySignature(consumer, { input: { bytes: line1.bytes }, pdf, requestId: 'w7' })).status).toBe('applied');
  });

  it('refuses, traced and without consuming, a record signed for other content of the same bordereau (SIG-4)', async () => {
    const id = createBordereauId({ random: seededRandom(105) });
    const genuine = await bordereauPdf(id);
    // The same identifier, other content: the PDF an attacker would present.
    const altered = await bordereauPdf(id, true);
    const onPdf = await readSignatureSlots(altered);
    expect(onPdf.bordereauId).toBe(id);
    expect(onPdf.contentHash).not.toBe(hashOf(id));
    expect((await readSignatureSlots(genuine)).contentHash).toBe(hashOf(id));
    const trace = new RecordingTraceSink<SealTraceAction>();
    const own = new MemoryConsumptionStore();
    const traced = createConsumer({ store: own, trustAnchors: [f.pki.ca.certificate], now: () => at(10), trace });
    const sealed = await seal(f, { kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) }, INSURED);
    await traced.deposit(sealed);
    for (const [n, input] of [{ recordId: sealed.recordId }, { bytes: sealed.bytes }].entries()) {
      await expect(applySignature(traced, { input, pdf: altered, requestId: `altered-${n}` })).rejects.toMatchObject({
        code: 'ERR_RECORD_WRONG_CONTENT',
        kind: 'verdict',
        message: 'L’enregistrement a été signé pour un autre contenu du bordereau (empreinte différente).',
      });
    }
    // Nothing consumed: no tombstone, still pending; both refusals traced with the code, nothing consumed nor applied.
    expect(await own.findTombstone({ recordId: sealed.recordId })).toBeNull();
    expect(await own.countPending()).toBe(1);
    const refused = trace.events.filter((e) => e.action === 'signature.refused');
    expect(refused.map((e) => e.code)).toEqual(['ERR_RECORD_WRONG_CONTENT', 'ERR_RECORD_WRONG_CONTENT']);
    expect(refused[0]!.subject).toMatchObject({ recordId: sealed.recordId });
    expect(trace.events.some((e) => e.action === 'signature.consumed' || e.action === 'signature.applied')).toBe(false);
    // The consumer alone refuses it too, on the content hash of the target.
    await expect(
      traced.consume({ recordId: sealed.recordId }, { target: { bordereauId: id, contentHash: onPdf.contentHash }, requestId: 'direct' }),
    ).rejects.toMatchObject({ code: 'ERR_RECORD_WRONG_CONTENT' });
    // A target without its content hash is a programmer's mistake (SIG-4: consuming is applying).
    await expect(traced.consume({ recordId: sealed.recordId }, { target: { bordereauId: id } as never, requestId: 'no-hash' })).rejects.toThrow(TypeError);
    // On the genuine PDF, the same record signs.
    const ok = await applySignature(traced, { input: { recordId: sealed.recordId }, pdf: genuine, requestId: 'genuine' });
    expect(ok).toMatchObject({ status: 'applied', bordereauId: id, contentHash: hashOf(id), slot: 'insured' });
  });

  it('finishes on a retry with the same request id when saving failed, and refuses any other request', async () => {
    const id = createBordereauId({ random: seededRandom(104) });
    const pdf = await bordereauPdf(id);
    const sealed = await seal(f, { kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) }, INSURED);
    await consumer.deposit(sealed);
    const input = { recordId: sealed.recordId };
    await expect(
      applySignature(consumer, {
        input,
        pdf,
        requestId: 'job-1',
        save: () => {
          throw new Error('EIO');
        },
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE', params: { requestId: 'job-1', recordId: sealed.recordId }, cause: { message: 'EIO' } });
    expect(await store.countPending()).toBe(1);
    await expect(applySignature(consumer, { input, pdf, requestId: 'job-2' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
    const done = await applySignature(consumer, { input, pdf, requestId: 'job-1' });
    expect(done).toMatchObject({ status: 'applied', resumed: true, slot: 'insured' });
    expect(await store.countPending()).toBe(0);
    expect(await applySignature(consumer, { input, pdf, requestId: 'job-1' })).toMatchObject({ status: 'already-consumed', recordId: sealed.recordId });
  });

  it('says the use is still open when a resumed request is refused: never "nothing was consumed" for a claimed record', async () => {
    const id = createBordereauId({ random: seededRandom(106) });
    const pdf = await bordereauPdf(id);
    const scope: Scope = { kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) };
    const sealed = await seal(f, scope, INSURED);
    await consumer.deposit(sealed);
    const input = { recordId: sealed.recordId };
    const fail = () => {
      throw new Error('EIO');
    };
    await expect(applySignature(consumer, { input, pdf, requestId: 'job-11', save: fail })).rejects.toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE' });
    // The same request on a PDF whose slot another record signed meanwhile: refused, and the record is still claimed by it.
    const someone = await seal(f, scope, INSURED);
    await consumer.deposit(someone);
    const taken = await applySignature(consumer, { input: { recordId: someone.recordId }, pdf, requestId: 'job-12' });
    if (taken.status !== 'applied') throw new Error('expected applied');
    const e = await applySignature(consumer, { input, pdf: taken.pdf, requestId: 'job-11' }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE', params: { requestId: 'job-11', recordId: sealed.recordId, detail: 'ERR_SLOT_NOT_AVAILABLE' } });
    expect((e as Error).message).not.toMatch(/rien n'a été consommé/);
    // On the unsigned PDF, the same request finishes it.
    expect(await applySignature(consumer, { input, pdf, requestId: 'job-11' })).toMatchObject({ status: 'applied', resumed: true });
  });

  it('finishes with the saved PDF too, when the use failed after saving: the record’s own drawing is recognised, byte for byte', async () => {
    const id = createBordereauId({ random: seededRandom(105) });
    const pdf = await bordereauPdf(id);
    const scope: Scope = { kind: 'bordereau', bordereauId: id, contentHash: hashOf(id) };
    // A sink that fails on signature.applied, as an audit store briefly unreachable: the use is left open after `save`.
    const trace = sinkFailingOn('signature.applied', true);
    const { recorded } = trace;
    const own = new MemoryConsumptionStore();
    const traced = createConsumer({ store: own, trustAnchors: [f.pki.ca.certificate], now: () => at(10), trace });
    const sealed = await seal(f, scope, INSURED);
    await traced.deposit(sealed);
    const input = { recordId: sealed.recordId };
    let saved: Uint8Array | undefined;
    await expect(
      applySignature(traced, {
        input,
        pdf,
        requestId: 'job-9',
        save: (b) => {
          saved = b;
        },
      }),
    ).rejects.toMatchObject({
      code: 'ERR_CONSUME_INCOMPLETE',
    });
    expect(saved).toBeDefined();
    trace.down = false;
    // The vendor holds only the saved (signed) PDF now: the same request finishes the use on it, drawing nothing more.
    const done = await applySignature(traced, { input, pdf: saved!, requestId: 'job-9' });
    expect(done).toMatchObject({ status: 'applied', resumed: true, slot: 'insured' });
    if (done.status !== 'applied') return;
    expect(Buffer.from(done.pdf).equals(Buffer.from(saved!))).toBe(true);
    expect(await own.countPending()).toBe(0);
    expect(recorded.events.filter((e) => e.action === 'signature.applied')).toHaveLength(1);

    // Not a descriptor naming the record: a drawing of another image under this record's id is no proof.
    const other = await seal(f, scope, INSURED);
    await traced.deposit(other);
    trace.down = true;
    await expect(applySignature(traced, { input: { recordId: other.recordId }, pdf, requestId: 'job-10', save: () => undefined })).rejects.toMatchObject({
      code: 'ERR_CONSUME_INCOMPLETE',
    });
    trace.down = false;
    const forged = await placeSignature(pdf, { slot: 'insured', image: makePng(200, 80), capturedAt: at(5), bordereauId: id, recordId: other.recordId });
    expect((await readSignatureSlots(forged)).signatures).toMatchObject([{ slot: 'insured', recordId: other.recordId }]);
    // The use stays open for that request (its slot on this PDF is not its drawing).
    await expect(applySignature(traced, { input: { recordId: other.recordId }, pdf: forged, requestId: 'job-10' })).rejects.toMatchObject({
      code: 'ERR_CONSUME_INCOMPLETE',
      params: { detail: 'ERR_SLOT_NOT_AVAILABLE' },
    });
    expect((await own.findTombstone({ recordId: other.recordId }))?.completedAt).toBeUndefined();
  });
});

describe('applyAccountingDay: one signature on every bordereau of the day (SIG-10)', () => {
  let f: Fixture;
  let ids: string[];
  let pdfs: Uint8Array[];
  beforeAll(async () => {
    f = await fixture();
    ids = [201, 202, 203].map((s) => createBordereauId({ random: seededRandom(s) }));
    pdfs = await Promise.all(ids.map((id) => bordereauPdf(id)));
  });
  const sealDay = (set: string[]) =>
    seal(f, accountingDayScope({ finess: FINESS, day: '2026-03-20', bordereaux: set.map((id) => ({ bordereauId: id, contentHash: hashOf(id) })) }), DIRECTOR);
  const consumerOn = (store: MemoryConsumptionStore) => createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10) });

  it('signs all the bordereaux of its set with "journée comptable", then cannot be used again', async () => {
    const store = new MemoryConsumptionStore();
    const consumer = consumerOn(store);
    const day = await sealDay(ids);
    // Pending, encrypted for its day (SIG-6): the handle brings the key back.
    const { handle, target } = await consumer.deposit(day);
    expect(target).toBe(`day:${FINESS}:2026-03-20`);
    let saved: readonly Uint8Array[] = [];
    const r = await applyAccountingDay(consumer, {
      input: { handle },
      pdfs,
      day: '2026-03-20',
      finess: FINESS,
      requestId: 'day-1',
      save: (b) => {
        saved = b;
      },
    });
    if (r.status !== 'applied') throw new Error('expected applied');
    expect(saved).toBe(r.pdfs);
    expect(r.bordereaux.map((b) => b.bordereauId)).toEqual(ids);
    expect(r.bordereaux.map((b) => b.contentHash)).toEqual(ids.map(hashOf));
    expect(r.bordereaux.every((b) => !b.complete && !b.missing.includes('director'))).toBe(true);
    await withDir((dir) => {
      for (const [i, pdf] of r.pdfs.entries()) {
        write(dir, { [`b${i}.pdf`]: pdf });
        expect(run('qpdf', ['--check', join(dir, `b${i}.pdf`)]).status).toBe(0);
        expect(run('pdftotext', ['-layout', join(dir, `b${i}.pdf`), '-']).stdout).toMatch(/20\/03\/2026 11:00 journée comptable/);
      }
    });
    expect(await store.countPending()).toBe(0);
    await expect(
      applyAccountingDay(consumer, { input: { bytes: day.bytes }, pdfs, day: '2026-03-20', finess: FINESS, requestId: 'day-2' }),
    ).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
  });

  it('is all or nothing: a missing, added or already-signed bordereau refuses the whole day before consuming', async () => {
    const store = new MemoryConsumptionStore();
    const consumer = consumerOn(store);
    const day = await sealDay(ids);
    const extra = await bordereauPdf(createBordereauId({ random: seededRandom(299) }));
    const base = { input: { bytes: day.bytes }, day: '2026-03-20', finess: FINESS };
    await expect(applyAccountingDay(consumer, { ...base, pdfs: pdfs.slice(0, 2), requestId: 'a' })).rejects.toMatchObject({
      code: 'ERR_RECORD_DAY_SET_MISMATCH',
    });
    await expect(applyAccountingDay(consumer, { ...base, pdfs: [...pdfs, extra], requestId: 'b' })).rejects.toMatchObject({
      code: 'ERR_RECORD_DAY_SET_MISMATCH',
    });
    await expect(applyAccountingDay(consumer, { ...base, day: '2026-03-21', pdfs, requestId: 'c' })).rejects.toMatchObject({ code: 'ERR_RECORD_WRONG_DAY' });
    // The same identifiers, but one bordereau altered since the day was signed (another content hash).
    const altered = await bordereauPdf(ids[1]!, true);
    await expect(applyAccountingDay(consumer, { ...base, pdfs: [pdfs[0]!, altered, pdfs[2]!], requestId: 'altered' })).rejects.toMatchObject({
      code: 'ERR_RECORD_DAY_SET_MISMATCH',
    });
    // One bordereau already carries a director's signature.
    const directorSigned = await applySignature(consumer, {
      input: { bytes: (await seal(f, { kind: 'bordereau', bordereauId: ids[1]!, contentHash: hashOf(ids[1]!) }, DIRECTOR)).bytes },
      pdf: pdfs[1]!,
      requestId: 'dir',
    });
    if (directorSigned.status !== 'applied') throw new Error('expected applied');
    await expect(applyAccountingDay(consumer, { ...base, pdfs: [pdfs[0]!, directorSigned.pdf, pdfs[2]!], requestId: 'd' })).rejects.toMatchObject({
      code: 'ERR_SLOT_NOT_AVAILABLE',
    });
    expect(await store.findTombstone({ recordId: day.recordId })).toBeNull();
    expect((await applyAccountingDay(consumer, { ...base, pdfs, requestId: 'e' })).status).toBe('applied');
  });

  it('is resumable: a failure after the claim is finished by the same request id, refused to any other', async () => {
    const store = new MemoryConsumptionStore();
    const consumer = consumerOn(store);
    const day = await sealDay(ids);
    await consumer.deposit(day);
    const base = { input: { recordId: day.recordId }, pdfs, day: '2026-03-20', finess: FINESS };
    await expect(applyAccountingDay(consumer, { ...base, requestId: 'night-batch', save: () => Promise.reject(new Error('network')) })).rejects.toMatchObject({
      code: 'ERR_CONSUME_INCOMPLETE',
      params: { requestId: 'night-batch' },
      cause: { message: 'network' },
    });
    await expect(applyAccountingDay(consumer, { ...base, requestId: 'someone-else' })).rejects.toMatchObject({ code: 'ERR_RECORD_REPLAYED' });
    const r = await applyAccountingDay(consumer, { ...base, requestId: 'night-batch' });
    expect(r).toMatchObject({ status: 'applied', resumed: true });
    expect(await store.countPending()).toBe(0);
  });

  it('is resumable on the PDFs its first try saved, whole or in part (applyAccountingDay and applyAccountingDayEach)', async () => {
    for (const each of [false, true]) {
      const store = new MemoryConsumptionStore();
      // The trace fails on signature.applied: the use is left open after the PDFs were saved (committed).
      const trace = sinkFailingOn('signature.applied', true);
      const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), trace });
      const day = await sealDay(ids);
      await consumer.deposit(day);
      const base = { input: { recordId: day.recordId }, day: '2026-03-20', finess: FINESS, requestId: `night-${each}` };
      let files = [...pdfs];
      const staged: Uint8Array[] = [];
      const run = (pdfsNow: Uint8Array[]) =>
        each
          ? applyAccountingDayEach(consumer, {
              ...base,
              count: pdfsNow.length,
              read: (i) => pdfsNow[i]!,
              stage: (i, b) => {
                staged[i] = b;
              },
              commit: () => {
                files = [...staged];
              },
            })
          : applyAccountingDay(consumer, {
              ...base,
              pdfs: pdfsNow,
              save: (b) => {
                files = [...b];
              },
            });
      await expect(run(files)).rejects.toMatchObject({ code: 'ERR_CONSUME_INCOMPLETE' });
      const signedDay = [...files];
      expect(signedDay.every((b, i) => b.length > pdfs[i]!.length)).toBe(true);
      trace.down = false;
      // Only the first PDF was saved signed (a crash in the middle of the renames): one signed, two not.
      const r = await run([signedDay[0]!, pdfs[1]!, pdfs[2]!]);
      expect(r).toMatchObject({ status: 'applied', resumed: true });
      expect(await store.countPending()).toBe(0);
      // The signed one kept as it was; the others signed now, exactly as the first try signed them.
      const out = each ? staged : (r as unknown as { pdfs: Uint8Array[] }).pdfs;
      for (const i of [0, 1, 2]) expect(Buffer.from(out[i]!).equals(Buffer.from(signedDay[i]!)), `bordereau ${i}`).toBe(true);
    }
  });
});
