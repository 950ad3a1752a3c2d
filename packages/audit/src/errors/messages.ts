import type { Locale } from '@s3404/form/errors';

/** Parameters an audit message may use (X-2). @public */
export type AuditMessageParams = Readonly<Record<string, string | number | undefined>>;

type Entry = { readonly fr: (p: AuditMessageParams) => string; readonly en: (p: AuditMessageParams) => string };

const fixed = (fr: string, en: string): Entry => ({ fr: () => fr, en: () => en });
const at = (p: AuditMessageParams, fr: boolean): string =>
  p.seq !== undefined ? (fr ? ` (séquence ${p.seq})` : ` (sequence ${p.seq})`) : p.line !== undefined ? (fr ? ` (ligne ${p.line})` : ` (line ${p.line})`) : '';
const detail = (p: AuditMessageParams): string => (p.detail === undefined ? '' : ` : ${p.detail}`);
const detailEn = (p: AuditMessageParams): string => (p.detail === undefined ? '' : `: ${p.detail}`);

/**
 * Every code `@s3404/audit` can report, with its French and English text
 * (AUD-1…AUD-4, X-2). Verification codes name the damage they detect.
 *
 * @public
 */
export const AUDIT_MESSAGES = {
  // --- events (AUD-1)
  ERR_AUDIT_EVENT_INVALID: {
    fr: (p) => `Événement de trace invalide${detail(p)}.`,
    en: (p) => `Invalid trace event${detailEn(p)}.`,
  },
  // --- reading a log (X-2)
  ERR_AUDIT_LINE_TOO_LONG: {
    fr: (p) => `Ligne de trace trop longue${at(p, true)} : plus de ${p.limit} octets.`,
    en: (p) => `Trace line too long${at(p, false)}: more than ${p.limit} bytes.`,
  },
  ERR_AUDIT_ENCODING: {
    fr: (p) => `Encodage invalide${at(p, true)} : la trace doit être en UTF-8 sans BOM.`,
    en: (p) => `Invalid encoding${at(p, false)}: the trace must be UTF-8 without a BOM.`,
  },
  ERR_AUDIT_LINE_INVALID: {
    fr: (p) => `Ligne de trace illisible ou non conforme au schéma${at(p, true)}${detail(p)}.`,
    en: (p) => `Unreadable trace line or not matching the schema${at(p, false)}${detailEn(p)}.`,
  },
  ERR_AUDIT_EMPTY: fixed('La trace est vide.', 'The trace is empty.'),
  // --- chain damage (AUD-2)
  ERR_AUDIT_HASH_MISMATCH: {
    fr: (p) => `Événement modifié${at(p, true)} : son empreinte ne correspond plus à son contenu.`,
    en: (p) => `Event modified${at(p, false)}: its hash no longer matches its content.`,
  },
  ERR_AUDIT_LINK_BROKEN: {
    fr: (p) => `Chaînage rompu${at(p, true)} : l'événement ne correspond plus à l'empreinte que son successeur a enregistrée.`,
    en: (p) => `Broken link${at(p, false)}: the event no longer matches the hash its successor recorded.`,
  },
  ERR_AUDIT_SEQ_GAP: {
    fr: (p) => `Événements supprimés à partir de la séquence ${p.seq}${p.count === undefined ? '' : ` (${p.count} manquant(s))`}.`,
    en: (p) => `Events deleted from sequence ${p.seq}${p.count === undefined ? '' : ` (${p.count} missing)`}.`,
  },
  ERR_AUDIT_SEQ_DUPLICATE: {
    fr: (p) => `Événement inséré${at(p, true)} : numéro de séquence en double.`,
    en: (p) => `Event inserted${at(p, false)}: duplicated sequence number.`,
  },
  ERR_AUDIT_SEQ_ORDER: {
    fr: (p) => `Événements réordonnés${at(p, true)} : la séquence apparaît plus loin dans le fichier.`,
    en: (p) => `Events reordered${at(p, false)}: the sequence appears later in the file.`,
  },
  ERR_AUDIT_HEAD_MISSING: fixed(
    "Début de trace supprimé : la trace ne commence ni à la séquence 1 ni à un point de contrôle qui l'ancre.",
    'Start of the trace deleted: the trace starts neither at sequence 1 nor at a checkpoint that anchors it.',
  ),
  ERR_AUDIT_TRUNCATED: {
    fr: (p) => `Trace tronquée : le dernier point de contrôle connu couvre la séquence ${p.expected}, la trace s'arrête à ${p.last}.`,
    en: (p) => `Trace truncated: the latest known checkpoint covers sequence ${p.expected}, the trace stops at ${p.last}.`,
  },
  ERR_AUDIT_TORN_TAIL: {
    fr: (p) => `Dernière ligne incomplète (écriture interrompue) : ${p.bytes} octets à la position ${p.offset}, jamais acquittés.`,
    en: (p) => `Incomplete last line (interrupted write): ${p.bytes} bytes at offset ${p.offset}, never acknowledged.`,
  },
  ERR_AUDIT_CHECKPOINT_INVALID: {
    fr: (p) => `Point de contrôle incohérent${at(p, true)}${detail(p)}.`,
    en: (p) => `Inconsistent checkpoint${at(p, false)}${detailEn(p)}.`,
  },
  ERR_AUDIT_CHECKPOINT_SIGNATURE: {
    fr: (p) => `Signature du point de contrôle invalide${at(p, true)}${detail(p)}.`,
    en: (p) => `Invalid checkpoint signature${at(p, false)}${detailEn(p)}.`,
  },
  // --- checkpoints, retention (AUD-2, AUD-3)
  ERR_AUDIT_NO_SIGNER: fixed(
    "Aucun signataire de points de contrôle n'est configuré (option signer).",
    'No checkpoint signer is configured (option signer).',
  ),
  ERR_AUDIT_RETENTION_TOO_SHORT: {
    fr: (p) => `Durée de conservation de ${p.months} mois refusée : 12 mois minimum (24 par défaut).`,
    en: (p) => `Retention of ${p.months} months refused: 12 months minimum (24 by default).`,
  },
  ERR_AUDIT_PURGE_TOO_RECENT: {
    fr: (p) => `Purge refusée : les traces postérieures au ${p.cutoff} doivent être conservées (${p.months} mois).`,
    en: (p) => `Purge refused: traces after ${p.cutoff} must be kept (${p.months} months).`,
  },
  ERR_AUDIT_APPEND_ONLY: fixed(
    'La trace est en ajout seul : modification et suppression refusées (hors purge de conservation).',
    'The trace is append-only: updates and deletions are refused (except the retention purge).',
  ),
  // --- stores
  ERR_AUDIT_STORE_UNAVAILABLE: {
    fr: (p) => `Stockage des traces indisponible${detail(p)}.`,
    en: (p) => `Trace store unavailable${detailEn(p)}.`,
  },
  ERR_AUDIT_LOCKED: {
    fr: (p) => `Trace verrouillée par un autre processus${detail(p)}.`,
    en: (p) => `Trace locked by another process${detailEn(p)}.`,
  },
  ERR_AUDIT_CLOSED: fixed('Le journal de traces est fermé.', 'The trace log is closed.'),
  // --- exports (AUD-4)
  ERR_AUDIT_PERIOD_INVALID: {
    fr: (p) => `Période invalide${detail(p)} : dates AAAA-MM-JJ ou ISO 8601, début avant fin.`,
    en: (p) => `Invalid period${detailEn(p)}: YYYY-MM-DD or ISO 8601 dates, start before end.`,
  },
  ERR_AUDIT_EXPORT_FORMAT: {
    fr: (p) => `Format d'export inconnu : ${p.format} (jsonl, csv ou ocsf).`,
    en: (p) => `Unknown export format: ${p.format} (jsonl, csv or ocsf).`,
  },
  ERR_AUDIT_MANIFEST_INVALID: {
    fr: (p) => `Manifeste d'export invalide${detail(p)}.`,
    en: (p) => `Invalid export manifest${detailEn(p)}.`,
  },
  ERR_AUDIT_EXPORT_MISMATCH: {
    fr: (p) => `Le fichier exporté ne correspond pas à son manifeste${detail(p)}.`,
    en: (p) => `The exported file does not match its manifest${detailEn(p)}.`,
  },
} satisfies Record<string, Entry>;

/** A code `@s3404/audit` can report (X-2). @public */
export type AuditErrorCode = keyof typeof AUDIT_MESSAGES;

/**
 * The message of an audit code in French (default) or English (X-2).
 *
 * @example `auditMessage('ERR_AUDIT_SEQ_GAP', { seq: 12 }, 'en')`
 * @public
 */
export function auditMessage(code: AuditErrorCode, params: AuditMessageParams = {}, locale: Locale = 'fr'): string {
  const entry: Entry | undefined = (AUDIT_MESSAGES as Record<string, Entry>)[code];
  return entry === undefined ? code : entry[locale === 'en' ? 'en' : 'fr'](params);
}
