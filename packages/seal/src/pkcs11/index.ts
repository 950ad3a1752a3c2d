/**
 * `@s3404/seal/pkcs11` — the establishment's seal key in an HSM, a smart
 * card or SoftHSM, through PKCS#11 (SIG-3). Node only, on the optional peer
 * `pkcs11js`: `openPkcs11Token` logs in once and gives each private key as a
 * `SigningKey` that `createSealer`, `createContentSigner` and
 * `createPdfSealer` take as they take a Web Crypto key; the key never
 * leaves the token.
 *
 * @packageDocumentation
 */
export {
  openPkcs11Token,
  type OpenPkcs11TokenOptions,
  type Pkcs11Token,
  type Pkcs11TokenSelector,
  type Pkcs11ObjectSelector,
  type Pkcs11SigningKey,
  type Pkcs11SigningKeyOptions,
} from './open-pkcs11-token.js';
