/**
 * What the signing screen shows legibly while the person signs (SIG-1,
 * SIG-4), as the server computed it: the timestamp, the bordereau identifier
 * and content hash (or the accounting day), the signer's role and name,
 * « Mandat » when it applies, and the same information ready to print, one
 * item per line (`lines`). The tablet shows it and echoes it unchanged in
 * its capture; the server refuses a capture whose display differs from the
 * one it issued (`ERR_CONTEXT_MISMATCH`, field `display`).
 *
 * `CaptureDisplay` of `@s3404/seal` is this type.
 *
 * `import type { WireDisplay } from '@s3404/core/wire'`
 *
 * @example
 * ```json
 * { "timestamp": "20/03/2026 11:00:00", "bordereauId": "6R0ZQ-50K7C-AC6T4-JF0WA-04614-H",
 *   "contentHash": "3f1c…", "role": "Assuré(e)", "signerName": "Jeanne Martin",
 *   "lines": ["Signature du 20/03/2026 11:00:00", "Bordereau 6R0ZQ-50K7C-AC6T4-JF0WA-04614-H", "…"] }
 * ```
 * @public
 */
export interface WireDisplay {
  /** `jj/mm/aaaa hh:mm:ss`, French legal time. */
  readonly timestamp: string;
  readonly bordereauId?: string;
  /** The content hash (64 lowercase hex digits) printed on every page of the bordereau's PDF. */
  readonly contentHash?: string;
  /** The practitioner line number, 1-based. */
  readonly line?: number;
  /** `jj/mm/aaaa journée comptable` for an accounting day. */
  readonly accountingDay?: string;
  readonly role: string;
  readonly signerName: string;
  /** « Mandat » when signing under a mandate. */
  readonly mandate?: string;
  readonly lines: readonly string[];
}

/**
 * What a signature covers (SIG-2, SIG-4, SIG-10), as plain data: a whole
 * bordereau or one practitioner line, each with the bordereau's content hash,
 * or an accounting day. The same shape as `Scope` of `@s3404/seal`.
 *
 * `import type { WireScope } from '@s3404/core/wire'`
 *
 * @example
 * ```json
 * { "kind": "bordereau", "bordereauId": "6R0ZQ-50K7C-AC6T4-JF0WA-04614-H", "contentHash": "3f1c…" }
 * ```
 * @public
 */
export type WireScope =
  | { readonly kind: 'bordereau'; readonly bordereauId: string; readonly contentHash: string }
  | { readonly kind: 'line'; readonly bordereauId: string; readonly contentHash: string; readonly line: number; readonly practitionerRpps: string }
  | {
      readonly kind: 'accounting-day';
      readonly finess: string;
      /** `AAAA-MM-JJ`. */
      readonly day: string;
      readonly bordereaux: { readonly count: number; readonly digest: string };
    };

/**
 * The capture context as it travels (SIG-1): the token that ties the capture
 * to what was shown (a single-use nonce, its issue and expiry instants), what
 * is signed, by whom, on which terminal, and what the screen shows. The
 * server keeps the context it issued, keyed by the nonce; the tablet echoes
 * this object unchanged in its `CaptureMessage`.
 *
 * `import type { WireContext } from '@s3404/core/wire'`
 *
 * @example
 * ```ts
 * const ctx: WireContext = contextMessage.context
 * ctx.display.lines.forEach(print)
 * ```
 * @public
 */
export interface WireContext {
  /** Nonce (base64url, 22…64 characters) and ISO 8601 UTC instants with milliseconds. */
  readonly token: { readonly nonce: string; readonly issuedAt: string; readonly expiresAt: string };
  readonly scope: WireScope;
  readonly role: 'insured' | 'director' | 'practitioner' | 'delegate';
  /** `rpps` for a practitioner (11 digits). */
  readonly signer: { readonly id: string; readonly name: string; readonly rpps?: string | undefined };
  readonly terminal: { readonly id: string };
  readonly mandate?: { readonly reference: string };
  readonly display: WireDisplay;
}
