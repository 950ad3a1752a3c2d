import type { Locale } from '@s3404/core';

/**
 * The pad's own words, French and English. The legal words the screen
 * must show — « journée comptable », « Mandat » — stay French in both, and
 * the context's display (role, timestamp…) is shown as the server wrote it.
 */
export const UI_STRINGS = {
  fr: {
    panel: 'Ce que vous signez',
    timestamp: 'Horodatage :',
    bordereau: 'Bordereau :',
    line: (n: number) => `Ligne ${n}`,
    contentHash: 'Empreinte SHA-256 du contenu :',
    count: (n: number) => `${n} bordereau(x)`,
    signer: (role: string) => `${role} :`,
    mandate: 'Mandat :',
    surfaceLabel: (state: string) => `Zone de signature : ${state}`,
    surfaceState: (strokes: number, points: number) => (strokes === 0 ? 'vide' : `${strokes} trait(s), ${points} point(s)`),
    hint: 'Signez dans le cadre',
    waiting: 'En attente du contexte de signature…',
    clear: 'Effacer',
    undo: 'Annuler le dernier trait',
    confirm: 'Valider',
    actions: 'Actions de signature',
  },
  en: {
    panel: 'What you are signing',
    timestamp: 'Timestamp:',
    bordereau: 'Bordereau:',
    line: (n: number) => `Line ${n}`,
    contentHash: 'Content SHA-256:',
    count: (n: number) => `${n} bordereau(s)`,
    signer: (role: string) => `${role}:`,
    mandate: 'Mandat:',
    surfaceLabel: (state: string) => `Signature area: ${state}`,
    surfaceState: (strokes: number, points: number) => (strokes === 0 ? 'empty' : `${strokes} stroke(s), ${points} point(s)`),
    hint: 'Sign inside the frame',
    waiting: 'Waiting for the signing context…',
    clear: 'Clear',
    undo: 'Undo',
    confirm: 'Confirm',
    actions: 'Signature actions',
  },
} as const satisfies Record<Locale, Record<string, unknown>>;
