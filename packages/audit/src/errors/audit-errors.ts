import { defineErrors, type ResolvedParams } from '@s3404/core';

/** ` (séquence 12)` / ` (sequence 12)`, or the line when there is no sequence number. */
const at = (p: ResolvedParams, fr: boolean): string =>
  p.seq !== undefined ? (fr ? ` (séquence ${p.seq})` : ` (sequence ${p.seq})`) : p.line !== undefined ? (fr ? ` (ligne ${p.line})` : ` (line ${p.line})`) : '';
/** A detail ends the message's sentence: its own final period (another error's message) is dropped, not doubled. */
const sentence = (d: string | number): string => String(d).replace(/\.$/, '');
const detailFr = (p: ResolvedParams): string => (p.detail === undefined ? '' : ` : ${sentence(p.detail)}`);
const detailEn = (p: ResolvedParams): string => (p.detail === undefined ? '' : `: ${sentence(p.detail)}`);

/**
 * Every code `@s3404/audit` reports, with its kind and its French and
 * English text (AUD-1…AUD-4, X-2). Codes never change; wording may improve.
 *
 * - `input` — a draft, a setting or a period that cannot be used as given
 *   (`ERR_AUDIT_EVENT_INVALID`, `ERR_AUDIT_ID_REUSED`, `ERR_AUDIT_RETENTION_TOO_SHORT`,
 *   `ERR_AUDIT_PERIOD_INVALID`, `ERR_AUDIT_EXPORT_FORMAT`, `ERR_AUDIT_NO_SIGNER`).
 * - `verdict` — a trace or an export was read and found damaged (every code
 *   `verifyLog` and `verifyExport` report), or an operation is refused
 *   (`ERR_AUDIT_PURGE_TOO_RECENT`, `ERR_AUDIT_APPEND_ONLY`). A store that
 *   finds its own trace damaged while appending (a line it cannot read)
 *   reports `ERR_AUDIT_LINE_INVALID`, a verdict too: run `verifyLog` to
 *   name the damage; retrying will not help.
 * - `unavailable` — the store failed, is locked by another process, or the
 *   log is closed (shutting down): `ERR_AUDIT_STORE_UNAVAILABLE` (with the
 *   backend's error as `cause`), `ERR_AUDIT_LOCKED`, `ERR_AUDIT_CLOSED`;
 *   the time-stamping authority failed: `ERR_AUDIT_TIMESTAMP_UNAVAILABLE`
 *   (with its error as `cause`).
 *
 * `import { AUDIT_ERRORS } from '@s3404/audit/errors'`
 *
 * @example
 * ```ts
 * AUDIT_ERRORS.message('ERR_AUDIT_SEQ_GAP', { seq: 12, count: 3 }, 'en') // 'Events deleted from sequence 12 (3 missing).'
 * AUDIT_ERRORS.kind('ERR_AUDIT_LOCKED')                                   // 'unavailable'
 * ```
 * @public
 */
