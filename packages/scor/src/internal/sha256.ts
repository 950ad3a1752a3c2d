/** SHA-256 of bytes (SCOR-2): Web Crypto by default; injected for tests or another runtime. @public */
export type Sha256 = (data: Uint8Array) => Promise<Uint8Array>;

/** SHA-256 through Web Crypto, available in Node 20+, browsers, Deno and Bun. */
export const webSha256: Sha256 = async (data) => {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) throw new TypeError('SHA-256: no Web Crypto in this runtime; pass options.sha256');
  return new Uint8Array(await subtle.digest('SHA-256', data as Uint8Array<ArrayBuffer>));
};

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += HEX[bytes[i]!];
  return s;
}
