import { dayBordereauxOf, usage } from '../args.js';
import type { RecordOptions } from './record-options.js';

/**
 * The usage error of a bordereau or line record without `--content-hash`
 * (SIG-4): the record binds the exact content signed; where to find it.
 */
export function contentHashRequired(command: string): Error {
  return usage({
    fr: `${command} : --content-hash EMPREINTE est obligatoire pour un bordereau ou une ligne : l'empreinte SHA-256 du contenu du bordereau signé (64 chiffres hexadécimaux), imprimée en pied de chaque page du PDF et affichée par s3404 validate --json ou s3404 render --json`,
    en: `${command}: --content-hash HASH is required for a bordereau or a line: the SHA-256 of the signed bordereau's content (64 hex digits), printed in the footer of every page of the PDF and shown by s3404 validate --json or s3404 render --json`,
  });
}

/**
 * The bordereaux of an accounting day with their content hashes (SIG-10):
 * `--day-bordereau ID:HASH`, repeated; `--bordereau` alone cannot say which
 * content the day covers.
 */
export function dayBordereauxOption(o: RecordOptions, command: string): { bordereauId: string; contentHash: string }[] {
  if (o.dayBordereau.length === 0)
    throw usage({
      fr: `${command} --day : donnez chaque bordereau de la journée avec son empreinte, --day-bordereau ID:EMPREINTE (répété)`,
      en: `${command} --day: give every bordereau of the day with its content hash, --day-bordereau ID:HASH (repeated)`,
    });
  return dayBordereauxOf(o.dayBordereau);
}
