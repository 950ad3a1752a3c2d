/**
 * `@s3404/seal/pki` — a development PKI for tests and demos (SIG-3): a root
 * CA, a seal certificate and key, and a time-stamping certificate for later.
 * Built with @peculiar/x509, which needs the `reflect-metadata` polyfill: it
 * is loaded on first call, never when the package is merely imported.
 *
 * Never use these certificates in production: the establishment's seal
 * certificate comes from its certification authority.
 *
 * @packageDocumentation
 */
export {
  createDevelopmentPki,
  type DevelopmentPki,
  type DevelopmentPkiCrypto,
  type DevelopmentPkiOptions,
  type PkiAlgorithm,
  type IssuedKeyPair,
} from './create-development-pki.js';
