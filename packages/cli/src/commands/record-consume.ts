import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { normalizeBordereauId } from '@s3404/form';
import { createConsumer, readPemCertificates, type ConsumptionStore, type RecordExpectation } from '@s3404/seal';
import { readSignatureSlots } from '@s3404/form/pdf';
import { applySignature } from '@s3404/seal/apply';
import { openConsumptionStore } from '@s3404/seal/stores';
import { openStateTrace } from './state-trace.js';
import { UsageError, clockFrom, readInput, writeAtomic, type Io } from '../io.js';
import { printJson } from '../output.js';
import { dayOf, lineNumber, need, text, type RecordOptions } from './record.js';

/** Where `--state DIR` keeps the embedded consumption store (SIG-5). */
export const STATE_STORE = 'seal/consumption.sqlite';

/**
 * `s3404 record consume FILE.p7m --bordereau ID [--line N | --day D] --trust CA
 * (--state DIR | --store URL) [--pdf IN.pdf -o OUT.pdf] [--request-id ID]`
 * (SIG-4, SIG-5, SIG-6): exit 0 the first time, 1 with the refusal code after.
 */
export async function consumeCommand(io: Io, file: string, o: RecordOptions): Promise<number> {
  if ((o.state === undefined) === (o.store === undefined)) throw new UsageError('record consume attend --state DIR ou --store URL (un seul des deux)');
  if (o.bordereau.length === 0) throw new UsageError('--bordereau est obligatoire');
  if (o.line !== undefined && o.day !== undefined) throw new UsageError('--line et --day sont exclusifs');
  if (o.bordereau.length > 1 && o.day === undefined) throw new UsageError('plusieurs --bordereau seulement avec --day');
  if ((o.pdf === undefined) !== (o.out === undefined)) throw new UsageError('--pdf ENTREE.pdf va avec -o SORTIE.pdf');
  if (o.pdf !== undefined && o.day !== undefined) throw new UsageError('--pdf ne s’emploie pas avec --day');
  const ids = o.bordereau.map((id) => {
    const n = normalizeBordereauId(id);
    if (n === null) throw new UsageError(`--bordereau : identifiant invalide ${id.slice(0, 40)}`);
    return n;
  });
  const requestId = o.requestId ?? crypto.randomUUID();
  if (!/^[\x21-\x7e]{1,255}$/.test(requestId)) throw new UsageError('--request-id attend 1 à 255 caractères ASCII visibles');
  const target: RecordExpectation =
    o.day !== undefined
      ? { day: dayOf(o.day), dayBordereaux: ids, ...(o.finess === undefined ? {} : { finess: o.finess }) }
      : { bordereauId: ids[0]!, ...(o.line === undefined ? {} : { line: lineNumber(o.line) }) };
  const bytes = readInput(io, file);
  const pdf = o.pdf === undefined ? undefined : readInput(io, o.pdf);
  if (pdf !== undefined) {
    const onPdf = (await readSignatureSlots(pdf, { locale: o.locale })).bordereauId;
    if (onPdf !== ids[0]) throw new UsageError(`--pdf : ce PDF est le bordereau ${onPdf}, pas ${ids[0]}`);
  }
  const trustAnchors = readPemCertificates(text(io, need(o.trust, '--trust')), { locale: o.locale });
  const now = clockFrom(io);
  let url = o.store;
  if (o.state !== undefined) {
    const dir = resolve(io.cwd, o.state, 'seal');
    mkdirSync(dir, { recursive: true });
    url = `sqlite:${resolve(io.cwd, o.state, STATE_STORE)}`;
  }
  const store: ConsumptionStore = await openConsumptionStore(url!, { locale: o.locale });
  const trace = o.state === undefined ? undefined : await openStateTrace(io, o.state, { now, locale: o.locale }).catch(async (e: unknown) => {
    await store.close?.();
    throw e;
  });
  try {
    const consumer = createConsumer({ store, trustAnchors, now: () => now, consumerId: 's3404-cli', locale: o.locale, ...(trace === undefined ? {} : { trace: trace.sink }) });
    const fr = o.locale === 'fr';
    if (pdf !== undefined) {
      const out = o.out!;
      let written = '';
      const r = await applySignature(consumer, {
        input: { bytes },
        pdf,
        requestId,
        ...(o.line === undefined ? {} : { line: lineNumber(o.line) }),
        save: (signed) => {
          written = writeAtomic(io, out, signed);
        },
        locale: o.locale,
      });
      if (r.status === 'already-consumed') return report(io, o, { ...r }, fr);
      return report(io, o, { status: 'consumed', recordId: r.recordId, requestId, slot: r.slot, out: written, complete: r.complete, missing: r.missing }, fr);
    }
    const r = await consumer.consume({ bytes }, { target, requestId });
    const { status, recordId, digest, target: used, claimedAt, completedAt } = r;
    return report(io, o, { status, recordId, digest, target: used, requestId, claimedAt, completedAt }, fr);
  } finally {
    await store.close?.();
    await trace?.close();
  }
}

function report(io: Io, o: RecordOptions, result: Record<string, unknown>, fr: boolean): number {
  if (o.json) printJson(io, { consumed: true, ...result });
  else if (result['status'] === 'already-consumed') io.stdout(`${fr ? 'Déjà consommé par cette même demande' : 'Already consumed by this same request'} ${String(result['requestId'])} : ${String(result['recordId'])}\n`);
  else {
    const where = result['out'] === undefined ? '' : ` → ${String(result['out'])}${result['complete'] === true ? (fr ? ' (bordereau complet)' : ' (bordereau complete)') : ''}`;
    io.stdout(`${fr ? 'Signature consommée' : 'Signature consumed'} : ${String(result['recordId'])} (${fr ? 'demande' : 'request'} ${String(result['requestId'])})${where}\n`);
  }
  return 0;
}
