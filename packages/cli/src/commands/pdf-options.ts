import type { Locale } from '@s3404/core';

/** Options of `s3404 pdf seal|verify|revisions …` (SIG-3, SIG-5). */
export interface PdfOptions {
  readonly out?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  /** `--chain PEM`: intermediate certificates to embed, after those following the seal certificate in `--cert`. */
  readonly chain?: string | undefined;
  /** `--tsa URL`: the RFC 3161 time-stamping authority of level B-T. */
  readonly tsa?: string | undefined;
  /** `--tsa-fallback b-b`: seal at level B-B, and say so, when the time-stamping authority fails. */
  readonly tsaFallback?: string | undefined;
  readonly reason?: string | undefined;
  /** `--visible`: draw the seal block on the last page. */
  readonly visible?: boolean;
  readonly trust?: string | undefined;
  /** `--tsa-trust CA.pem`: trust anchors of the time-stamping authorities (default: `--trust`). */
  readonly tsaTrust?: string | undefined;
  /** `--extract N`: the revision to write to `-o`. */
  readonly extract?: string | undefined;
  readonly json: boolean;
  readonly locale: Locale;
}
