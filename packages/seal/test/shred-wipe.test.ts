import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBordereauId, parseBordereau } from '@s3404/form';
import { renderBordereauPdf } from '@s3404/form/pdf';
import { createConsumer, type PendingCipherCrypto } from '@s3404/seal';
import { applySignature } from '@s3404/seal/apply';
import { MemoryConsumptionStore } from '@s3404/seal/memory';
import { at, fixture, seededRandom, T0 } from './helpers.js';
import { sealFor, sealMany, targetOf } from './store-contract.js';

/**
 * SIG-6: the plaintext the SDK owns is wiped as soon as it has served. The
 * platform's Web Crypto is wrapped to keep a view of every buffer it is given
 * or returns (the raw data key, the decrypted record), so the test can look
 * at them after the call.
 */
function watchingCrypto(): { crypto: PendingCipherCrypto; keys: Uint8Array[]; plaintexts: Uint8Array[] } {
  const subtle = globalThis.crypto.subtle;
  const keys: Uint8Array[] = [];
  const plaintexts: Uint8Array[] = [];
  const crypto: PendingCipherCrypto = {
    subtle: {
      importKey: (format, keyData, algorithm, extractable, usages) => {
        keys.push(keyData);
        return subtle.importKey(format, keyData, algorithm, extractable, usages);
      },
      encrypt: (algorithm, key, data) => subtle.encrypt(algorithm, key as CryptoKey, data),
      decrypt: async (algorithm, key, data) => {
        const plain = await subtle.decrypt(algorithm, key as CryptoKey, data);
        plaintexts.push(new Uint8Array(plain));
        return plain;
      },
    },
  };
  return { crypto, keys, plaintexts };
}

const allZero = (b: Uint8Array): boolean => b.every((x) => x === 0);

describe('wiping what the SDK decrypted (SIG-6)', () => {
  it('wipes the decrypted record and every copy of the data key once the signature is drawn, and on a refusal', async () => {
    const f = await fixture();
    // `r` is sealed for the content of the PDF it is drawn on (SIG-4); `s` for another bordereau.
    const example = JSON.parse(readFileSync(join(import.meta.dirname, '../../../examples/data/mco-chirurgie-pth.json'), 'utf8')) as Record<string, any>;
    example.id = createBordereauId({ random: seededRandom(40) });
    const rendered = await renderBordereauPdf(parseBordereau(example), { now: () => T0 });
    const pdf = rendered.bytes;
    const [r] = await sealFor(f, [{ bordereauId: example.id, contentHash: rendered.contentHash }]);
    const [s] = await sealMany(f, 1, 41);
    const w = watchingCrypto();
    const store = new MemoryConsumptionStore();
    const consumer = createConsumer({ store, trustAnchors: [f.pki.ca.certificate], now: () => at(10), crypto: w.crypto });
    await consumer.deposit(r!);
    await consumer.deposit(s!);
    expect(w.keys).toHaveLength(2);
    expect(w.keys.every(allZero)).toBe(true);

    let seenDuringSave = false;
    const applied = await applySignature(consumer, {
      input: { recordId: r!.recordId },
      pdf,
      requestId: 'draw',
      save: () => {
        // While the PDF is saved the record is still in hand: decrypted, not yet wiped.
        seenDuringSave = w.plaintexts.length === 1 && !allZero(w.plaintexts[0]!);
      },
    });
    expect(applied.status).toBe('applied');
    expect(seenDuringSave).toBe(true);
    expect(w.plaintexts).toHaveLength(1);
    expect(allZero(w.plaintexts[0]!)).toBe(true);
    expect(w.keys.every(allZero)).toBe(true);

    // A refusal after decryption (another bordereau): wiped too, and nothing consumed.
    await expect(consumer.consume({ recordId: s!.recordId }, { target: targetOf(r!), requestId: 'wrong' })).rejects.toMatchObject({
      code: 'ERR_RECORD_WRONG_BORDEREAU',
    });
    expect(w.plaintexts).toHaveLength(2);
    expect(allZero(w.plaintexts[1]!)).toBe(true);
    expect(w.keys.every(allZero)).toBe(true);
    expect(await store.countPending()).toBe(1);
  });
});

describe('one envelope, whichever AES-256-GCM makes it (SIG-6, X-1)', () => {
  it('the native fast path and Web Crypto write the same bytes for the same key and nonce, and open each other', async () => {
    const f = await fixture();
    const [r] = await sealMany(f, 1, 43);
    const envelopes: Uint8Array[] = [];
    const handles: string[] = [];
    for (const crypto of [undefined, globalThis.crypto as unknown as PendingCipherCrypto]) {
      const store = new MemoryConsumptionStore();
      const consumer = createConsumer({
        store,
        trustAnchors: [f.pki.ca.certificate],
        now: () => at(10),
        random: seededRandom(5),
        keyHolder: null,
        ...(crypto === undefined ? {} : { crypto }),
      });
      handles.push((await consumer.deposit(r!)).handle);
      envelopes.push((await store.getPending(r!.recordId))!.bytes);
    }
    expect(handles[0]).toBe(handles[1]);
    expect(Buffer.from(envelopes[0]!).equals(Buffer.from(envelopes[1]!))).toBe(true);
    // Each opens what the other wrote.
    for (const [i, crypto] of [globalThis.crypto as unknown as PendingCipherCrypto, undefined].entries()) {
      const store = new MemoryConsumptionStore();
      await store.putPending({ recordId: r!.recordId, digest: r!.digest, bytes: envelopes[i]!, expiresAt: at(600).toISOString() });
      const consumer = createConsumer({
        store,
        trustAnchors: [f.pki.ca.certificate],
        now: () => at(10),
        keyHolder: null,
        ...(crypto === undefined ? {} : { crypto }),
      });
      expect((await consumer.consume({ handle: handles[0]! }, { target: targetOf(r!), requestId: `x${i}` })).status).toBe('consumed');
    }
  });
});
