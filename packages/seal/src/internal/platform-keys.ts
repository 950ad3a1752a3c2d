/**
 * The seal keys the SDK made itself over the platform's own Web Crypto
 * (`signingKeyFromCryptoKey`, `importPkcs8SigningKey`, PKCS#8 bytes): frozen
 * objects whose key and parameters cannot change after the check of
 * `prepareSealKey`, so their signatures need not be verified one by one
 * (SIG-3). Any other `SigningKey` — an HSM, a KMS, a key over an injected
 * Web Crypto — has each signature verified against the certificate.
 */
const platformKeys = new WeakSet<object>();

/** Records a frozen key made over the platform's Web Crypto. */
export function markPlatformKey(key: object): void {
  if (Object.isFrozen(key)) platformKeys.add(key);
}

/** Whether `key` is one the SDK made over the platform's Web Crypto, unchanged since. */
export function isPlatformKey(key: object): boolean {
  return platformKeys.has(key) && Object.isFrozen(key);
}
