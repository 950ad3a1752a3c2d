import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDevelopmentPki, type PkiAlgorithm } from '@s3404/seal/pki';
import type { Locale } from '@s3404/form/errors';
import { UsageError, clockFrom, writeAtomic, type Io } from '../io.js';
import { printJson } from '../output.js';

const ALGORITHMS: readonly PkiAlgorithm[] = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-pss-2048', 'rsa-3072'];

/** `s3404 pki init DIR [--algorithm A] [--force]`: a development CA, seal and TSA certificates (SIG-3). */
export async function pkiCommand(io: Io, args: readonly string[], opts: { algorithm: string | undefined; force: boolean; json: boolean; locale: Locale }): Promise<number> {
  if (args[0] !== 'init' || args.length !== 2) throw new UsageError('usage : s3404 pki init DIR');
  const algorithm = (opts.algorithm ?? 'ecdsa-p256') as PkiAlgorithm;
  if (!ALGORITHMS.includes(algorithm)) throw new UsageError(`--algorithm attend ${ALGORITHMS.join(', ')} (reçu ${opts.algorithm})`);
  const dir = resolve(io.cwd, args[1]!);
  const pki = await createDevelopmentPki({ algorithm, now: () => clockFrom(io) });
  const names = Object.keys(pki.files) as (keyof typeof pki.files)[];
  if (!opts.force) {
    const existing = names.filter((n) => existsSync(join(dir, n)));
    if (existing.length > 0) throw new UsageError(`${existing.join(', ')} existe(nt) déjà dans ${dir} : --force pour remplacer`);
  }
  for (const name of names) writeAtomic(io, join(dir, name), pki.files[name], name.endsWith('key.pem') ? 0o600 : 0o644);
  const fr = opts.locale === 'fr';
  if (opts.json) printJson(io, { dir, algorithm, files: names });
  else {
    io.stdout(`${fr ? 'PKI de développement créée dans' : 'Development PKI written to'} ${dir} (${algorithm}) :\n`);
    for (const n of names) io.stdout(`  ${n}\n`);
    io.stdout(fr ? 'Ne pas utiliser en production : le cachet de l’établissement vient de son autorité de certification.\n' : 'Not for production: the establishment’s seal comes from its certification authority.\n');
  }
  return 0;
}