export const AUDIT_ERRORS = defineErrors({
  // ---- events (AUD-1) -------------------------------------------------------
  ERR_AUDIT_EVENT_INVALID: {
    kind: 'input',
    fr: (p) => `Événement de trace invalide${detailFr(p)}.`,
    en: (p) => `Invalid trace event${detailEn(p)}.`,
  },
  ERR_AUDIT_ID_REUSED: {
    kind: 'input',
    fr: (p) =>
      `Identifiant d'événement${p.id === undefined ? '' : ` ${p.id}`} déjà tracé pour un autre événement${at(p, true)} : rien n'a été écrit ; un identifiant ne sert qu'à retracer la même action.`,
    en: (p) =>
      `Event id${p.id === undefined ? '' : ` ${p.id}`} already traced for another event${at(p, false)}: nothing was written; an id only serves to trace the same action again.`,
  },
  // ---- reading a trace (AUD-2, X-2) ---------------------------------------
  ERR_AUDIT_LINE_TOO_LONG: {
    kind: 'verdict',
    fr: (p) => `Ligne de trace trop longue${at(p, true)} : plus de ${p.limit} octets.`,
    en: (p) => `Trace line too long${at(p, false)}: more than ${p.limit} bytes.`,
  },
  ERR_AUDIT_ENCODING: {
    kind: 'verdict',
    fr: (p) => `Encodage invalide${at(p, true)} : la trace doit être en UTF-8 sans BOM.`,
    en: (p) => `Invalid encoding${at(p, false)}: the trace must be UTF-8 without a BOM.`,
  },
  ERR_AUDIT_LINE_INVALID: {
    kind: 'verdict',
    fr: (p) => `Ligne de trace illisible ou non conforme au schéma${at(p, true)}${detailFr(p)}.`,
    en: (p) => `Unreadable trace line or not matching the schema${at(p, false)}${detailEn(p)}.`,
  },
  ERR_AUDIT_EMPTY: {
    kind: 'verdict',
    fr: 'La trace est vide.',
    en: 'The trace is empty.',
  },
  // ---- chain damage (AUD-2) -----------------------------------------------
  ERR_AUDIT_HASH_MISMATCH: {
    kind: 'verdict',
    fr: (p) => `Événement modifié${at(p, true)} : son empreinte ne correspond plus à son contenu.`,
    en: (p) => `Event modified${at(p, false)}: its hash no longer matches its content.`,
  },
  ERR_AUDIT_LINK_BROKEN: {
    kind: 'verdict',
    fr: (p) => `Chaînage rompu${at(p, true)} : l'événement ne correspond plus à l'empreinte que son successeur a enregistrée.`,
    en: (p) => `Broken link${at(p, false)}: the event no longer matches the hash its successor recorded.`,
  },
  ERR_AUDIT_SEQ_GAP: {
    kind: 'verdict',
    fr: (p) => `Événements supprimés à partir de la séquence ${p.seq}${p.count === undefined ? '' : ` (${p.count} manquant(s))`}.`,
    en: (p) => `Events deleted from sequence ${p.seq}${p.count === undefined ? '' : ` (${p.count} missing)`}.`,
  },
  ERR_AUDIT_SEQ_DUPLICATE: {
    kind: 'verdict',
    fr: (p) => `Événement inséré${at(p, true)} : numéro de séquence en double.`,
    en: (p) => `Event inserted${at(p, false)}: duplicated sequence number.`,
  },
  ERR_AUDIT_SEQ_ORDER: {
    kind: 'verdict',
    fr: (p) => `Événements réordonnés${at(p, true)} : la séquence apparaît plus loin dans le fichier.`,
    en: (p) => `Events reordered${at(p, false)}: the sequence appears later in the file.`,
  },
  ERR_AUDIT_HEAD_MISSING: {
    kind: 'verdict',
    fr: "Début de trace supprimé : la trace ne commence ni à la séquence 1 ni à un point de contrôle qui l'ancre.",
    en: 'Start of the trace deleted: the trace starts neither at sequence 1 nor at a checkpoint that anchors it.',
  },
  ERR_AUDIT_HEAD_TRUNCATED: {
    kind: 'verdict',
    fr: (p) =>
      `Début de trace coupé : la trace commence ${p.first === undefined ? 'après la séquence 1' : `à la séquence ${p.first}`} sans purge de conservation tracée et scellée qui nomme les événements retirés, tous plus anciens que la durée de conservation.`,
    en: (p) =>
      `Start of the trace cut off: the trace starts ${p.first === undefined ? 'after sequence 1' : `at sequence ${p.first}`} with no traced and sealed retention purge naming the events removed, all older than the retention.`,
  },
  ERR_AUDIT_TIME_BACKWARDS: {
    kind: 'verdict',
    fr: (p) =>
      `Heure antérieure à la trace${at(p, true)} : ${p.time ?? "l'heure de l'événement"} précède de plus de ${p.tolerance ?? 300} s l'heure la plus récente déjà tracée${p.latest === undefined ? '' : ` (${p.latest})`}.`,
    en: (p) =>
      `Time earlier than the trace${at(p, false)}: ${p.time ?? "the event's time"} is more than ${p.tolerance ?? 300} s before the latest time already traced${p.latest === undefined ? '' : ` (${p.latest})`}.`,
  },
  ERR_AUDIT_TRUNCATED: {
    kind: 'verdict',
    fr: (p) => `Trace tronquée : le dernier point de contrôle connu couvre la séquence ${p.expected}, la trace s'arrête à ${p.last}.`,
    en: (p) => `Trace truncated: the latest known checkpoint covers sequence ${p.expected}, the trace stops at ${p.last}.`,
  },
  ERR_AUDIT_TORN_TAIL: {
    kind: 'verdict',
    fr: (p) => `Dernière ligne incomplète (écriture interrompue) : ${p.bytes} octets à la position ${p.offset}, jamais acquittés.`,
    en: (p) => `Incomplete last line (interrupted write): ${p.bytes} bytes at offset ${p.offset}, never acknowledged.`,
  },
  ERR_AUDIT_CHECKPOINT_INVALID: {
    kind: 'verdict',
    fr: (p) => `Point de contrôle incohérent${at(p, true)}${detailFr(p)}.`,
    en: (p) => `Inconsistent checkpoint${at(p, false)}${detailEn(p)}.`,
  },
  ERR_AUDIT_CHECKPOINT_SIGNATURE: {
    kind: 'verdict',
    fr: (p) => `Signature du point de contrôle invalide${at(p, true)}${detailFr(p)}.`,
    en: (p) => `Invalid checkpoint signature${at(p, false)}${detailEn(p)}.`,
  },
  ERR_AUDIT_CHECKPOINT_TIMESTAMP: {
    kind: 'verdict',
    fr: (p) => `Jeton d'horodatage du point de contrôle invalide${at(p, true)}${detailFr(p)}.`,
    en: (p) => `Invalid checkpoint time-stamp token${at(p, false)}${detailEn(p)}.`,
  },
  ERR_AUDIT_WITNESS_INVALID: {
    kind: 'verdict',
    fr: (p) =>
      `Témoin de troncature illisible${detailFr(p)} : ce n'est pas la ligne d'un point de contrôle de la trace ; une troncature ne peut pas être exclue.`,
    en: (p) => `Unreadable truncation witness${detailEn(p)}: it is not the line of a checkpoint of the trace; a truncation cannot be ruled out.`,
  },
  ERR_AUDIT_PROOF_INVALID: {
    kind: 'verdict',
    fr: (p) => `Preuve ${p.proof} invalide (RFC 9162) : elle ne relie pas ces arbres ou cette feuille à la racine donnée.`,
    en: (p) => `Invalid ${p.proof} proof (RFC 9162): it does not link these trees or this leaf to the given root.`,
  },
  // ---- checkpoints, retention (AUD-2, AUD-3) ------------------------------
  ERR_AUDIT_NO_SIGNER: {
    kind: 'input',
    fr: "Aucun signataire de points de contrôle n'est configuré (option signer).",
    en: 'No checkpoint signer is configured (option signer).',
  },
  ERR_AUDIT_RETENTION_TOO_SHORT: {
    kind: 'input',
    fr: (p) => `Durée de conservation de ${p.months} mois refusée : 12 mois minimum (24 par défaut).`,
    en: (p) => `Retention of ${p.months} months refused: 12 months minimum (24 by default).`,
  },
  ERR_AUDIT_PURGE_TOO_RECENT: {
    kind: 'verdict',
    fr: (p) => `Purge refusée : les traces postérieures au ${p.cutoff} doivent être conservées (${p.months} mois).`,
    en: (p) => `Purge refused: traces after ${p.cutoff} must be kept (${p.months} months).`,
  },
  ERR_AUDIT_CHAIN_BROKEN: {
    kind: 'verdict',
    fr: (p) =>
      `Ajout refusé : la trace ne se poursuit pas depuis sa tête${at(p, true)}${p.expected === undefined ? '' : `, séquence ${p.expected} attendue`} ; elle est endommagée, faites-la vérifier.`,
    en: (p) =>
      `Append refused: the trace does not continue from its head${at(p, false)}${p.expected === undefined ? '' : `, sequence ${p.expected} expected`}; it is damaged, have it verified.`,
  },
  ERR_AUDIT_HEAD_MOVED: {
    kind: 'unavailable',
    fr: (p) =>
      `Ajout refusé : le fichier de traces a changé sous l'écrivain qui tenait le verrou${detailFr(p)} (un autre programme y écrit-il sans le verrou ?) ; rien n'a été écrit, réessayez.`,
    en: (p) =>
      `Append refused: the trace file changed under the writer holding the lock${detailEn(p)} (is another program writing to it without the lock?); nothing was written, retry.`,
  },
  ERR_AUDIT_APPEND_ONLY: {
    kind: 'verdict',
    fr: 'La trace est en ajout seul : modification et suppression refusées (hors purge de conservation).',
    en: 'The trace is append-only: updates and deletions are refused (except the retention purge).',
  },
  // ---- stores -------------------------------------------------------------
  ERR_AUDIT_STORE_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) => `Stockage des traces indisponible${detailFr(p)}.`,
    en: (p) => `Trace store unavailable${detailEn(p)}.`,
  },
  // The backend refuses the store for good (a right, a table, a read-only directory, issue 19): not "retry later".
  ERR_AUDIT_STORE_MISCONFIGURED: {
    kind: 'internal',
    fr: (p) =>
      `Stockage des traces refusé par son serveur ou son système de fichiers${detailFr(p)} ; droits, schéma ou configuration à corriger ; réessayer n'y changera rien.`,
    en: (p) => `Trace store refused by its server or file system${detailEn(p)}; rights, schema or configuration to fix; retrying will not help.`,
  },
  // The backend reports its own data damaged (a page PostgreSQL cannot read, issue 19): restore it, retrying never helps.
  ERR_AUDIT_STORE_CORRUPT: {
    kind: 'internal',
    fr: (p) => `Stockage des traces endommagé${detailFr(p)} : restaurez-le depuis une sauvegarde et vérifiez la chaîne ; réessayer n'y changera rien.`,
    en: (p) => `Trace store damaged${detailEn(p)}: restore it from a backup and verify the chain; retrying will not help.`,
  },
  ERR_AUDIT_TIMESTAMP_UNAVAILABLE: {
    kind: 'unavailable',
    fr: (p) => `Horodatage du point de contrôle impossible${detailFr(p)} : rien n'a été écrit (réessayez plus tard, ou onTimestampFailure: 'without').`,
    en: (p) => `Checkpoint time-stamp failed${detailEn(p)}: nothing was written (retry later, or onTimestampFailure: 'without').`,
  },
  ERR_AUDIT_LOCKED: {
    kind: 'unavailable',
    fr: (p) => `Trace verrouillée par un autre processus${detailFr(p)}.`,
    en: (p) => `Trace locked by another process${detailEn(p)}.`,
  },
  ERR_AUDIT_CLOSED: {
    kind: 'unavailable',
    fr: 'Le journal de traces est fermé.',
    en: 'The trace log is closed.',
  },
  // ---- exports (AUD-4) ----------------------------------------------------
  ERR_AUDIT_PERIOD_INVALID: {
    kind: 'input',
    fr: (p) => `Période invalide${detailFr(p)} : dates AAAA-MM-JJ ou ISO 8601, début avant fin.`,
    en: (p) => `Invalid period${detailEn(p)}: YYYY-MM-DD or ISO 8601 dates, start before end.`,
  },
  ERR_AUDIT_EXPORT_FORMAT: {
    kind: 'input',
    fr: (p) => `Format d'export inconnu : ${p.format} (jsonl, csv ou ocsf).`,
    en: (p) => `Unknown export format: ${p.format} (jsonl, csv or ocsf).`,
  },
  ERR_AUDIT_MANIFEST_INVALID: {
    kind: 'verdict',
    fr: (p) => `Manifeste d'export invalide${detailFr(p)}.`,
    en: (p) => `Invalid export manifest${detailEn(p)}.`,
  },
  ERR_AUDIT_EXPORT_MISMATCH: {
    kind: 'verdict',
    fr: (p) => `Le fichier exporté ne correspond pas à son manifeste${detailFr(p)}.`,
    en: (p) => `The exported file does not match its manifest${detailEn(p)}.`,
  },
});

/**
 * A code `@s3404/audit` reports (X-2).
 *
 * `import type { AuditErrorCode } from '@s3404/audit/errors'`
 *
 * @example
 * ```ts
 * const code: AuditErrorCode = 'ERR_AUDIT_SEQ_GAP'
 * ```
 *
 * @public
 */
export type AuditErrorCode = (typeof AUDIT_ERRORS.codes)[number];
