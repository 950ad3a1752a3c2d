import { createHttpTimeStamper, readPemCertificates } from '@s3404/seal';
import { createPdfSealer } from '@s3404/seal/pdf';
import { badValue, need, together } from '../args.js';
import { readInput, readText, securityClock, writeOutput, type Io } from '../io.js';
import { line, printJson } from '../output.js';
import type { PdfOptions } from './pdf-options.js';
import { sealKeyOf } from './signing-keys.js';

/** The longest `--reason` the seal writes as `/Reason`. */
const MAX_REASON = 500;

/** `--tsa URL`: an `http:` or `https:` URL, checked here so that a typo is a usage error, not a network one. */
export function tsaUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw badValue('--tsa', { fr: 'une URL http(s) (https://tsa.exemple.fr/tsp)', en: 'an http(s) URL (https://tsa.example.com/tsp)' }, value);
  return value;
}

/**
 * `s3404 pdf seal IN.pdf -o OUT.pdf --cert PEM --key PEM [--chain PEM]
 * [--tsa URL [--tsa-fallback b-b]] [--reason TEXT] [--visible]` (SIG-3): the
 * establishment's PAdES seal, B-B or B-T with an RFC 3161 time-stamp,
 * appended as an incremental update. OUT is written atomically once the
 * seal is complete; on any error nothing is written. A failing
 * time-stamping authority is its coded error (`ERR_TSA_UNAVAILABLE`, exit
 * 2; `ERR_TSA_REJECTED` or `ERR_TSA_RESPONSE_INVALID`, exit 1), unless
 * `--tsa-fallback b-b` asks for level B-B, which the output then says.
 */
export async function pdfSealCommand(io: Io, file: string, o: PdfOptions): Promise<number> {
  const { locale } = o;
  const out = need(o.out, '-o');
  if (o.tsaFallback !== undefined) {
    if (o.tsa === undefined) throw together('--tsa-fallback', '--tsa');
    if (o.tsaFallback !== 'b-b') throw badValue('--tsa-fallback', 'b-b', o.tsaFallback);
  }
  const url = o.tsa === undefined ? undefined : tsaUrl(o.tsa);
  if (o.reason !== undefined && o.reason.length > MAX_REASON)
    throw badValue('--reason', { fr: `un texte de ${MAX_REASON} caractères au plus`, en: `a text of at most ${MAX_REASON} characters` }, o.reason);
  const pdf = await readInput(io, file);
  const { key, certificate, chain } = await sealKeyOf(io, o);
  if (o.chain !== undefined) chain.push(...readPemCertificates(await readText(io, o.chain), { locale }));
  const at = securityClock(io);
  const sealer = await createPdfSealer({
    key,
    certificate,
    chain,
    ...(url === undefined ? {} : { timestamper: createHttpTimeStamper({ url, locale }) }),
    onTimestampFailure: o.tsaFallback === 'b-b' ? 'b-b' : 'fail',
    now: () => at,
    locale,
  });
  const { pdf: sealed, ...result } = await sealer.seal(pdf, {
    ...(o.reason === undefined ? {} : { reason: o.reason }),
    ...(o.visible === true ? { visible: true } : {}),
  });
  const path = await writeOutput(io, out, sealed);
  if (o.json) {
    printJson(io, { out: path, bytes: sealed.length, subject: sealer.subject, ...result });
    return 0;
  }
  io.stdout(line(locale, `PDF scellé → ${path}`, `Sealed PDF → ${path}`));
  io.stdout(
    line(
      locale,
      `  niveau PAdES ${result.level}, révision ${result.revision}, cachet ${sealer.subject}`,
      `  PAdES level ${result.level}, revision ${result.revision}, seal ${sealer.subject}`,
    ),
  );
  io.stdout(line(locale, `  heure de signature déclarée : ${result.signingTime}`, `  claimed signing time: ${result.signingTime}`));
  if (result.timestampTime !== undefined) io.stdout(line(locale, `  horodatage : ${result.timestampTime}`, `  time-stamp: ${result.timestampTime}`));
  else if (result.timestampError !== undefined) {
    const { code, message } = result.timestampError;
    io.stdout(
      line(
        locale,
        `  sans horodatage : repli au niveau B-B (--tsa-fallback b-b), l’autorité d’horodatage a échoué : [${code}] ${message}`,
        `  no time-stamp: fell back to level B-B (--tsa-fallback b-b), the time-stamping authority failed: [${code}] ${message}`,
      ),
    );
  } else io.stdout(line(locale, '  sans horodatage (niveau B-B : pas de --tsa)', '  no time-stamp (level B-B: no --tsa)'));
  return 0;
}
