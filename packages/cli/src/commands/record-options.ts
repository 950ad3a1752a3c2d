import type { Locale } from '@s3404/core';

/** Options of `s3404 record …` (SIG-1…SIG-10). */
export interface RecordOptions {
  readonly bordereau: readonly string[];
  /** `--content-hash HEX`: the content hash a bordereau or line record is bound to (SIG-4). */
  readonly contentHash?: string | undefined;
  /** `--day-bordereau ID:HASH`, repeated: the bordereaux of an accounting day with their content hashes (SIG-10). */
  readonly dayBordereau: readonly string[];
  readonly role?: string | undefined;
  readonly signer?: string | undefined;
  readonly image?: string | undefined;
  readonly line?: string | undefined;
  readonly day?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
  readonly out?: string | undefined;
  readonly trust?: string | undefined;
  readonly rpps?: string | undefined;
  readonly practitionerRpps?: string | undefined;
  readonly mandate?: string | undefined;
  readonly proofAgreement?: string | undefined;
  readonly finess?: string | undefined;
  readonly terminal?: string | undefined;
  readonly state?: string | undefined;
  readonly store?: string | undefined;
  readonly pdf?: string | undefined;
  readonly requestId?: string | undefined;
  /** `record consume --handle H`: a pending record's handle (`-`: read from standard input). */
  readonly handle?: string | undefined;
  /** Keep the record file after a deposit or a use (testers); by default it is removed (SIG-6). */
  readonly keepInput: boolean;
  readonly json: boolean;
  readonly locale: Locale;
}
