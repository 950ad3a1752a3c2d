import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CoreError, type ContentVerifier, type TimeStamper, type TimeStampVerifier } from '@s3404/core';
import { AUDIT_ERRORS, exportEvents, parsePeriod, verifyExport, verifyLog } from '@s3404/audit';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { collect, draft, memoryLog, seededRandom, T0, withDir } from './helpers.js';

const sha256 = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const b64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));
const DAY = 86_400_000;
const later = (ms: number): Date => new Date(T0.getTime() + ms);

/** A fake signer: the "CMS" is `sig:<n>`. */
function fakeSigner() {
  let n = 0;
  return { subject: 'CN=Test seal', sign: async () => new TextEncoder().encode(`sig:${++n}`) };
}

/** A fake TSA: the token is `tst:<hex digest>@<genTime>`, and it records the digests it was asked for. */
function fakeStamper(genTime: Date = later(1000)): TimeStamper & { digests: string[] } {
  const digests: string[] = [];
  return {
    name: 'TSA de test',
    digests,
    async timestamp(digest) {
      digests.push(hex(digest));
      return new TextEncoder().encode(`tst:${hex(digest)}@${genTime.toISOString()}`);
    },
  };
}

/** A fake TimeStampVerifier that accepts the fake TSA's tokens for the right digest. */
function fakeTimeStampVerifier(): TimeStampVerifier {
  return {
    async verify(token, digest) {
      const m = /^tst:([0-9a-f]{64})@(.+)$/.exec(new TextDecoder().decode(token));
      if (m === null || m[1] !== hex(digest)) return { status: 'invalid', code: 'ERR_TIMESTAMP_INVALID', message: 'Bad token.' };
      return { status: 'valid', genTime: m[2]!, tsa: 'CN=TSA de test' };
    },
  };
}

/** A fake ContentVerifier whose certificate is valid from T0 for 30 days: it refuses a validation time outside. */
function fakeVerifier(): ContentVerifier & { ats: (string | undefined)[] } {
  const ats: (string | undefined)[] = [];
  return {
    ats,
    async verify(_content, signature, options) {
      ats.push(options?.at?.toISOString());
      if (!new TextDecoder().decode(signature).startsWith('sig:')) return { status: 'invalid', code: 'ERR_SEAL_SIGNATURE_INVALID', message: 'Bad.' };
      const at = options?.at?.getTime() ?? T0.getTime();
      if (at > T0.getTime() + 30 * DAY) return { status: 'invalid', code: 'ERR_CERT_EXPIRED', message: 'Expired.' };
      return { status: 'valid', signer: 'CN=Test seal', signedAt: T0.toISOString() };
    },
  };
}

async function stampedTrace<S extends TimeStamper = ReturnType<typeof fakeStamper>>(options: { stamper?: S; onTimestampFailure?: 'fail' | 'without' } = {}) {
  const store = new MemoryAuditStore();
  const stamper = (options.stamper ?? fakeStamper()) as S;
  const log = memoryLog({
    store,
    signer: fakeSigner(),
    timestamper: stamper,
    ...(options.onTimestampFailure ? { onTimestampFailure: options.onTimestampFailure } : {}),
  });
  for (let i = 0; i < 3; i++) await log.append(draft(i));
  const cp = await log.checkpoint();
  return { store, log, stamper, cp };
}

