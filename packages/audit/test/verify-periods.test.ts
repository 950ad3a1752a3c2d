import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyLog, verifyLogInPeriods, type AuditEventDraft, type VerifyReport } from '@s3404/audit';
import { verifyLogFile } from '@s3404/audit/file';
import { MemoryAuditStore } from '@s3404/audit/memory';
import type { ContentSigner } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { at, clock, collect, draft, memoryLog, signer, verifier, withDir } from './helpers.js';

/** Signs with fixed bytes: checkpoints without a verifier are reported `unchecked`, which is all these tests need. */
const fakeSigner: ContentSigner = { subject: 'CN=test', sign: async (content) => Uint8Array.from([0x30, content.length & 0xff, 1, 2, 3]) };

interface Built {
  readonly lines: string[];
  /** Index of the first line and of the checkpoint line of each period, and where the unsealed tail starts. */
  readonly periods: { first: number; checkpoint: number }[];
  readonly tail: number;
}

/** A trace of `periods` checkpointed periods of `size` events, then `tail` unsealed events. */
async function build(
  periods: number,
  size: number,
  tail: number,
  options: { signer?: ContentSigner; times?: (i: number) => string | undefined; skew?: number } = {},
): Promise<Built> {
  const store = new MemoryAuditStore({ sha256: nodeSha256 });
  const c = clock();
  const log = memoryLog({
    store,
    signer: options.signer ?? fakeSigner,
    dailyCheckpoints: false,
    now: c.now,
    sha256: nodeSha256,
    clockSkewSeconds: options.skew ?? 300,
  });
  let n = 0;
  const next = (count: number): AuditEventDraft[] =>
    Array.from({ length: count }, () => {
      const i = n++;
      c.advance(1);
      const time = options.times?.(i);
      return time === undefined ? draft(i) : { ...draft(i), time };
    });
  const marks: { first: number; checkpoint: number }[] = [];
  let line = 0;
  for (let p = 0; p < periods; p++) {
    const first = line;
    await log.appendMany(next(size));
    line += size;
    await log.checkpoint();
    marks.push({ first, checkpoint: line });
    line++;
  }
  await log.appendMany(next(tail));
  const text = Buffer.from(await collect(store.lines())).toString('utf8');
  await log.close();
  const lines = text.split('\n');
  lines.pop();
  return { lines, periods: marks, tail: line };
}

const bytes = (lines: readonly string[]): Uint8Array => Buffer.from(lines.map((l) => `${l}\n`).join(''));

type Tamper = (lines: string[], i: number) => string[];
const TAMPERS: Record<'edited' | 'deleted' | 'reordered', Tamper> = {
  edited: (lines, i) => lines.map((l, k) => (k === i ? l.replace('"personId":"', '"personId":"x') : l)),
  deleted: (lines, i) => lines.filter((_, k) => k !== i),
  reordered: (lines, i) => lines.map((l, k) => (k === i ? lines[i + 1]! : k === i + 1 ? lines[i]! : l)),
};

/** The parts of a report that hold no function (the Issue messages included). */
const plain = (r: VerifyReport): unknown => JSON.parse(JSON.stringify(r));

