import { defineErrors, type ResolvedParams } from '@s3404/core';

/** ` (détail)` — the same in both languages; a `detail` that is language is a `LocalizedText`. */
const detail = (p: ResolvedParams): string => (p.detail === undefined ? '' : ` (${p.detail})`);

/**
 * Every code `@s3404/capture` reports, with its kind and its French and
 * English message (SIG-1, SIG-2, X-2). Codes never change; wording may
 * improve. The signing pad shows the message of the error on screen (in the
 * pad's language) and sends it in its `s3404-error` event.
 *
 * - `input` — what the pad was given cannot be used: no context yet
 *   (`ERR_CAPTURE_NO_CONTEXT`), a context message that is not one
 *   (`ERR_CAPTURE_CONTEXT_INVALID`), strokes or an image that are not what
 *   the pad produces (`ERR_CAPTURE_STROKES_INVALID`, `ERR_CAPTURE_IMAGE_INVALID`).
 * - `verdict` — the capture was judged and refused: nothing signed
 *   (`ERR_CAPTURE_EMPTY`), beyond the server's limits (`ERR_CAPTURE_TOO_MANY_POINTS`,
 *   `ERR_CAPTURE_TOO_MANY_STROKES`, `ERR_CAPTURE_TOO_LONG`, `ERR_CAPTURE_IMAGE_TOO_LARGE`),
 *   a context that expired (`ERR_CAPTURE_CONTEXT_EXPIRED`) or a tablet clock
 *   behind the server's (`ERR_CAPTURE_CLOCK_BEHIND`), and a context that is
 *   not legible on screen (`ERR_CAPTURE_DISPLAY_HIDDEN`: SIG-1 requires the
 *   timestamp and the bordereau identifier to be shown while the person signs).
 * - `unavailable` — the browser could not draw the PNG (`ERR_CAPTURE_RENDER_FAILED`): retry.
 *
 * `import { CAPTURE_ERRORS } from '@s3404/capture/errors'`
 *
 * @example
 * ```ts
 * CAPTURE_ERRORS.message('ERR_CAPTURE_EMPTY', {}, 'en') // 'Nothing signed: sign inside the frame before confirming.'
 * CAPTURE_ERRORS.kind('ERR_CAPTURE_DISPLAY_HIDDEN')     // 'verdict'
 * ```
 * @public
 */
export const CAPTURE_ERRORS = defineErrors({
  ERR_CAPTURE_NO_CONTEXT: {
    kind: 'input',
    fr: 'Aucun contexte de signature : le serveur doit fournir le contexte (pad.context) avant que la personne signe.',
    en: 'No signing context: the server must provide the context (pad.context) before the person signs.',
  },
  ERR_CAPTURE_CONTEXT_INVALID: {
    kind: 'input',
    fr: (p) => `Contexte de signature illisible${detail(p)} : un message « s3404.capture-context » de version 1 est attendu.`,
    en: (p) => `Unreadable signing context${detail(p)}: an "s3404.capture-context" message of version 1 is expected.`,
  },
  ERR_CAPTURE_CONTEXT_EXPIRED: {
    kind: 'verdict',
    fr: (p) => `Le contexte de signature a expiré (${p.expiresAt}) : demandez un nouveau contexte et signez de nouveau.`,
    en: (p) => `The signing context expired (${p.expiresAt}): ask for a new context and sign again.`,
  },
  ERR_CAPTURE_CLOCK_BEHIND: {
    kind: 'verdict',
    fr: (p) => `L'horloge de la tablette (${p.now}) est en retard sur celle du serveur (contexte émis ${p.issuedAt}) : mettez la tablette à l'heure.`,
    en: (p) => `The tablet's clock (${p.now}) is behind the server's (context issued ${p.issuedAt}): set the tablet's time.`,
  },
  ERR_CAPTURE_DISPLAY_HIDDEN: {
    kind: 'verdict',
    fr: (p) => `Le contexte de la signature (horodatage, bordereau) n'est pas lisible à l'écran${detail(p)} : la signature est refusée.`,
    en: (p) => `The signing context (timestamp, bordereau) is not legible on screen${detail(p)}: the signature is refused.`,
  },
  ERR_CAPTURE_EMPTY: {
    kind: 'verdict',
    fr: 'Aucune signature : signez dans le cadre avant de valider.',
    en: 'Nothing signed: sign inside the frame before confirming.',
  },
  ERR_CAPTURE_TOO_MANY_POINTS: {
    kind: 'verdict',
    fr: (p) => `Signature trop détaillée : ${p.received} points, au plus ${p.limit}. Effacez et signez de nouveau.`,
    en: (p) => `Signature too detailed: ${p.received} points, at most ${p.limit}. Clear and sign again.`,
  },
  ERR_CAPTURE_TOO_MANY_STROKES: {
    kind: 'verdict',
    fr: (p) => `Signature trop morcelée : ${p.received} traits, au plus ${p.limit}. Effacez et signez de nouveau.`,
    en: (p) => `Signature in too many strokes: ${p.received}, at most ${p.limit}. Clear and sign again.`,
  },
  ERR_CAPTURE_TOO_LONG: {
    kind: 'verdict',
    fr: (p) => `Signature trop longue : ${p.received} s du premier au dernier point, au plus ${p.limit} s. Effacez et signez de nouveau.`,
    en: (p) => `Signature too long: ${p.received} s from first to last point, at most ${p.limit} s. Clear and sign again.`,
  },
  ERR_CAPTURE_IMAGE_TOO_LARGE: {
    kind: 'verdict',
    fr: (p) => `Image de la signature trop lourde : ${p.received} octets, au plus ${p.limit}. Effacez et signez de nouveau.`,
    en: (p) => `Signature image too large: ${p.received} bytes, at most ${p.limit}. Clear and sign again.`,
  },
  ERR_CAPTURE_IMAGE_INVALID: {
    kind: 'input',
    fr: (p) => `Image de la signature invalide${detail(p)} : un PNG de ${p.expected} pixels est attendu.`,
    en: (p) => `Invalid signature image${detail(p)}: a PNG of ${p.expected} pixels is expected.`,
  },
  ERR_CAPTURE_STROKES_INVALID: {
    kind: 'input',
    fr: (p) => `Tracés illisibles${detail(p)} : des points { x, y, t, pressure, tiltX, tiltY, twist } finis, t jamais décroissant, sont attendus.`,
    en: (p) => `Unreadable strokes${detail(p)}: finite points { x, y, t, pressure, tiltX, tiltY, twist }, t never decreasing, are expected.`,
  },
  ERR_CAPTURE_RENDER_FAILED: {
    kind: 'unavailable',
    fr: (p) => `Le navigateur n'a pas pu produire l'image de la signature${detail(p)} : réessayez.`,
    en: (p) => `The browser could not produce the signature image${detail(p)}: try again.`,
  },
});

/**
 * A code of {@link CAPTURE_ERRORS}.
 *
 * `import type { CaptureErrorCode } from '@s3404/capture/errors'`
 *
 * @example
 * ```ts
 * const code: CaptureErrorCode = 'ERR_CAPTURE_DISPLAY_HIDDEN'
 * ```
 * @public
 */
export type CaptureErrorCode = (typeof CAPTURE_ERRORS.codes)[number];
