import { readSignatureSlots } from '@s3404/form/pdf';
import type { ConsumeInput, ConsumeTarget } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { bordereauIds, contentHashOf, dayOf, exclusive, lineNumber, together, usage } from '../args.js';
import { prepareOutput, readInput, removeInputFile, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import type { RecordOptions } from './record-options.js';
import { openRecordState } from './record-state.js';
import { contentHashRequired, dayBordereauxOption } from './record-binding.js';

/**
 * `s3404 record consume (FILE.p7m | --handle H) (--bordereau ID --content-hash HEX [--line N]
 * | --pdf IN.pdf -o OUT.pdf [--line N] | --day D --day-bordereau ID:HASH… [--finess F]) --trust CA
 * (--state DIR | --store URL) [--request-id ID] [--keep-input]`
 * (SIG-4, SIG-5, SIG-6, SIG-10): exit 0 the first time, 1 with the refusal code after
 * (`ERR_RECORD_WRONG_CONTENT` for a record signed for other content). With
 * `--pdf`, the bordereau and its content hash are the PDF's (`--bordereau` and
 * `--content-hash`, if given, must match it).
 * A FILE is removed once used (unless `--keep-input`); `--handle` uses a
 * record `record deposit` left pending (its key is in the handle; `-` reads
 * the handle from standard input, out of `ps`).
 */
export async function consumeCommand(io: Io, file: string | undefined, o: RecordOptions, stdin: () => Promise<string>): Promise<number> {
  if ((file === undefined) === (o.handle === undefined))
    throw usage({
      fr: 'record consume attend un FICHIER.p7m ou --handle POIGNÉE (un seul des deux)',
      en: 'record consume expects a FILE.p7m or --handle HANDLE (one of them)',
    });
  if ((o.state === undefined) === (o.store === undefined))
    throw usage({
      fr: 'record consume attend --state DIR ou --store URL (un seul des deux)',
      en: 'record consume expects --state DIR or --store URL (one of them)',
    });
  if (o.line !== undefined && o.day !== undefined) throw exclusive('--line', '--day');
  if ((o.pdf === undefined) !== (o.out === undefined)) throw together('--pdf IN.pdf', '-o OUT.pdf');
  if (o.pdf !== undefined && o.day !== undefined) throw exclusive('--pdf', '--day');
  if (o.day !== undefined) {
    if (o.bordereau.length > 0) throw exclusive('--bordereau', '--day (--day-bordereau ID:HASH)');
    if (o.contentHash !== undefined) throw exclusive('--content-hash', '--day (--day-bordereau ID:HASH)');
  } else {
    if (o.dayBordereau.length > 0) throw usage({ fr: '--day-bordereau seulement avec --day', en: '--day-bordereau only with --day' });
    if (o.bordereau.length === 0 && o.pdf === undefined) throw usage({ fr: '--bordereau ou --pdf est obligatoire', en: '--bordereau or --pdf is required' });
    if (o.bordereau.length > 1) throw usage({ fr: 'un seul --bordereau hors journée comptable', en: 'one --bordereau only, except for an accounting day' });
    // Without the PDF, the content the record must be bound to is given (SIG-4).
    if (o.pdf === undefined && o.contentHash === undefined) throw contentHashRequired('record consume');
  }
  if (o.keepInput && file === undefined) throw together('--keep-input', 'FICHIER.p7m');
  const ids = bordereauIds(o.bordereau);
  const requestId = o.requestId ?? crypto.randomUUID();
  if (!/^[\x21-\x7e]{1,255}$/.test(requestId))
    throw usage({ fr: '--request-id attend 1 à 255 caractères ASCII visibles', en: '--request-id expects 1 to 255 visible ASCII characters' });
  const contentHash = o.contentHash === undefined ? undefined : contentHashOf(o.contentHash);
  const target: ConsumeTarget | undefined =
    o.day !== undefined
      ? { day: dayOf(o.day), dayBordereaux: dayBordereauxOption(o, 'record consume'), ...(o.finess === undefined ? {} : { finess: o.finess }) }
      : contentHash === undefined
        ? undefined // --pdf: the PDF's own identifier and content hash
        : { bordereauId: ids[0]!, contentHash, ...(o.line === undefined ? {} : { line: lineNumber(o.line) }) };
  const bytes = file === undefined ? undefined : await readInput(io, file);
  const handle = o.handle === '-' ? (await stdin()).trim() : o.handle;
  const input: ConsumeInput = bytes !== undefined ? { bytes } : { handle: handle! };
  const pdf = o.pdf === undefined ? undefined : await readInput(io, o.pdf);
  if (pdf !== undefined) {
    const onPdf = await readSignatureSlots(pdf, { locale: o.locale });
    if (ids[0] !== undefined && onPdf.bordereauId !== ids[0])
      throw usage({
        fr: `--pdf : ce PDF est le bordereau ${onPdf.bordereauId}, pas ${ids[0]}`,
        en: `--pdf: this PDF is bordereau ${onPdf.bordereauId}, not ${ids[0]}`,
      });
    if (contentHash !== undefined && onPdf.contentHash !== contentHash)
      throw usage({
        fr: `--pdf : ce PDF a l'empreinte de contenu ${onPdf.contentHash}, pas ${contentHash}`,
        en: `--pdf: this PDF has content hash ${onPdf.contentHash}, not ${contentHash}`,
      });
  }
  // The signed PDF's path is checked before the record is claimed: a use is never burned by an unwritable -o.
  if (o.out !== undefined) await prepareOutput(io, o.out);
  const state = await openRecordState(io, 'consume', o, 'trust');
  let result: Record<string, unknown>;
  try {
    const { consumer } = state;
    if (pdf !== undefined) {
      const out = o.out!;
      let written = '';
      const r = await applySignature(consumer, {
        input,
        pdf,
        requestId,
        ...(o.line === undefined ? {} : { line: lineNumber(o.line) }),
        save: async (signed) => {
          written = await writeOutput(io, out, signed);
        },
        locale: o.locale,
      });
      result =
        r.status === 'already-consumed'
          ? { ...r }
          : { status: 'consumed', recordId: r.recordId, requestId, resumed: r.resumed, slot: r.slot, out: written, complete: r.complete, missing: r.missing };
    } else {
      const r = await consumer.consume(input, { target: target!, requestId });
      const { status, recordId, digest, target: used, claimedAt, completedAt } = r;
      result = { status, recordId, digest, target: used, requestId, claimedAt, completedAt };
    }
  } finally {
    await state.close();
    bytes?.fill(0); // the record read from FILE is this command's own copy (SIG-6)
  }
  // Used: the record file has served and goes, unless a tester keeps it (SIG-6).
  if (file !== undefined) {
    const removed = o.keepInput ? 'kept' : await removeInputFile(io, file);
    result = { ...result, input: { path: file, removed: removed === true } };
    if (removed !== true && removed !== 'kept' && removed !== 'stdin') {
      io.stderr(
        line(
          o.locale,
          `Attention : le fichier ${file} n'a pas pu être supprimé (${removed}) ; supprimez-le : la signature est utilisée.`,
          `Warning: the file ${file} could not be removed (${removed}); delete it: the signature is used.`,
        ),
      );
    }
  }
  return report(io, o, result);
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