describe('verification in periods: the verdicts of the serial verification (AUD-2)', () => {
  it('gives the same report on an intact trace, for any number of segments', async () => {
    const b = await build(9, 23, 37);
    const data = bytes(b.lines);
    const serial = await verifyLog(data, { sha256: nodeSha256 });
    expect(serial).toMatchObject({ ok: true, events: 9 * 24 + 37, checkpoints: 9, unsealed: 37 });
    for (const segments of [1, 2, 3, 5, 8, 40]) {
      expect(plain(await verifyLogInPeriods(data, { segments, sha256: nodeSha256 })), `${segments} segments`).toEqual(plain(serial));
    }
    // Without checkpoints, only the unsealed tail: cut anywhere.
    const bare = bytes((await build(0, 0, 300)).lines);
    expect(plain(await verifyLogInPeriods(bare, { segments: 6 }))).toEqual(plain(await verifyLog(bare)));
  });

  it('names the same damage for a line edited, deleted or reordered in each period and in the tail', async () => {
    const b = await build(6, 15, 20);
    let cases = 0;
    for (const [kind, tamper] of Object.entries(TAMPERS)) {
      const spots = [...b.periods.flatMap((p) => [p.first + 7, p.checkpoint, p.first]), b.tail + 5];
      for (const i of spots) {
        const data = bytes(tamper([...b.lines], i));
        const serial = await verifyLog(data);
        expect(serial.ok, `${kind} line ${i}`).toBe(false);
        for (const segments of [3, 7]) {
          expect(plain(await verifyLogInPeriods(data, { segments })), `${kind} line ${i}, ${segments} segments`).toEqual(plain(serial));
        }
        cases++;
      }
    }
    expect(cases).toBe(3 * (6 * 3 + 1));
  });

  it('finds an event backdated across a seam, and a witnessed head that was cut off (expect)', async () => {
    // The event that starts the last of 4 segments (a cut in the unsealed tail), dated an hour before the
    // trace: only the seam can see it. Written with a large skew, so the log accepts it; verified with 300 s.
    const plainTrace = await build(6, 10, 40);
    const size = bytes(plainTrace.lines).length;
    let offset = 0;
    let cutLine = 0;
    while (offset < Math.floor((3 * size) / 4)) offset += Buffer.byteLength(plainTrace.lines[cutLine++]!) + 1;
    expect(cutLine).toBeGreaterThan(plainTrace.tail);
    const backdated = cutLine - 6; // the draft of that line: 6 checkpoints before it
    const b = await build(6, 10, 40, { skew: 10 ** 7, times: (i) => (i === backdated ? at(-3600).toISOString() : undefined) });
    const data = bytes(b.lines);
    expect(data.length).toBe(size);
    const serial = await verifyLog(data);
    expect(serial.damage).toMatchObject({ kind: 'backdated', code: 'ERR_AUDIT_TIME_BACKWARDS', line: cutLine + 1 });
    for (const segments of [4, 2, 6, 9]) expect(plain(await verifyLogInPeriods(data, { segments })), `${segments} segments`).toEqual(plain(serial));
    // The same trace verifies with the skew it was written with.
    expect((await verifyLogInPeriods(data, { segments: 4, clockSkewSeconds: 10 ** 7 })).ok).toBe(true);
    const intact = await build(4, 10, 10);
    const last = JSON.parse(intact.lines.at(-1)!) as { seq: number; hash: string };
    const cut = bytes(intact.lines.slice(0, -3));
    const expectHead = { seq: last.seq, hash: last.hash };
    const serialCut = await verifyLog(cut, { expect: expectHead });
    expect(serialCut.damage).toMatchObject({ code: 'ERR_AUDIT_TRUNCATED' });
    expect(plain(await verifyLogInPeriods(cut, { segments: 5, expect: expectHead }))).toEqual(plain(serialCut));
  });

  it('checks the real checkpoint signatures once each, in order, as the serial verification does', async () => {
    const b = await build(5, 12, 9, { signer: await signer() });
    const data = bytes(b.lines);
    const v = await verifier();
    const serial = await verifyLog(data, { verifier: v });
    expect(serial).toMatchObject({ ok: true, checkpoints: 5, signatures: { status: 'valid' } });
    expect(serial.checkpointTimes).toHaveLength(5);
    expect(plain(await verifyLogInPeriods(data, { verifier: v, segments: 4 }))).toEqual(plain(serial));
    // A checkpoint signature that does not hold: the serial report, its line and all.
    const bad = b.lines.map((l, k) => (k === b.periods[2]!.checkpoint ? l : l));
    const forged = await verifyLog(bytes(bad), { verifier: v, now: () => at(-86400 * 400) });
    expect(forged.ok).toBe(false);
    expect(plain(await verifyLogInPeriods(bytes(bad), { verifier: v, now: () => at(-86400 * 400), segments: 4 }))).toEqual(plain(forged));
  }, 60_000);

  it('verifies a trace that starts at the checkpoint of a retention purge, with its evidence', async () => {
    const store = new MemoryAuditStore({ sha256: nodeSha256 });
    const c = clock();
    const log = memoryLog({ store, signer: fakeSigner, dailyCheckpoints: false, now: c.now, sha256: nodeSha256 });
    let n = 0;
    for (let p = 0; p < 4; p++) {
      for (let i = 0; i < 10; i++) {
        c.advance(60);
        await log.append(draft(n++));
      }
      await log.checkpoint();
    }
    const before = new Date(c.now().getTime() - 5 * 60_000);
    c.advance(25 * 31 * 86400);
    for (let p = 0; p < 4; p++) {
      await log.appendMany(Array.from({ length: 10 }, () => draft(n++)));
      await log.checkpoint();
    }
    const purged = await log.purge({ before });
    expect(purged.purged).toBeGreaterThan(0);
    await log.appendMany(Array.from({ length: 15 }, () => draft(n++)));
    const data = await collect(store.lines());
    await log.close();
    const serial = await verifyLog(data);
    expect(serial).toMatchObject({ ok: true, start: 'checkpoint', purge: { sealedBy: expect.any(Number) } });
    for (const segments of [2, 3, 6]) expect(plain(await verifyLogInPeriods(data, { segments }))).toEqual(plain(serial));
    await expect(verifyLogInPeriods(data, { segments: 0 })).rejects.toThrow(TypeError);
  });

  it('a trace file removed while it is verified, on threads or one: ERR_AUDIT_STORE_UNAVAILABLE with the cause, never the raw file system error', async () => {
    await withDir(async (dir) => {
      const b = bytes((await build(8, 400, 100)).lines);
      const outcomes = new Set<string>();
      for (let t = 0; t < 8; t++) {
        const path = join(dir, `gone-${t}.jsonl`);
        writeFileSync(path, b);
        const verifying = verifyLogFile(path, { threads: t % 2 === 0 ? 2 : 1, witness: false }).then(
          (r) => `report ${r.ok}`,
          (e: unknown) => {
            expect(e).toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable', params: { detail: path }, cause: { code: 'ENOENT' } });
            return 'coded';
          },
        );
        await new Promise((r) => setTimeout(r, t));
        rmSync(path);
        outcomes.add(await verifying);
      }
      expect(outcomes.has('coded')).toBe(true);
    });
  });

  it('verifies a trace file on worker threads with the verdict of one thread, intact and damaged', async () => {
    await withDir(async (dir) => {
      const b = await build(8, 40, 60);
      const cases: [string, string[]][] = [
        ['intact', b.lines],
        ['edited', TAMPERS.edited([...b.lines], b.periods[5]!.first + 3)],
        ['reordered', TAMPERS.reordered([...b.lines], b.periods[2]!.checkpoint)],
        ['deleted', TAMPERS.deleted([...b.lines], b.tail + 30)],
      ];
      for (const [name, lines] of cases) {
        const path = join(dir, `${name}.jsonl`);
        writeFileSync(path, bytes(lines));
        const one = await verifyLogFile(path, { threads: 1 });
        const two = await verifyLogFile(path, { threads: 2 });
        expect(one.ok, name).toBe(name === 'intact');
        expect(plain(two), name).toEqual(plain(one));
      }
      await expect(verifyLogFile(join(dir, 'intact.jsonl'), { threads: 0 })).rejects.toThrow(TypeError);
    });
  }, 90_000);
});
