import { canonicalJson, readClock, type ContentSigner } from '@s3404/core';
import { createAuditLog, verifyLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createContentVerifier, verifyRecord, verifySealedContent } from '@s3404/seal';
import { verifyPdfSeal } from '@s3404/seal/pdf';
import type { ConformanceTest } from '../report.js';
import { boundedBody } from '../internal/bounded-body.js';
import { utf8 } from '../internal/digest.js';
import { Indeterminate } from '../internal/indeterminate.js';
import { coveredBytes, embedSignature, signablePdf } from '../internal/signable-pdf.js';
import { expectContract, runContractCase, type ContractCaseSpec, type ContractContext } from './contract-case.js';
import { contractRecords, targetOf } from './contract-records.js';

/**
 * What {@link runSignerContract} receives besides the signer factory (SIG-3,
 * X-3): the trust anchors its certificate chains to, and how long one case
 * may take.
 *
 * `import type { SignerContractContext } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const context: SignerContractContext = { now: () => new Date(), trustAnchors: [readPemCertificates(caPem)[0]!] }
 * ```
 * @public
 */
export interface SignerContractContext extends ContractContext {
  /**
   * The trust anchors (DER certificates) the signer's certificate chains to,
   * e.g. the establishment's CA. Without them, every case that checks a
   * chain is `indeterminate`.
   */
  readonly trustAnchors?: readonly Uint8Array[] | undefined;
  /** Longest time one case may take, milliseconds. Default 60 000. */
  readonly timeoutMs?: number | undefined;
}

const SUITE = 'signer';
/** The signature algorithms SIG-3 accepts, as `@s3404/seal`'s verifier names them. */
const ACCEPTED_ALGORITHM = /^(ECDSA P-(256|384|521) SHA-(256|384|512)|RSA(-PSS| PKCS#1 v1\.5) (\d{4,5}) SHA-(256|384|512))$/;
/** Bytes reserved in the PDF for the CMS: a certificate chain of a few certificates fits. */
const PDF_CONTENTS_BYTES = 16 * 1024;

/** `length` bytes covering every value 0…255, different for each `seed`. */
function content(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 7 + (i >> 8) + seed * 31) & 0xff;
  return out;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => b[i] === x);
}

/**
 * The contract of a `ContentSigner` (SIG-2, SIG-3, AUD-2) — a vendor's seal
 * on an HSM, a KMS or a remote signing service — judged by `@s3404/seal`'s
 * own verifiers against the trust anchors given: detached and attached
 * signatures verify and carry the content byte for byte; a signature binds
 * its content; a signature record signed by it verifies with
 * `verifyRecord`; an audit checkpoint signed by it verifies with
 * `verifyLog`; a PDF signature made with it verifies with `verifyPdfSeal`,
 * and fails once a covered byte changes; its algorithm is one SIG-3
 * accepts, its certificate is the subject it announces and its signing time
 * is the context's clock; 16 signatures at once all verify.
 *
 * The signer's clock should agree with `context.now` (within 5 minutes):
 * the records are dated by it. Each case is bounded in time (`timeoutMs`).
 *
 * `import { runSignerContract } from '@s3404/conformance/contracts'`
 *
 * @example
 * ```ts
 * const tests = await runSignerContract(() => hsmContentSigner(slot), { now: () => new Date(), trustAnchors: [caDer] })
 * ```
 * @throws TypeError without a factory or a clock.
 * @public
 */
