/**
 * Whether two byte arrays hold the same bytes, in a time that depends on
 * their lengths only (SIG-6): the comparison tells nothing of where a guess
 * first differs. For secrets and what is compared with them (a decrypted
 * record, a digest a caller may probe); core's `bytesEqual` is faster and
 * for public values.
 */
export function sameBytesConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  let d = a.length ^ b.length;
  for (let i = 0; i < a.length && i < b.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}
