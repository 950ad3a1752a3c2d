/**
 * Test plumbing for the PKCS#11 seal key tests (never published): a
 * throw-away SoftHSM2 token in a temporary folder, provisioned with
 * Debian's `softhsm2-util` and OpenSC's `pkcs11-tool`, as an operator would
 * provision an HSM. Keys are generated inside the token; certificates are
 * written to it as objects.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CANDIDATES = [
  process.env['S3404_SOFTHSM_LIBRARY'],
  '/usr/lib/softhsm/libsofthsm2.so',
  '/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so',
  '/usr/local/lib/softhsm/libsofthsm2.so',
];

/** The SoftHSM2 PKCS#11 module (S3404_SOFTHSM_LIBRARY, else Debian's paths), or undefined. */
export const SOFTHSM_LIBRARY: string | undefined = CANDIDATES.find((p): p is string => p !== undefined && existsSync(p));

/** What pkcs11-tool generates: an EC curve or an RSA size, as its `--key-type` says. */
export type SoftHsmKeyType = 'EC:prime256v1' | 'EC:secp384r1' | 'EC:secp256k1' | 'rsa:2048' | 'rsa:1024';

export interface SoftHsmKeyOptions {
  readonly label: string;
  /** CKA_ID, hex. */
  readonly id: string;
  readonly type?: SoftHsmKeyType;
  /** `--extractable`: CKA_EXTRACTABLE true (and pkcs11-tool then leaves CKA_SENSITIVE as the token's default). */
  readonly extractable?: boolean;
  /** `--allowed-mechanisms`, e.g. `['ECDSA-SHA1']`. */
  readonly allowedMechanisms?: readonly string[];
}

export interface SoftHsmToken {
  readonly dir: string;
  /** The SOFTHSM2_CONF file of this token (already set in process.env). */
  readonly conf: string;
  readonly library: string;
  readonly label: string;
  readonly pin: string;
  /** Generates a key pair inside the token. */
  generateKey(options: SoftHsmKeyOptions): void;
  /** Writes a DER certificate to the token as a CKO_CERTIFICATE object. */
  writeCertificate(der: Uint8Array, options: { readonly label: string; readonly id: string }): void;
  /** Runs pkcs11-tool on this token (logged in); returns its output. */
  tool(args: readonly string[]): string;
  /** Removes the token folder. */
  remove(): void;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`${cmd} ${args.filter((a) => !/^\d{4,}$/.test(a)).join(' ')} failed (${r.status}): ${r.stderr ?? r.error?.message}`);
  }
  return `${r.stdout}${r.stderr}`;
}

/**
 * Creates a SoftHSM2 token in a new temporary folder and points
 * `process.env.SOFTHSM2_CONF` at it (SoftHSM reads it when the library is
 * initialised: create the token before the first `openPkcs11Token` of the
 * process).
 */
export function createSoftHsmToken(options: { readonly label?: string; readonly pin?: string; readonly soPin?: string } = {}): SoftHsmToken {
  const library = SOFTHSM_LIBRARY;
  if (library === undefined) throw new Error('SoftHSM2 is not installed (apt-get install -y softhsm2 opensc), or set S3404_SOFTHSM_LIBRARY');
  const dir = mkdtempSync(join(tmpdir(), 's3404-softhsm-'));
  const tokens = join(dir, 'tokens');
  mkdirSync(tokens);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env['SOFTHSM2_CONF'] = conf;
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  const label = options.label ?? 's3404-test';
  const pin = options.pin ?? '123456';
  run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', options.soPin ?? '87654321'], env);
  const tool = (args: readonly string[]): string => run('pkcs11-tool', ['--module', library, '--token-label', label, '--login', '--pin', pin, ...args], env);
  return {
    dir,
    conf,
    library,
    label,
    pin,
    tool,
    generateKey(k) {
      tool([
        '--keypairgen',
        '--key-type',
        k.type ?? 'EC:prime256v1',
        '--label',
        k.label,
        '--id',
        k.id,
        '--usage-sign',
        ...(k.extractable === true ? ['--extractable'] : []),
        ...(k.allowedMechanisms === undefined ? [] : ['--allowed-mechanisms', k.allowedMechanisms.join(',')]),
      ]);
    },
    writeCertificate(der, c) {
      const file = join(dir, `cert-${c.id}.der`);
      writeFileSync(file, der);
      tool(['--write-object', file, '--type', 'cert', '--label', c.label, '--id', c.id]);
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Issues a seal certificate for a key that never leaves the token, as an
 * operator would with OpenSSL: a throw-away CSR carries the subject,
 * `x509 -req -force_pubkey` puts the token's public key in it, signed by
 * the CA given (PEM files' text). Returns the DER, written beside the token.
 */
export function issueTokenCertificate(
  hsm: SoftHsmToken,
  options: {
    readonly publicKeyInfo: Uint8Array;
    readonly caPem: string | Uint8Array;
    readonly caKeyPem: string | Uint8Array;
    readonly subject: string;
    readonly serial: string;
    readonly days?: number;
  },
): Uint8Array {
  const f = (name: string): string => join(hsm.dir, `${options.serial}-${name}`);
  const b64 = Buffer.from(options.publicKeyInfo).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n');
  writeFileSync(f('token-pub.pem'), `-----BEGIN PUBLIC KEY-----\n${b64}-----END PUBLIC KEY-----\n`);
  writeFileSync(f('ca.pem'), options.caPem);
  writeFileSync(f('ca-key.pem'), options.caKeyPem);
  writeFileSync(f('ext.cnf'), 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
  const env = process.env;
  run('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', f('csr-key.pem')], env);
  run('openssl', ['req', '-new', '-key', f('csr-key.pem'), '-subj', options.subject, '-out', f('req.csr')], env);
  run(
    'openssl',
    ['x509', '-req', '-in', f('req.csr'), '-force_pubkey', f('token-pub.pem'), '-CA', f('ca.pem'), '-CAkey', f('ca-key.pem')].concat([
      '-set_serial',
      options.serial,
      '-days',
      String(options.days ?? 30),
      '-extfile',
      f('ext.cnf'),
      '-outform',
      'DER',
      '-out',
      f('cert.der'),
    ]),
    env,
  );
  return new Uint8Array(readFileSync(f('cert.der')));
}