export async function runSignerContract(factory: () => ContentSigner | Promise<ContentSigner>, context: SignerContractContext): Promise<ConformanceTest[]> {
  if (typeof factory !== 'function') throw new TypeError('runSignerContract: factory must be a function returning a ContentSigner');
  if (context === null || typeof context !== 'object' || typeof context.now !== 'function')
    throw new TypeError('runSignerContract: context.now must be a Clock');
  const timeoutMs = context.timeoutMs ?? 60_000;
  const now = () => readClock(context.now, 'runSignerContract');
  let opened: Promise<ContentSigner> | undefined;
  const signer = async (): Promise<ContentSigner> => {
    opened ??= Promise.resolve(factory());
    const s = await opened;
    expectContract(s !== null && typeof s === 'object' && typeof s.sign === 'function', 'the factory gave no ContentSigner');
    expectContract(typeof s.subject === 'string' && s.subject !== '', 'the signer announces no subject');
    return s;
  };
  const anchors = (): readonly Uint8Array[] => {
    const a = context.trustAnchors;
    if (a === undefined || a.length === 0) throw new Indeterminate('no trust anchors given: the chain of the signer cannot be checked');
    return a;
  };
  const sign = async (s: ContentSigner, bytes: Uint8Array, detached: boolean): Promise<Uint8Array> => {
    const out = await s.sign(bytes, { detached });
    expectContract(out instanceof Uint8Array && out.length > 0, 'sign() did not return the bytes of a CMS');
    return out;
  };

  const cases: Omit<ContractCaseSpec, 'suite'>[] = [
    {
      tcId: 1,
      requirements: ['SIG-3'],
      comment: 'A detached signature over 64 KiB of every byte value verifies against the trust anchors, signed by the subject the signer announces.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const data = content(65_536, 1);
        const check = await createContentVerifier({ trustAnchors, now: context.now }).verify(data, await sign(s, data, true));
        expectContract(check.status === 'valid', `the detached signature does not verify: ${check.status === 'invalid' ? check.code : ''}`);
        expectContract(check.signer === s.subject, `signed by ${check.signer}, the signer announces ${s.subject}`);
      },
    },
    {
      tcId: 2,
      requirements: ['SIG-3'],
      comment: 'An attached signature carries its content byte for byte and verifies with verifySealedContent.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const data = content(4096, 2);
        const verdict = await verifySealedContent(await sign(s, data, false), { trustAnchors, now: context.now });
        expectContract(verdict.ok, `the attached signature does not verify: ${verdict.ok ? '' : verdict.code}`);
        expectContract(equalBytes(verdict.content, data), 'the attached content is not the content given to sign()');
        return undefined;
      },
    },
    {
      tcId: 3,
      requirements: ['SIG-3'],
      comment: 'A signature binds its content: it does not verify for the same content with one byte changed, and two contents get two signatures.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const verifier = createContentVerifier({ trustAnchors, now: context.now });
        const a = content(2048, 3);
        const b = Uint8Array.from(a);
        b[1000] = b[1000]! ^ 0x01;
        const [sa, sb] = [await sign(s, a, true), await sign(s, b, true)];
        expectContract(!equalBytes(sa, sb), 'two different contents got the same signature');
        const own = await verifier.verify(b, sb);
        expectContract(own.status === 'valid', `the signature of the second content does not verify: ${own.status === 'invalid' ? own.code : ''}`);
        const crossed = await verifier.verify(b, sa);
        expectContract(crossed.status === 'invalid', 'the signature of one content verifies for another');
        return crossed.code;
      },
    },
    {
      tcId: 4,
      requirements: ['SIG-2', 'SIG-3'],
      comment: 'A signature record (SIG-2) signed by it verifies with verifyRecord against the trust anchors, bound to its bordereau and content hash.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const records = await contractRecords(context.now);
        const [sealed] = await records.bordereaux(1);
        const bytes = await sign(s, utf8(canonicalJson(sealed!.record)), false);
        const verdict = await verifyRecord(bytes, { trustAnchors, now: () => records.at(60), expect: targetOf(sealed!) });
        expectContract(verdict.ok, `the record it signed does not verify: ${verdict.ok ? '' : `${verdict.code} ${verdict.message}`}`);
        expectContract(
          verdict.recordId === sealed!.recordId && verdict.signer.subject === s.subject,
          'the verified record is not the one signed, or not by this signer',
        );
      },
    },
    {
      tcId: 5,
      requirements: ['AUD-2'],
      comment: 'Audit checkpoints it seals verify with verifyLog and the trust anchors, naming it as their signer.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const store = new MemoryAuditStore(context.sha256 === undefined ? {} : { sha256: context.sha256 });
        const log = createAuditLog({
          store,
          signer: s,
          now: context.now,
          dailyCheckpoints: false,
          ...(context.sha256 === undefined ? {} : { sha256: context.sha256 }),
        });
        const actor = { personId: 'dir-0042', role: 'director', terminalId: 'accueil-1' } as const;
        for (let i = 1; i <= 3; i++) await log.append({ action: 'bordereau.generated', actor, subject: { line: i }, outcome: 'success' });
        await log.checkpoint();
        await log.append({ action: 'signature.context-shown', actor, subject: { line: 4 }, outcome: 'success' });
        await log.checkpoint();
        const report = await verifyLog(store.lines(), {
          verifier: createContentVerifier({ trustAnchors, now: context.now }),
          now: context.now,
          ...(context.sha256 === undefined ? {} : { sha256: context.sha256 }),
        });
        await log.close();
        expectContract(report.ok, `the trace with its checkpoints does not verify: ${report.issues[0]?.code ?? ''}`);
        expectContract(report.checkpoints === 2 && report.signatures.status === 'valid', `checkpoint signatures: ${report.signatures.status}`);
        expectContract(report.signers.length > 0 && report.signers.every((x) => x === s.subject), `the checkpoints name ${report.signers.join(', ')}`);
      },
    },
    {
      tcId: 6,
      requirements: ['SIG-3'],
      comment: 'A PDF signature (/adbe.pkcs7.detached) made with its detached CMS verifies with verifyPdfSeal, and fails once a covered byte changes.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const prepared = signablePdf({ contentsBytes: PDF_CONTENTS_BYTES, at: now(), text: 'Bordereau S3404 - contrat du signataire' });
        const cms = await sign(s, coveredBytes(prepared), true);
        const pdf = embedSignature(prepared, cms);
        expectContract(pdf !== null, `the CMS (${cms.length} bytes) does not fit the ${PDF_CONTENTS_BYTES} bytes reserved`);
        const verdict = await verifyPdfSeal(pdf, { trustAnchors, now: context.now });
        const first = verdict.signatures[0];
        expectContract(verdict.ok, `the PDF signature does not verify: ${first?.code ?? verdict.issues[0]?.code ?? verdict.status} ${first?.message ?? ''}`);
        expectContract(
          first?.signer?.subject === s.subject && first.coversWholeDocument,
          'the PDF signature is not the signer\u2019s, or does not cover the document',
        );
        const tampered = Uint8Array.from(pdf);
        const at = prepared.byteRange[2] + 10;
        tampered[at] = tampered[at] === 0x20 ? 0x0a : 0x20;
        const after = await verifyPdfSeal(tampered, { trustAnchors, now: context.now });
        expectContract(!after.ok, 'the PDF still verifies after a covered byte changed');
        return after.signatures[0]?.code ?? after.issues[0]?.code;
      },
    },
    {
      tcId: 7,
      requirements: ['SIG-3'],
      comment:
        'Its algorithm is one SIG-3 accepts (ECDSA P-256+ / RSA 2048+, SHA-256+), its certificate is the subject it announces, its signing time the clock of now.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const data = content(512, 7);
        const verdict = await verifySealedContent(await sign(s, data, true), { trustAnchors, content: data, now: context.now });
        expectContract(verdict.ok, `the signature does not verify: ${verdict.ok ? '' : verdict.code}`);
        const m = ACCEPTED_ALGORITHM.exec(verdict.algorithm);
        expectContract(m !== null && (m[5] === undefined || Number(m[5]) >= 2048), `algorithm ${verdict.algorithm} is not one SIG-3 accepts`);
        expectContract(verdict.signer.subject === s.subject, `certificate ${verdict.signer.subject}, announced ${s.subject}`);
        const drift = Math.abs(Date.parse(verdict.signingTime) - now().getTime());
        expectContract(drift <= 300_000, `signing time ${verdict.signingTime} is ${Math.round(drift / 1000)} s from the clock`);
        return undefined;
      },
    },
    {
      tcId: 8,
      requirements: ['SIG-3'],
      comment: '16 signatures requested at once, each over its own content, all verify for their own content.',
      body: async () => {
        const s = await signer();
        const trustAnchors = anchors();
        const verifier = createContentVerifier({ trustAnchors, now: context.now });
        const contents = Array.from({ length: 16 }, (_, i) => content(1024 + i, 100 + i));
        const signatures = await Promise.all(contents.map((c) => sign(s, c, true)));
        const checks = await Promise.all(contents.map((c, i) => verifier.verify(c, signatures[i]!)));
        const bad = checks.map((c, i) => (c.status === 'valid' ? -1 : i)).filter((i) => i >= 0);
        expectContract(bad.length === 0, `${bad.length} of 16 concurrent signatures do not verify for their content (first: #${bad[0]})`);
      },
    },
  ];

  const tests: ConformanceTest[] = [];
  for (const c of cases) tests.push(await runContractCase({ ...c, suite: SUITE, body: boundedBody(timeoutMs, c.body) }, context));
  return tests;
}
