// Fixture of check-conventions' self-test: each "bad" export breaks one rule, each "good" one follows it.
export interface RenderOptions {
  readonly now?: Date;
}
export function renderThing(options: RenderOptions = {}): Uint8Array {
  return new Uint8Array(options.now === undefined ? 0 : 1);
}
export interface Sweeper {
  sweep(options: { readonly now: Date }): Promise<number>;
}
export function verifyThing(bytes: Uint8Array): Promise<{ valid: boolean; code?: string }> {
  return Promise.resolve({ valid: bytes.length > 0 });
}
export interface Verifier {
  verify(bytes: Uint8Array): Promise<{ readonly ok: boolean }>;
}
export function createVerifier(): Verifier {
  return { verify: async (bytes) => ({ ok: bytes.length > 0 }) };
}
// A callback the caller provides: its name is not the SDK's verdict.
export function useCallback(options: { readonly check: (v: string) => void }): void {
  options.check('x');
}
export function checkThing(value: string): boolean {
  return value !== '';
}
// Conforming exports: no violation may be reported for these.
export interface GoodReport {
  readonly ok: boolean;
  readonly issues: readonly { code: string }[];
}
export function goodThing(value: string, options: { readonly now?: () => Date } = {}): GoodReport {
  return { ok: value !== '' && options.now !== undefined, issues: [] };
}
export function verifyGoodThing(
  value: string,
): Promise<GoodReport | { readonly ok: false; readonly issues: readonly { code: string }[]; readonly code: string }> {
  return Promise.resolve(goodThing(value));
}
export interface GoodSignatureVerifier {
  verify(content: Uint8Array): Promise<{ readonly status: 'valid' } | { readonly status: 'none' }>;
}
export function createGoodSignatureVerifier(): GoodSignatureVerifier {
  return { verify: async () => ({ status: 'none' }) };
}
export const goodClock = (now: () => Date = () => new Date()): Date => now();
