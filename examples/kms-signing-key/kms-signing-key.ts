/**
 * Example — the establishment's seal key in a cloud KMS (SIG-3, issue 19):
 * a `SigningKey` of `@s3404/seal` over a KMS HTTP API in the shape of AWS
 * KMS (`TrentService.Sign` with `MessageType: DIGEST`,
 * `TrentService.GetPublicKey`). The private key never leaves the KMS: the
 * SDK computes the digest of the CMS signed attributes, the KMS signs it.
 * The same key then seals records (`createSealer`), bordereaux
 * (`createPdfSealer`) and audit checkpoints (`createContentSigner` →
 * `createAuditLog`), exactly as a Web Crypto or PKCS#11 key would.
 *
 * Any other KMS fits the same way: only `sign(input)` changes. Its test,
 * against an in-process fake KMS on 127.0.0.1: test/kms-signing-key.test.ts.
 *
 * ```ts
 * const key = createKmsSigningKey({ endpoint: 'https://kms.eu-west-3.example', keyId: 'alias/cachet-clinique', fetch: signedFetch })
 * const signer = await createContentSigner({ key, certificate })   // certificate issued for kmsPublicKey(...)
 * const log = createAuditLog({ store, signer })
 * ```
 */
import type { HashName, SigningKey } from '@s3404/seal';

/** The signing algorithms of the KMS API, as AWS KMS names them. */
export type KmsSigningAlgorithm = 'ECDSA_SHA_256' | 'ECDSA_SHA_384' | 'RSASSA_PKCS1_V1_5_SHA_256' | 'RSASSA_PKCS1_V1_5_SHA_384';

/** The `fetch` the example calls (the platform's, or one that signs requests, e.g. with AWS SigV4). */
export type KmsFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => Promise<{ ok: boolean; status: number; json(): Promise<unknown> }>;

export interface KmsKeyOptions {
  /** The KMS endpoint, e.g. `https://kms.eu-west-3.amazonaws.com`. */
  readonly endpoint: string;
  /** Key id, ARN or alias. */
  readonly keyId: string;
  /** Default `ECDSA_SHA_256`. */
  readonly signingAlgorithm?: KmsSigningAlgorithm;
  /** Default: `globalThis.fetch`. */
  readonly fetch?: KmsFetch;
}

const toBase64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const fromBase64 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'base64'));

/** One call of the KMS JSON API (`X-Amz-Target: TrentService.<action>`); a refused call throws with the KMS's error type. */
async function call(options: KmsKeyOptions, action: 'Sign' | 'GetPublicKey', body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const fetch = options.fetch ?? (globalThis.fetch as unknown as KmsFetch);
  const res = await fetch(options.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `TrentService.${action}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`KMS ${action} refused (${res.status} ${String(json['__type'] ?? '')})`);
  return json;
}

/**
 * The KMS key as a seal `SigningKey`: ECDSA signatures come back DER
 * encoded (`ecdsaFormat: 'der'`), RSA ones as they are.
 */
export function createKmsSigningKey(options: KmsKeyOptions): SigningKey {
  const signingAlgorithm = options.signingAlgorithm ?? 'ECDSA_SHA_256';
  const hash = `SHA-${signingAlgorithm.slice(-3)}` as HashName;
  return {
    algorithm: signingAlgorithm.startsWith('ECDSA') ? { kind: 'ecdsa', hash } : { kind: 'rsa-pkcs1', hash },
    ecdsaFormat: 'der',
    async sign(input) {
      const reply = await call(options, 'Sign', {
        KeyId: options.keyId,
        Message: toBase64(await input.digest()),
        MessageType: 'DIGEST',
        SigningAlgorithm: signingAlgorithm,
      });
      if (typeof reply['Signature'] !== 'string') throw new Error('KMS Sign: no Signature in the reply');
      return fromBase64(reply['Signature']);
    },
  };
}

/** The key's SubjectPublicKeyInfo (DER), to have the seal certificate issued for it. */
export async function kmsPublicKey(options: KmsKeyOptions): Promise<Uint8Array> {
  const reply = await call(options, 'GetPublicKey', { KeyId: options.keyId });
  if (typeof reply['PublicKey'] !== 'string') throw new Error('KMS GetPublicKey: no PublicKey in the reply');
  return fromBase64(reply['PublicKey']);
}
