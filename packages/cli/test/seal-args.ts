import { join } from 'node:path';

/**
 * The command line of `s3404 record seal` for an insured person's record of
 * `bordereau`, with `sig.png` of the current folder and the development PKI
 * of `pki`, written to `out` (SIG-2, SIG-3): what the CLI tests seal.
 */
export function insuredSealArgs(pki: string, bordereau: string, out: string): string[] {
  return [
    'record',
    'seal',
    '--bordereau',
    bordereau,
    '--role',
    'assure',
    '--signer',
    'Jeanne Martin',
    '--image',
    'sig.png',
    '--cert',
    join(pki, 'seal-cert.pem'),
    '--key',
    join(pki, 'seal-key.pem'),
    '-o',
    out,
  ];
}
