/**
 * a Node-only TypeScript project (lib ES2022, types ["node"], no DOM,
 * no skipLibCheck) compiles against every entry of the published `.d.ts`,
 * and Node's Web Crypto fits the seal's structural types.
 */
import { webcrypto } from 'node:crypto';
import * as seal from '@s3404/seal';
import type { CryptoProvider, SigningKey, SubtleCryptoLike, WebCryptoKey } from '@s3404/seal';
import * as errors from '@s3404/seal/errors';
import * as apply from '@s3404/seal/apply';
import * as memory from '@s3404/seal/memory';
import * as pki from '@s3404/seal/pki';
import type { DevelopmentPkiCrypto } from '@s3404/seal/pki';
import * as postgres from '@s3404/seal/postgres';
import * as redis from '@s3404/seal/redis';
import * as sqlite from '@s3404/seal/sqlite';
import * as stores from '@s3404/seal/stores';
import * as pkcs11 from '@s3404/seal/pkcs11';
import type { Pkcs11SigningKey } from '@s3404/seal/pkcs11';

export const entries = [seal, errors, apply, memory, pki, postgres, redis, sqlite, stores, pkcs11];

// A PKCS#11 key is a SigningKey: it goes wherever a seal key goes.
export const tokenKey = (key: Pkcs11SigningKey): SigningKey => key;

// Node's webcrypto and its global crypto are CryptoProviders, and the PKI's.
export const fromModule: CryptoProvider = webcrypto;
export const fromGlobal: CryptoProvider = globalThis.crypto;
export const subtle: SubtleCryptoLike = webcrypto.subtle;
export const forPki: DevelopmentPkiCrypto = webcrypto;

// Node's CryptoKey is a WebCryptoKey: it makes a SigningKey.
export function keyOf(key: webcrypto.CryptoKey): SigningKey {
  const structural: WebCryptoKey = key;
  return seal.signingKeyFromCryptoKey(structural, { crypto: webcrypto });
}
