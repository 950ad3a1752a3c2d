/**
 * `pnpm bench` for `@s3404/seal/pkcs11` (SIG-3, issue 19): signatures per
 * second with an ECDSA P-256 and an RSA-2048 seal key inside a SoftHSM2
 * token (PKCS#11, non-extractable, generated in the token by pkcs11-tool)
 * against the same algorithms as Web Crypto keys, in the same run: the raw
 * `SigningKey.sign` (what an HSM round trip costs) and a whole detached CMS
 * from `createContentSigner` (what an audit checkpoint or a sealed record
 * costs), one at a time and 4 in flight.
 *
 * Run: pnpm --filter @s3404/seal exec tsx bench/pkcs11.bench.ts   (part of `pnpm --filter @s3404/seal bench`)
 * Needs Debian's softhsm2 and opensc; without them it says so and measures nothing.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { machine } from '@s3404/tooling/bench';
import { SOFTHSM_LIBRARY, createSoftHsmToken } from '@s3404/tooling/softhsm-kit';
import { createContentSigner, importPkcs8SigningKey, type SigningKey } from '../src/index.js';
import { createDevelopmentPki } from '../src/pki/index.js';
import { openPkcs11Token } from '../src/pkcs11/index.js';
import { issueSealCertificate } from '../test/support/pkcs11-fixtures.js';

const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const N = Number(process.env['S3404_BENCH_PKCS11_N'] ?? 2000);

interface Row {
  readonly name: string;
  readonly concurrency: number;
  readonly perSecond: number;
  readonly meanMs: number;
}

async function rate(name: string, fn: (i: number) => Promise<unknown>, n: number, concurrency: number): Promise<Row> {
  for (let i = 0; i < Math.min(100, n / 10); i++) await fn(i);
  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) await fn(next++);
    }),
  );
  const ms = performance.now() - t0;
  return { name, concurrency, perSecond: (n / ms) * 1000, meanMs: (ms / n) * concurrency };
}

const hasTool = (t: string): boolean => {
  try {
    execFileSync(t, ['--help'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
};

if (SOFTHSM_LIBRARY === undefined || !hasTool('softhsm2-util') || !hasTool('pkcs11-tool')) {
  console.log('pkcs11.bench: SoftHSM2 / pkcs11-tool missing (apt-get install -y softhsm2 opensc): nothing measured');
  process.exit(0);
}

const hsm = createSoftHsmToken({ label: 's3404-bench', pin: '112233' });
try {
  hsm.generateKey({ label: 'ec', id: '01' });
  hsm.generateKey({ label: 'rsa', id: '02', type: 'rsa:2048' });
  const [ecPki, rsaPki] = await Promise.all([createDevelopmentPki({ now: () => NOW }), createDevelopmentPki({ now: () => NOW, algorithm: 'rsa-2048' })]);
  const token = await openPkcs11Token({ library: hsm.library, token: { label: hsm.label }, pin: hsm.pin, maxSessions: 4 });
  const from = new Date(NOW.getTime() - 86_400_000);
  const to = new Date(NOW.getTime() + 86_400_000);
  const hsmEc = await token.signingKey({ label: 'ec' });
  const hsmRsa = await token.signingKey({ label: 'rsa' });
  const hsmEcCert = await issueSealCertificate(ecPki, (await hsmEc.publicKeyInfo())!, { cn: 'bench ec', from, to, serial: '01' });
  const hsmRsaCert = await issueSealCertificate(ecPki, (await hsmRsa.publicKeyInfo())!, { cn: 'bench rsa', rsa: true, from, to, serial: '02' });
  const webEc = await importPkcs8SigningKey(ecPki.seal.privateKey);
  const webRsa = await importPkcs8SigningKey(rsaPki.seal.privateKey);
  const content = new TextEncoder().encode(`s3404 checkpoint body ${'x'.repeat(200)}\n`);
  const rows: Row[] = [];
  const input = (key: SigningKey, i: number) => {
    const data = new TextEncoder().encode(`signed attributes ${i}`);
    return { data, digest: async () => new Uint8Array(await crypto.subtle.digest(key.algorithm.hash, data)) };
  };
  const cases: [string, SigningKey, SigningKey, Uint8Array, Uint8Array][] = [
    ['ECDSA P-256', hsmEc, webEc, hsmEcCert, ecPki.seal.certificate],
    ['RSA-2048', hsmRsa, webRsa, hsmRsaCert, rsaPki.seal.certificate],
  ];
  for (const [alg, hsmKey, webKey, hsmCert, webCert] of cases) {
    const n = alg === 'RSA-2048' ? Math.ceil(N / 4) : N;
    const hsmSigner = await createContentSigner({ key: hsmKey, certificate: hsmCert, now: () => NOW });
    const webSigner = await createContentSigner({ key: webKey, certificate: webCert, now: () => NOW });
    for (const c of [1, 4]) {
      rows.push(await rate(`${alg} sign — PKCS#11 (SoftHSM2)`, (i) => hsmKey.sign(input(hsmKey, i)), n, c));
      rows.push(await rate(`${alg} sign — Web Crypto`, (i) => webKey.sign(input(webKey, i)), n, c));
      rows.push(await rate(`${alg} CMS (createContentSigner) — PKCS#11`, () => hsmSigner.sign(content, { detached: true }), n, c));
      rows.push(await rate(`${alg} CMS (createContentSigner) — Web Crypto`, () => webSigner.sign(content, { detached: true }), n, c));
    }
  }
  await token.close();
  console.log('### PKCS#11 (SoftHSM2) vs Web Crypto: signatures per second\n');
  console.log('| operation | in flight | per second | mean latency (ms) | PKCS#11 ÷ Web Crypto |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) {
    const peer = r.name.includes('PKCS#11')
      ? rows.find((p) => p.concurrency === r.concurrency && p.name === r.name.replace(/PKCS#11( \(SoftHSM2\))?/, 'Web Crypto'))
      : undefined;
    console.log(
      `| ${r.name} | ${r.concurrency} | ${r.perSecond.toFixed(0)} | ${r.meanMs.toFixed(3)} | ${peer === undefined ? '—' : `${(r.perSecond / peer.perSecond).toFixed(2)}×`} |`,
    );
  }
  console.log(
    `\nload average at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`\n${await machine()}\n`);
} finally {
  hsm.remove();
}