describe('time-stamped checkpoints through core’s TimeStamper and TimeStampVerifier (AUD-2)', () => {
  it('stores, with each checkpoint, a token over the SHA-256 of its signature bytes; older checkpoints have none and still verify', async () => {
    const { store, log, stamper, cp } = await stampedTrace();
    const signature = b64(cp!.checkpoint!.signature);
    expect(stamper.digests).toEqual([hex(sha256(signature))]);
    expect(new TextDecoder().decode(b64(cp!.checkpoint!.timestamp!))).toBe(`tst:${hex(sha256(signature))}@${later(1000).toISOString()}`);
    expect(cp).not.toHaveProperty('code');
    // The canonical line keeps the schema's key order: body, signature, timestamp.
    const line = new TextDecoder()
      .decode(await collect(store.lines()))
      .trimEnd()
      .split('\n')[3]!;
    expect(line).toMatch(/"checkpoint":\{"body":"[^"]+","signature":"[^"]+","timestamp":"[^"]+"\},"count":3,/);

    const verifier = fakeVerifier();
    const report = await log.verify({ verifier, timeStampVerifier: fakeTimeStampVerifier() });
    expect(report).toMatchObject({ ok: true, signatures: { status: 'valid' } });
    expect(report.checkpointTimes).toEqual([{ seq: 4, time: cp!.time, source: { kind: 'tsa', genTime: later(1000).toISOString(), tsa: 'CN=TSA de test' } }]);
    expect(verifier.ats).toEqual([later(1000).toISOString()]);
    // Without a TimeStampVerifier the token is reported unchecked, the signature checked at the verification clock.
    const unchecked = await log.verify({ verifier: fakeVerifier() });
    expect(unchecked.checkpointTimes).toEqual([{ seq: 4, time: cp!.time, source: { kind: 'tsa-unchecked' } }]);

    // A trace written before time-stamping (no timestamper): same format, no token, the signer's clock only.
    const old = new MemoryAuditStore();
    const oldLog = memoryLog({ store: old, signer: fakeSigner() });
    for (let i = 0; i < 3; i++) await oldLog.append(draft(i));
    const oldCp = (await oldLog.checkpoint())!;
    expect(Object.keys(oldCp.checkpoint!)).toEqual(['body', 'signature']);
    const oldReport = await verifyLog(await collect(old.lines()), { verifier: fakeVerifier(), timeStampVerifier: fakeTimeStampVerifier(), now: () => T0 });
    expect(oldReport).toMatchObject({ ok: true, checkpointTimes: [{ seq: 4, source: { kind: 'signer-clock', signedAt: T0.toISOString() } }] });
  });

  it('a certificate expired at verification time: the token keeps the checkpoint verifiable; without one, the signature fails', async () => {
    const { store } = await stampedTrace();
    const bytes = await collect(store.lines());
    const years = (): Date => later(3 * 365 * DAY);
    const stamped = await verifyLog(bytes, { verifier: fakeVerifier(), timeStampVerifier: fakeTimeStampVerifier(), now: years });
    expect(stamped).toMatchObject({ ok: true, issues: [], checkpointTimes: [{ source: { kind: 'tsa' } }] });
    // The token not checked: nothing proves when the signature was made, so it is checked now — expired.
    const unchecked = await verifyLog(bytes, { verifier: fakeVerifier(), now: years, locale: 'en' });
    expect(unchecked).toMatchObject({
      ok: false,
      signatures: { status: 'invalid', code: 'ERR_CERT_EXPIRED' },
      damage: { kind: 'modified', seq: 4, code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE' },
      checkpointTimes: [],
    });
    expect(unchecked.issues[0]!.message).toContain('ERR_CERT_EXPIRED');
    // Untimestamped: the same.
    const old = new MemoryAuditStore();
    const oldLog = memoryLog({ store: old, signer: fakeSigner() });
    await oldLog.append(draft(0));
    await oldLog.checkpoint();
    const oldBytes = await collect(old.lines());
    expect((await verifyLog(oldBytes, { verifier: fakeVerifier(), timeStampVerifier: fakeTimeStampVerifier(), now: () => later(DAY) })).ok).toBe(true);
    expect(await verifyLog(oldBytes, { verifier: fakeVerifier(), timeStampVerifier: fakeTimeStampVerifier(), now: years })).toMatchObject({
      ok: false,
      damage: { seq: 2, code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE' },
    });
  });

  it('a bad token is an issue with its code, even without a signature verifier', async () => {
    // A stamper that answers for another digest: the line is well formed and hashed, the token proves nothing.
    const wrong: TimeStamper = { name: 'wrong', timestamp: async () => new TextEncoder().encode(`tst:${'0'.repeat(64)}@${T0.toISOString()}`) };
    const { store } = await stampedTrace({ stamper: wrong });
    const bytes = await collect(store.lines());
    for (const verifier of [undefined, fakeVerifier()]) {
      const report = await verifyLog(bytes, { timeStampVerifier: fakeTimeStampVerifier(), locale: 'en', ...(verifier === undefined ? {} : { verifier }) });
      expect(report).toMatchObject({ ok: false, damage: { kind: 'modified', seq: 4, line: 4, code: 'ERR_AUDIT_CHECKPOINT_TIMESTAMP' }, checkpointTimes: [] });
      expect(report.issues).toEqual([
        { code: 'ERR_AUDIT_CHECKPOINT_TIMESTAMP', path: [3], message: 'Invalid checkpoint time-stamp token (sequence 4): ERR_TIMESTAMP_INVALID.' },
      ]);
    }
    // Not checked without a TimeStampVerifier: reported as such, not as valid.
    expect(await verifyLog(bytes, {})).toMatchObject({ ok: true, checkpointTimes: [{ source: { kind: 'tsa-unchecked' } }] });
  });

  it("when the TSA fails: 'fail' (default) writes nothing and rejects; 'without' writes the checkpoint untimestamped and says so", async () => {
    const down: TimeStamper = {
      name: 'down',
      timestamp: async () => {
        throw new CoreError('ERR_FILE_UNREADABLE', { params: { path: 'tsa', reason: 'ENOENT' } });
      },
    };
    const store = new MemoryAuditStore();
    const log = memoryLog({ store, signer: fakeSigner(), timestamper: down });
    for (let i = 0; i < 2; i++) await log.append(draft(i));
    const error = await log.checkpoint().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_AUDIT_TIMESTAMP_UNAVAILABLE', kind: 'unavailable', cause: { code: 'ERR_FILE_UNREADABLE' } });
    expect((error as Error).message).toBe(AUDIT_ERRORS.message('ERR_AUDIT_TIMESTAMP_UNAVAILABLE', { detail: 'ERR_FILE_UNREADABLE' }, 'fr'));
    expect(store.size).toBe(2);
    // A daily checkpoint: the append that needs it fails too, nothing written.
    const c = { t: T0.getTime() };
    const daily = memoryLog({ store: new MemoryAuditStore(), signer: fakeSigner(), timestamper: down, now: () => new Date(c.t) });
    await daily.append(draft(0));
    c.t += DAY;
    await expect(daily.append(draft(1))).rejects.toMatchObject({ code: 'ERR_AUDIT_TIMESTAMP_UNAVAILABLE' });
    // A programming error of the stamper (not coded) fails even with 'without'.
    const broken: TimeStamper = { name: 'broken', timestamp: async () => Promise.reject(new Error('bug')) };
    const b = memoryLog({ signer: fakeSigner(), timestamper: broken, onTimestampFailure: 'without' });
    await b.append(draft(0));
    await expect(b.checkpoint()).rejects.toMatchObject({ code: 'ERR_AUDIT_TIMESTAMP_UNAVAILABLE', cause: { message: 'bug' } });

    const w = await stampedTrace({ stamper: down, onTimestampFailure: 'without' });
    expect(w.cp).toMatchObject({ code: 'ERR_FILE_UNREADABLE', reason: expect.stringContaining('horodatage RFC 3161 impossible') });
    expect(w.cp!.checkpoint).not.toHaveProperty('timestamp');
    const report = await w.log.verify({ verifier: fakeVerifier(), timeStampVerifier: fakeTimeStampVerifier() });
    expect(report).toMatchObject({ ok: true });
    expect(report.checkpointTimes).toEqual([
      { seq: 4, time: w.cp!.time, source: { kind: 'signer-clock', signedAt: T0.toISOString(), timestampError: 'ERR_FILE_UNREADABLE' } },
    ]);
  });

  it('the OCSF export keeps the token: its events rebuild and re-verify', async () => {
    const { log } = await stampedTrace();
    const out = await exportEvents(log.read(), { format: 'ocsf', ...parsePeriod('2026-03-20', '2026-03-21'), signer: fakeSigner(), now: () => later(DAY) });
    const records = JSON.parse(new TextDecoder().decode(out.data)) as { unmapped: { checkpoint?: { timestamp?: string } } }[];
    expect(records.filter((r) => r.unmapped.checkpoint?.timestamp !== undefined)).toHaveLength(1);
    const report = await verifyExport({ manifestBytes: out.manifestBytes, files: { [out.fileName]: out.data } });
    expect(report).toMatchObject({ ok: true, chain: 'verified' });
  });

  it('refuses a malformed timestamper, onTimestampFailure or verification clock (TypeError)', async () => {
    expect(() => memoryLog({ timestamper: {} as TimeStamper })).toThrow(TypeError);
    expect(() => memoryLog({ onTimestampFailure: 'b-b' as 'fail' })).toThrow(TypeError);
    await expect(verifyLog('', { now: 'now' as never })).rejects.toThrow(TypeError);
  });
});

describe('time-stamped checkpoints with @s3404/seal: the development PKI and TSA (AUD-2)', () => {
  it('a seal certificate expired years ago still verifies thanks to the token, in memory and from the file (witness too); without the token it fails', async () => {
    const { createDevelopmentPki } = await import('@s3404/seal/pki');
    const { createContentSigner, createContentVerifier, createDevelopmentTsa, createTimeStampVerifier } = await import('@s3404/seal');
    // Certificates valid 30 days from T0; the trace is verified three years later.
    const p = await createDevelopmentPki({ now: () => T0, random: seededRandom(21), validityDays: 30 });
    const now = (): Date => later(60_000);
    const tsa = await createDevelopmentTsa({ certificate: p.tsa.certificate, key: p.tsa.privateKey, now, random: seededRandom(22) });
    const signer = await createContentSigner({ key: p.seal.privateKey, certificate: p.seal.certificate, now });
    const years = (): Date => later(3 * 365 * DAY);
    const verifier = createContentVerifier({ trustAnchors: [p.ca.certificate], now: years });
    const timeStampVerifier = createTimeStampVerifier({ trust: [p.ca.certificate] });
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path }), signer, timestamper: tsa.stamper, now });
      for (let i = 0; i < 5; i++) await log.append(draft(i));
      const cp = (await log.checkpoint())!;
      await log.close();
      const report = await verifyLogFile(path, { verifier, timeStampVerifier, now: years });
      expect(report).toMatchObject({ ok: true, witnessStatus: 'used', signatures: { status: 'valid' } });
      expect(report.checkpointTimes).toEqual([
        { seq: 6, time: cp.time, source: { kind: 'tsa', genTime: now().toISOString(), tsa: expect.stringContaining('CN=') } },
      ]);
      // The witness file is the checkpoint's line, token included.
      expect(readFileSync(`${path}.checkpoint`, 'utf8')).toContain('"timestamp":"');
      // Without the TimeStampVerifier, the expired certificate fails the checkpoint.
      const without = await verifyLogFile(path, { verifier, now: years });
      expect(without).toMatchObject({
        ok: false,
        signatures: { status: 'invalid', code: 'ERR_CERT_EXPIRED' },
        damage: { code: 'ERR_AUDIT_CHECKPOINT_SIGNATURE' },
      });
      // A token under another TSA root is a bad token.
      const other = await createDevelopmentPki({ now: () => T0, random: seededRandom(23) });
      const foreign = await verifyLogFile(path, { verifier, timeStampVerifier: createTimeStampVerifier({ trust: [other.ca.certificate] }), now: years });
      expect(foreign).toMatchObject({ ok: false, damage: { seq: 6, code: 'ERR_AUDIT_CHECKPOINT_TIMESTAMP' } });
    });
    // The same trace without a timestamper: valid within the certificate's life, not after.
    const old = new MemoryAuditStore();
    const oldLog = memoryLog({ store: old, signer, now });
    await oldLog.append(draft(0));
    await oldLog.checkpoint();
    const bytes = await collect(old.lines());
    const soon = createContentVerifier({ trustAnchors: [p.ca.certificate], now: () => later(DAY) });
    expect(await verifyLog(bytes, { verifier: soon, timeStampVerifier, now: () => later(DAY) })).toMatchObject({
      ok: true,
      checkpointTimes: [{ source: { kind: 'signer-clock' } }],
    });
    expect(await verifyLog(bytes, { verifier, timeStampVerifier, now: years })).toMatchObject({ ok: false, signatures: { code: 'ERR_CERT_EXPIRED' } });
  });
});
