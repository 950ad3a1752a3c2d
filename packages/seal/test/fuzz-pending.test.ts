import { describe, expect, it } from 'vitest';
import { createConsumer, SEAL_ERRORS } from '@s3404/seal';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { at, fixture, prng } from './helpers.js';
import { sealMany, targetOf } from './store-contract.js';

const CODES = new Set<string>(SEAL_ERRORS.codes);

/**
 * Fuzzing the two parsers of crypto-shredding (SIG-6, X-2): the handle (text
 * from outside) and the envelope (bytes from a store). Whatever they are
 * given, `consume` answers with a seal code — never a crash, a TypeError or a
 * decryption — and nothing is consumed until the untouched pair comes back.
 */
describe('fuzzing pending handles and envelopes (SIG-6)', () => {
  it('2,000 mutated envelopes under the right id and key, and 2,000 mutated handles: coded refusals only, nothing consumed', async () => {
    const f = await fixture();
    const [r] = await sealMany(f, 1, 51);
    const record = r!;
    const base = new MemoryConsumptionStore();
    const depositor = createConsumer({ store: base, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
    const { handle } = await depositor.deposit(record);
    const envelope = (await base.getPending(record.recordId))!.bytes;
    const rnd = prng(1515);
    const pick = (n: number): number => Math.floor(rnd() * n);
    const target = targetOf(record);
    const seen = new Map<string, number>();
    const count = (code: string): void => {
      seen.set(code, (seen.get(code) ?? 0) + 1);
    };

    for (let i = 0; i < 2000; i++) {
      let b = Uint8Array.from(envelope);
      switch (pick(5)) {
        case 0:
          b[pick(b.length)]! ^= 1 << pick(8);
          break;
        case 1:
          b = b.subarray(0, pick(b.length));
          break;
        case 2:
          b = Uint8Array.from([...b, ...Array.from({ length: 1 + pick(20) }, () => pick(256))]);
          break;
        case 3: // the header's target length
          b[5 + pick(2)] = pick(256);
          break;
        default: {
          const at0 = pick(b.length);
          b = Uint8Array.from([...b.subarray(0, at0), ...b.subarray(at0 + 1 + pick(8))]);
        }
      }
      const store = new MemoryConsumptionStore();
      await store.putPending({ recordId: record.recordId, digest: record.digest, bytes: b, expiresAt: at(600).toISOString() });
      const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), keyHolder: null });
      const code = await consumer.consume({ handle }, { target, requestId: `e${i}` }).then(
        () => 'CONSUMED',
        (e: { code?: string; name?: string; message?: string }) => e.code ?? `${e.name}: ${e.message}`,
      );
      count(code);
      expect(await store.findTombstone({ recordId: record.recordId })).toBeNull();
    }
    expect([...seen.keys()]).toEqual(['ERR_RECORD_KEY_MISMATCH']);

    seen.clear();
    const alphabet = 'abcdefABCDEF0123456789-_.+/=s3404pending ';
    for (let i = 0; i < 2000; i++) {
      let h = handle;
      switch (pick(4)) {
        case 0: {
          const j = pick(h.length);
          h = h.slice(0, j) + alphabet[pick(alphabet.length)] + h.slice(j + 1);
          break;
        }
        case 1:
          h = h.slice(0, pick(h.length));
          break;
        case 2:
          h = h + alphabet[pick(alphabet.length)];
          break;
        default:
          h = Array.from({ length: pick(120) }, () => alphabet[pick(alphabet.length)]).join('');
      }
      if (h === handle) continue;
      const code = await depositor.consume({ handle: h }, { target, requestId: `h${i}` }).then(
        () => 'CONSUMED',
        (e: { code?: string; name?: string; message?: string }) => e.code ?? `${e.name}: ${e.message}`,
      );
      count(code);
    }
    for (const code of seen.keys()) expect(CODES.has(code), code).toBe(true);
    expect([...seen.keys()].every((c) => ['ERR_RECORD_KEY_INVALID', 'ERR_RECORD_KEY_MISMATCH', 'ERR_RECORD_NOT_FOUND'].includes(c))).toBe(true);
    expect(seen.get('ERR_RECORD_KEY_INVALID')).toBeGreaterThan(1000);
    // The untouched handle still opens it: nothing was consumed by 4,000 bad attempts.
    expect((await depositor.consume({ handle }, { target, requestId: 'right' })).status).toBe('consumed');
  });
});
