import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isS3404Error } from '@s3404/core';
import { createDevelopmentTsa, createHttpTimeStamper, encodeTimeStampRequest, verifyTimeStampToken, type TsaFetchResponse } from '@s3404/seal';
import { pki, prng, seededRandom, T0 } from './helpers.js';

const DIGEST = new Uint8Array(createHash('sha256').update('fuzz').digest());
const TSA_CODES = new Set(['ERR_TSA_UNAVAILABLE', 'ERR_TSA_REJECTED', 'ERR_TSA_RESPONSE_INVALID']);

/** One mutation of `bytes`: a bit flip, a truncation, a length byte changed, a byte inserted or removed, a slice repeated. */
function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const at = Math.floor(r() * bytes.length);
  const out = Uint8Array.from(bytes);
  switch (Math.floor(r() * 6)) {
    case 0:
      out[at]! ^= 1 << Math.floor(r() * 8);
      return out;
    case 1:
      return out.subarray(0, at);
    case 2: {
      // A length byte: the byte after a tag, plus or minus a little.
      const tagAt = Math.min(at, bytes.length - 2);
      out[tagAt + 1] = (out[tagAt + 1]! + (r() < 0.5 ? 1 : 255) * (1 + Math.floor(r() * 3))) & 0xff;
      return out;
    }
    case 3:
      return Uint8Array.from([...bytes.subarray(0, at), Math.floor(r() * 256), ...bytes.subarray(at)]);
    case 4:
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + 1)]);
    default: {
      const len = 1 + Math.floor(r() * 16);
      return Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at, at + len), ...bytes.subarray(at)]);
    }
  }
}

describe('fuzz: 2,000 mutated tokens, replies and requests give coded errors or verdicts, never a crash (SIG-3, X-2)', () => {
  it('verifyTimeStampToken, the HTTP stamper and respond survive bit flips, truncations and length changes', async () => {
    const p = await pki();
    const tsa = await createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, now: () => T0, random: seededRandom(9) });
    const token = await tsa.stamper.timestamp(DIGEST);
    const request = encodeTimeStampRequest({ digest: DIGEST, random: seededRandom(5) });
    const r = prng(3161);
    const counts = { tokenOk: 0, tokenInvalid: 0, replyOk: 0, replyError: 0, requestGranted: 0, requestRejected: 0 };
    const details = new Set<string>();

    // 1. 800 tokens: a verdict every time.
    for (let i = 0; i < 800; i++) {
      const verdict = await verifyTimeStampToken(mutate(token, r), { digest: DIGEST, trust: [p.ca.certificate] });
      if (verdict.ok) counts.tokenOk++;
      else {
        expect(verdict.code).toBe('ERR_TIMESTAMP_INVALID');
        details.add(verdict.detail);
        counts.tokenInvalid++;
      }
    }

    // 2. 700 replies: the genuine reply to the stamper's own request, mutated on the way back.
    const stamper = createHttpTimeStamper({
      url: 'https://tsa.example.invalid/tsp',
      random: seededRandom(11),
      timeoutMs: 5000,
      fetch: async (_url, init): Promise<TsaFetchResponse> => {
        const body = mutate(await tsa.respond(init.body), r);
        return {
          status: 200,
          headers: { get: (n) => (n === 'content-type' ? 'application/timestamp-reply' : null) },
          arrayBuffer: async () => body.slice().buffer,
        };
      },
    });
    for (let i = 0; i < 700; i++) {
      try {
        await stamper.timestamp(DIGEST);
        counts.replyOk++;
      } catch (e) {
        if (!isS3404Error(e) || !TSA_CODES.has(e.code)) throw e;
        counts.replyError++;
      }
    }

    // 3. 500 requests: respond always answers a TimeStampResp (granted or rejection).
    for (let i = 0; i < 500; i++) {
      const reply = await tsa.respond(mutate(request, r));
      expect(reply[0]).toBe(0x30);
      // TimeStampResp → PKIStatusInfo → status INTEGER, in short form for a rejection.
      const statusAt = reply[1]! < 0x80 ? 2 : 2 + (reply[1]! & 0x7f);
      const infoLen = reply[statusAt + 1]!;
      expect(reply[statusAt + 2]).toBe(0x02);
      const status = reply[statusAt + 4]!;
      expect([0, 2]).toContain(status);
      if (status === 0) counts.requestGranted++;
      else counts.requestRejected++;
      expect(infoLen).toBeGreaterThan(2);
    }

    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(2000);
    expect(counts.tokenOk).toBe(0); // every byte of a token is covered by a signature or checked
    expect(counts.replyError).toBeGreaterThan(300);
    expect(counts.requestRejected).toBeGreaterThan(200);
    expect(details.size).toBeGreaterThan(3);
  }, 120_000);
});
