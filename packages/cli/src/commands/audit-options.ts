import type { Locale } from '@s3404/core';

/** Options of `s3404 audit …` (AUD-2…AUD-4). */
export interface AuditOptions {
  readonly state?: string | undefined;
  readonly trust?: string | undefined;
  /** `--tsa-trust CA.pem`: trust anchors of the checkpoints' time-stamping authorities (default: `--trust`). */
  readonly tsaTrust?: string | undefined;
  /** `--tsa URL`: the RFC 3161 time-stamping authority of `audit checkpoint`. */
  readonly tsa?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly out?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly format?: string | undefined;
  readonly bom: boolean;
  readonly strict: boolean;
  readonly json: boolean;
  readonly locale: Locale;
}
