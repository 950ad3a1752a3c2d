import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHash, parseBordereau } from '@s3404/form';

/**
 * The content hash of `examples/data/mco-chirurgie-pth.json` (bordereau
 * `6R0ZQ-50K7C-AC6T4-JF0WA-04614-H`): what its PDF prints and what
 * `s3404 validate --json` gives, the content its records are sealed for (SIG-4).
 */
export const EXAMPLE_HASH = contentHash(
  parseBordereau(JSON.parse(readFileSync(new URL('../../../examples/data/mco-chirurgie-pth.json', import.meta.url), 'utf8'))),
);
/** Another content of the same bordereau (SIG-4): a record sealed for it is refused on the example's PDF. */
export const OTHER_HASH = 'ab'.repeat(32);

/**
 * The command line of `s3404 record seal` for an insured person's record of
 * `bordereau`, with `sig.png` of the current folder and the development PKI
 * of `pki`, written to `out`, bound to the example's content {@link EXAMPLE_HASH}
 * (SIG-2, SIG-3, SIG-4): what the CLI tests seal.
 */
export function insuredSealArgs(pki: string, bordereau: string, out: string): string[] {
  return [
    'record',
    'seal',
    '--bordereau',
    bordereau,
    '--content-hash',
    EXAMPLE_HASH,
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
