import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locale } from '@s3404/core';
import { createDevelopmentPki, type PkiAlgorithm } from '@s3404/seal/pki';
import { badValue, usage } from '../args.js';
import { CliError } from '../errors.js';
import { securityClock, writeOutputs, type Io } from '../io.js';
import { line, printJson } from '../output.js';

const ALGORITHMS: readonly PkiAlgorithm[] = ['ecdsa-p256', 'ecdsa-p384', 'rsa-2048', 'rsa-pss-2048', 'rsa-3072'];

/** `s3404 pki init DIR [--algorithm A] [--force]`: a development CA, seal and TSA certificates (SIG-3). */
export async function pkiCommand(
  io: Io,
  args: readonly string[],
  opts: { algorithm: string | undefined; force: boolean; json: boolean; locale: Locale },
): Promise<number> {
  if (args[0] !== 'init' || args.length !== 2) throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: 's3404 pki init DIR' } });
  const algorithm = (opts.algorithm ?? 'ecdsa-p256') as PkiAlgorithm;
  if (!ALGORITHMS.includes(algorithm)) throw badValue('--algorithm', ALGORITHMS.join(' | '), opts.algorithm);
  const dir = resolve(io.cwd, args[1]!);
  const at = securityClock(io);
  const pki = await createDevelopmentPki({ algorithm, now: () => at });
  const names = Object.keys(pki.files) as (keyof typeof pki.files)[];
  if (!opts.force) {
    const existing = names.filter((n) => existsSync(join(dir, n)));
    if (existing.length > 0) {
      const list = existing.join(', ');
      throw usage({ fr: `${list} existe(nt) déjà dans ${dir} : --force pour remplacer`, en: `${list} already exist(s) in ${dir}: --force to replace` });
    }
  }
  // Every file or none: never a CA without its seal certificate, which a rerun would then refuse to replace.
  await writeOutputs(
    io,
    names.map((name) => ({ path: join(dir, name), bytes: pki.files[name], mode: name.endsWith('key.pem') ? 0o600 : 0o644 })),
  );
  const { locale } = opts;
  if (opts.json) printJson(io, { dir, algorithm, files: names });
  else {
    io.stdout(line(locale, `PKI de développement créée dans ${dir} (${algorithm}) :`, `Development PKI written to ${dir} (${algorithm}):`));
    for (const n of names) io.stdout(`  ${n}\n`);
    io.stdout(
      line(
        locale,
        'Ne pas utiliser en production : le cachet de l’établissement vient de son autorité de certification.',
        'Not for production: the establishment’s seal comes from its certification authority.',
      ),
    );
  }
  return 0;
}
