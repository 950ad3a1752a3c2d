import { resolve } from 'node:path';
import { readSignatureSlots } from '@s3404/form/pdf';
import { createConsumer, type RecordExpectation } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { openConsumptionStore } from '@s3404/seal/stores';
import { bordereauIds, dayOf, exclusive, lineNumber, together, usage } from '../args.js';
import { makeDirectory, prepareOutput, readInput, securityClock, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import type { RecordOptions } from './record-options.js';
import { trustAnchorsOf } from './signing-keys.js';
import { openStateTrace } from './state-trace.js';

/** Where `--state DIR` keeps the embedded consumption store (SIG-5). */
export const STATE_STORE = 'seal/consumption.sqlite';

/**
 * `s3404 record consume FILE.p7m --bordereau ID [--line N | --day D] --trust CA
 * (--state DIR | --store URL) [--pdf IN.pdf -o OUT.pdf] [--request-id ID]`
 * (SIG-4, SIG-5, SIG-6): exit 0 the first time, 1 with the refusal code after.
 */
export async function consumeCommand(io: Io, file: string, o: RecordOptions): Promise<number> {
  if ((o.state === undefined) === (o.store === undefined))
    throw usage({
      fr: 'record consume attend --state DIR ou --store URL (un seul des deux)',
      en: 'record consume expects --state DIR or --store URL (one of them)',
    });
  if (o.bordereau.length === 0) throw usage({ fr: '--bordereau est obligatoire', en: '--bordereau is required' });
  if (o.line !== undefined && o.day !== undefined) throw exclusive('--line', '--day');
  if (o.bordereau.length > 1 && o.day === undefined)
    throw usage({ fr: 'plusieurs --bordereau seulement avec --day', en: 'several --bordereau only with --day' });
  if ((o.pdf === undefined) !== (o.out === undefined)) throw together('--pdf IN.pdf', '-o OUT.pdf');
  if (o.pdf !== undefined && o.day !== undefined) throw exclusive('--pdf', '--day');
  const ids = bordereauIds(o.bordereau);
  const requestId = o.requestId ?? crypto.randomUUID();
  if (!/^[\x21-\x7e]{1,255}$/.test(requestId))
    throw usage({ fr: '--request-id attend 1 à 255 caractères ASCII visibles', en: '--request-id expects 1 to 255 visible ASCII characters' });
  const target: RecordExpectation =
    o.day !== undefined
      ? { day: dayOf(o.day), dayBordereaux: ids, ...(o.finess === undefined ? {} : { finess: o.finess }) }
      : { bordereauId: ids[0]!, ...(o.line === undefined ? {} : { line: lineNumber(o.line) }) };
  const bytes = await readInput(io, file);
  const pdf = o.pdf === undefined ? undefined : await readInput(io, o.pdf);
  if (pdf !== undefined) {
    const onPdf = (await readSignatureSlots(pdf, { locale: o.locale })).bordereauId;
    if (onPdf !== ids[0])
      throw usage({ fr: `--pdf : ce PDF est le bordereau ${onPdf}, pas ${ids[0]}`, en: `--pdf: this PDF is bordereau ${onPdf}, not ${ids[0]}` });
  }
  // The signed PDF's path is checked before the record is claimed: a use is never burned by an unwritable -o.
  if (o.out !== undefined) await prepareOutput(io, o.out);
  const trustAnchors = await trustAnchorsOf(io, o.trust, o.locale);
  const at = securityClock(io);
  const url = o.state === undefined ? o.store! : `sqlite:${resolve(io.cwd, o.state, STATE_STORE)}`;
  if (o.state !== undefined) await makeDirectory(io, resolve(io.cwd, o.state, 'seal'));
  // Single use from any process: a store that dies with the process (memory:) is refused (ERR_STORE_NOT_DURABLE).
  const store = await openConsumptionStore(url, { durable: true, locale: o.locale });
  const trace =
    o.state === undefined
      ? undefined
      : await openStateTrace(io, o.state, { now: at, locale: o.locale }).catch(async (e: unknown) => {
          await store.close();
          throw e;
        });
  try {
    const consumer = createConsumer({
      store,
      trustAnchors,
      now: () => at,
      consumerId: 's3404-cli',
      locale: o.locale,
      ...(trace === undefined ? {} : { trace: trace.sink }),
    });
    if (pdf !== undefined) {
      const out = o.out!;
      let written = '';
      const r = await applySignature(consumer, {
        input: { bytes },
        pdf,
        requestId,
        ...(o.line === undefined ? {} : { line: lineNumber(o.line) }),
        save: async (signed) => {
          written = await writeOutput(io, out, signed);
        },
        locale: o.locale,
      });
      if (r.status === 'already-consumed') return report(io, o, { ...r });
      return report(io, o, {
        status: 'consumed',
        recordId: r.recordId,
        requestId,
        resumed: r.resumed,
        slot: r.slot,
        out: written,
        complete: r.complete,
        missing: r.missing,
      });
    }
    const r = await consumer.consume({ bytes }, { target, requestId });
    const { status, recordId, digest, target: used, claimedAt, completedAt } = r;
    return report(io, o, { status, recordId, digest, target: used, requestId, claimedAt, completedAt });
  } finally {
    await store.close();
    await trace?.close();
  }
}

function report(io: Io, o: RecordOptions, result: Record<string, unknown>): number {
  const { locale } = o;
  const recordId = String(result['recordId']);
  const requestId = String(result['requestId']);
  if (o.json) printJson(io, { consumed: true, ...result });
  else if (result['status'] === 'already-consumed') {
    io.stdout(
      line(locale, `Déjà consommé par cette même demande ${requestId} : ${recordId}`, `Already consumed by this same request ${requestId}: ${recordId}`),
    );
  } else {
    const out = result['out'] === undefined ? undefined : String(result['out']);
    const complete = result['complete'] === true;
    const where = (fr: boolean): string => (out === undefined ? '' : ` → ${out}${complete ? (fr ? ' (bordereau complet)' : ' (bordereau complete)') : ''}`);
    io.stdout(
      line(
        locale,
        `Signature consommée : ${recordId} (demande ${requestId}${result['resumed'] === true ? ', usage repris et terminé' : ''})${where(true)}`,
        `Signature consumed: ${recordId} (request ${requestId}${result['resumed'] === true ? ', use resumed and finished' : ''})${where(false)}`,
      ),
    );
  }
  return 0;
}
