import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyLog } from '@s3404/audit';
import { nodeSha256 } from '@s3404/core/node';
import { FileAuditStore, verifyLogFile } from '@s3404/audit/file';
import { uuidV7Of, type ContentSigner } from '@s3404/core';
import { clock, collect, draft, memoryLog, prng, seededRandom, signer, verifier, withDir } from './helpers.js';
import { storeContract } from './store-contract.js';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

storeContract('file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 's3404-audit-file-'));
  const path = join(dir, 'audit', 'trace.jsonl');
  return {
    open: () => FileAuditStore.open({ path }),
    reopen: () => FileAuditStore.open({ path }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

const WORKER = fileURLToPath(new URL('./workers/append-worker.ts', import.meta.url));

function writer(
  path: string,
  count: number,
  concurrency: number,
  tag: string,
): { acks: Map<number, string>; done: Promise<number | null>; kill(): void; started: Promise<void> } {
  const child = spawn(process.execPath, ['--conditions=@s3404/source', '--import', 'tsx', WORKER, path, String(count), String(concurrency), tag], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const acks = new Map<number, string>();
  let buffer = '';
  let stderr = '';
  let resolveStarted!: () => void;
  const started = new Promise<void>((r) => (resolveStarted = r));
  child.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const l of lines) {
      const [, seq, hash] = l.split(' ');
      acks.set(Number(seq), hash!);
    }
    if (acks.size > 0) resolveStarted();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolveStarted();
      if (code !== 0 && code !== null) console.error(stderr);
      resolve(code);
    }),
  );
  return { acks, done, started, kill: () => child.kill('SIGKILL') };
}

/** A log on a file store in `dir`, English errors, on a fixed clock, and `made(n)`: a recent id (made at that clock) numbered `n`. */
async function recentIdLog(dir: string) {
  const path = join(dir, 'trace.jsonl');
  const c = clock();
  const made = (n: number): string => uuidV7Of(c.now().getTime(), new Uint8Array(16).fill(n));
  const log = memoryLog({ store: await FileAuditStore.open({ path, locale: 'en' }), sha256: nodeSha256, now: c.now, locale: 'en' });
  return { path, made, log };
}

describe('the JSON Lines file store (AUD-2)', () => {
  it('writes canonical lines that any line tool can read, and the checkpoint witness', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path }), signer: await signer(), sha256: nodeSha256 });
      for (let i = 0; i < 5; i++) await log.append(draft(i));
      const cp = (await log.checkpoint())!;
      await log.close();
      const text = readFileSync(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      expect(
        text
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { seq: number }).seq),
      ).toEqual([1, 2, 3, 4, 5, 6]);
      expect(JSON.parse(readFileSync(`${path}.checkpoint`, 'utf8'))).toMatchObject({ seq: cp.seq, hash: cp.hash });
      const report = await verifyLogFile(path, { verifier: await verifier() });
      expect(report).toMatchObject({ ok: true, witness: { seq: 6, hash: cp.hash }, signatures: { status: 'valid' } });
      // Truncated before the witnessed checkpoint: reported as a truncation.
      const lines = text.split('\n').filter(Boolean);
      writeFileSync(
        path,
        lines
          .slice(0, 4)
          .map((l) => `${l}\n`)
          .join(''),
      );
      expect((await verifyLogFile(path)).damage).toMatchObject({ kind: 'truncated', seq: 5, code: 'ERR_AUDIT_TRUNCATED' });
    });
  });

  it('finds a caller-given id anywhere in a file of several megabytes, a line across two reads included, and writes nothing then (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256 });
      const id = (n: number): string => `0192f1a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
      const n = 12_000;
      for (let from = 0; from < n; from += 1000) {
        await log.appendMany(Array.from({ length: 1000 }, (_, k) => ({ ...draft(from + k), reason: 'r'.repeat((from + k) % 97 || 1), id: id(from + k) })));
      }
      const bytes = readFileSync(path);
      expect(bytes.length).toBeGreaterThan(3 * 1024 * 1024);
      // The events whose line crosses a megabyte (where the store's reads end), the first and the last.
      const picks = [0, n - 1];
      let start = 0;
      for (let i = 0; i < n; i++) {
        const end = bytes.indexOf(0x0a, start) + 1;
        if (Math.floor(start / (1 << 20)) !== Math.floor((end - 1) / (1 << 20))) picks.push(i);
        start = end;
      }
      expect(picks.length).toBeGreaterThanOrEqual(5);
      for (const i of picks) {
        const again = await log.appendMany([{ ...draft(i), reason: 'r'.repeat(i % 97 || 1), id: id(i) }]);
        expect(again[0]).toMatchObject({ id: id(i), seq: i + 1 });
      }
      expect(readFileSync(path).length).toBe(bytes.length);
      await log.close();
    });
  });

  it('a line another program damaged after the store opened: reading it, or looking up an id on it, is ERR_AUDIT_LINE_INVALID, never a raw exception (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const store = await FileAuditStore.open({ path, locale: 'en' });
      const log = memoryLog({ store, sha256: nodeSha256 });
      const id = (n: number): string => `0192f1a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
      await log.appendMany(Array.from({ length: 6 }, (_, k) => ({ ...draft(k), id: id(k) })));
      const lines = readFileSync(path, 'utf8').split('\n');
      // Same lengths, so the store's size and head do not move: its line 2 no longer parses, its line 4 is JSON but
      // not an event (an array), its line 5 an event without a seq; the ids stay where they were.
      const damaged = [...lines];
      damaged[1] = `${lines[1]!.slice(0, -1)}]`;
      damaged[3] = `[${' '.repeat(lines[3]!.length - 2)}]`;
      damaged[4] = lines[4]!.replace('"seq":', '"sex":');
      expect(damaged.map((l) => l.length)).toEqual(lines.map((l) => l.length));
      writeFileSync(path, damaged.join('\n'));
      const read = async (): Promise<void> => {
        for await (const _ of store.read()) {
          // reads every event
        }
      };
      await expect(read()).rejects.toMatchObject({ name: 'AuditError', code: 'ERR_AUDIT_LINE_INVALID' });
      await expect(read()).rejects.toThrow(/trace\.jsonl/);
      for (const k of [1, 4]) {
        const e = await log.appendMany([{ ...draft(k), id: id(k) }]).catch((x: unknown) => x);
        expect(e, `line ${k + 1}`).toMatchObject({ name: 'AuditError', code: 'ERR_AUDIT_LINE_INVALID' });
      }
      // An id on no damaged line is still found and written once.
      expect((await log.appendMany([{ ...draft(2), id: id(2) }]))[0]).toMatchObject({ id: id(2), seq: 3 });
      expect(readFileSync(path, 'utf8')).toBe(damaged.join('\n'));
      await log.close();
    });
  });

  it('a stored line whose id was rewritten to another: a redelivery of that id is ERR_AUDIT_LINE_INVALID, never answered by the forged line (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path, locale: 'en' }), sha256: nodeSha256, locale: 'en' });
      const id = (n: number): string => `0192f1a0-0000-7000-8000-${String(n).padStart(12, '0')}`;
      await log.appendMany(Array.from({ length: 4 }, (_, k) => ({ ...draft(k), id: id(k) })));
      // Someone renames event 3's id to one a caller is about to deliver, so that the delivery finds it "already traced".
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.replace(id(2), id(9)));
      const e = await log.append({ ...draft(2), id: id(9) }).catch((x: unknown) => x);
      expect(e).toMatchObject({ name: 'AuditError', code: 'ERR_AUDIT_LINE_INVALID' });
      expect((e as Error).message).toMatch(/sequence 3/);
      expect(readFileSync(path, 'utf8')).toBe(text.replace(id(2), id(9)));
      await log.close();
    });
  });

  it('finds recent caller ids through its index — its own lines, another process’s, an id dated ahead, lines a purge moved — and older ones through the whole file (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const c = clock();
      const made = (n: number, ms = c.now().getTime()): string => uuidV7Of(ms, new Uint8Array(16).fill(n));
      const storeA = await FileAuditStore.open({ path });
      // Another process's log on the same file.
      const a = memoryLog({ store: storeA, sha256: nodeSha256, now: c.now, random: seededRandom(1) });
      const b = memoryLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256, now: c.now, random: seededRandom(2) });
      const old = made(1);
      const tracedOld = await a.append({ ...draft(1), id: old });
      // 40 minutes later: that id has left the index (made more than half an hour before the latest event).
      c.advance(40 * 60);
      const ahead = made(2, c.now().getTime() + 3_600_000);
      const tracedAhead = await a.append({ ...draft(2), id: ahead });
      const theirs = made(3);
      const tracedTheirs = await b.append({ ...draft(3), id: theirs });
      const mine = made(4);
      const tracedMine = await a.append({ ...draft(4), id: mine });
      // Each delivered again, through either store: answered with its event, nothing written.
      expect(await b.append({ ...draft(1), id: old })).toEqual(tracedOld);
      expect(await a.append({ ...draft(3), id: theirs })).toEqual(tracedTheirs);
      expect(await b.append({ ...draft(4), id: mine })).toEqual(tracedMine);
      expect(await a.append({ ...draft(2), id: ahead })).toEqual(tracedAhead);
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(4);
      // The first two events purged (retention): the kept lines moved to the start of the file, and are found there.
      expect(await storeA.purge(2)).toBe(2);
      expect(await a.append({ ...draft(4), id: mine })).toEqual(tracedMine);
      expect(await a.append({ ...draft(3), id: theirs })).toEqual(tracedTheirs);
      // A purged id is no longer held: delivered again, it is a new event.
      expect(await a.append({ ...draft(2), id: ahead })).toMatchObject({ id: ahead, seq: 5 });
      expect(readFileSync(path, 'utf8').trim().split('\n')).toHaveLength(3);
      await a.close();
      await b.close();
    });
  });

  it('past the index’s 100,000 ids, the oldest leave it and are found through the whole file; an id dated a day ahead does not stop the index answering (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const c = clock();
      // All made in the same minute: only the index's size makes ids leave it.
      const made = (n: number, ms = c.now().getTime()): string =>
        uuidV7Of(
          ms,
          Uint8Array.from({ length: 16 }, (_, k) => (n >>> (8 * (k % 4))) & 0xff),
        );
      const log = memoryLog({ store: await FileAuditStore.open({ path, sync: 'none', locale: 'en' }), sha256: nodeSha256, now: c.now, locale: 'en' });
      // First, an id from an emitter whose clock is a day ahead: indexed, it would hold the index's cutoff a day ahead once
      // the index is full, and every later lookup would read the whole file.
      const ahead = made(1 << 30, c.now().getTime() + 86_400_000);
      const tracedAhead = await log.append({ ...draft(7), id: ahead });
      const n = 100_500;
      for (let from = 0; from < n; from += 10_000) {
        await log.appendMany(Array.from({ length: Math.min(10_000, n - from) }, (_, k) => ({ ...draft(from + k), id: made(from + k) })));
      }
      for (const i of [0, 499, 500, n - 1]) expect((await log.appendMany([{ ...draft(i), id: made(i) }]))[0]).toMatchObject({ id: made(i), seq: i + 2 });
      expect(await log.append({ ...draft(7), id: ahead })).toEqual(tracedAhead);
      // The index still answers for recent ids: a line renamed on disk to the id about to be delivered is not consulted
      // (read through the whole file, the renamed line would refuse the delivery, ERR_AUDIT_LINE_INVALID).
      // (Made a second later: the ids of the day's first second, made when those that left were, are looked for in the file.)
      c.advance(1);
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.replace(made(n - 2, c.now().getTime() - 1000), made(n + 7)));
      expect(await log.append({ ...draft(3), id: made(n + 7) })).toMatchObject({ id: made(n + 7), seq: n + 2 });
      await log.close();
    });
  });

  it('past 10,000 ids dated ahead, those let go are found through the whole file, never reported absent (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const c = clock();
      const ahead = (n: number): string =>
        uuidV7Of(
          c.now().getTime() + 86_400_000 + n,
          Uint8Array.from({ length: 16 }, (_, k) => (n >>> (8 * (k % 4))) & 0xff),
        );
      const log = memoryLog({ store: await FileAuditStore.open({ path, sync: 'none' }), sha256: nodeSha256, now: c.now });
      const n = 10_050;
      for (let from = 0; from < n; from += 5_000) {
        await log.appendMany(Array.from({ length: Math.min(5_000, n - from) }, (_, k) => ({ ...draft(from + k), id: ahead(from + k) })));
      }
      const size = readFileSync(path).length;
      for (const i of [0, 49, 50, n - 1]) expect((await log.appendMany([{ ...draft(i), id: ahead(i) }]))[0]).toMatchObject({ id: ahead(i), seq: i + 1 });
      expect(readFileSync(path).length).toBe(size);
      await log.close();
    });
  });

  it('a line renamed on disk to a recent id being delivered does not suppress it: the store knows its lines as written, and verifyLog reports the edit (AUD-2)', async () => {
    await withDir(async (dir) => {
      const { path, made, log } = await recentIdLog(dir);
      await log.appendMany([1, 2, 3].map((n) => ({ ...draft(n), id: made(n) })));
      // Event 2's id renamed to the one a caller is about to deliver, so that the delivery would find it "already traced".
      writeFileSync(path, readFileSync(path, 'utf8').replace(made(2), made(9)));
      expect(await log.append({ ...draft(2), id: made(9) })).toMatchObject({ id: made(9), seq: 4 });
      const report = await verifyLogFile(path);
      expect(report.ok).toBe(false);
      expect(report.damage).toMatchObject({ seq: 2 });
      await log.close();
    });
  });

  it('lines moved behind the store’s back — two swapped, bytes inserted before them — never let an indexed offset answer for another id (AUD-2)', async () => {
    await withDir(async (dir) => {
      const { path, made, log } = await recentIdLog(dir);
      // The same draft under five ids: lines of one length (a single-digit seq), so that a swap keeps every size.
      const traced = await log.appendMany([1, 2, 3, 4, 5].map((n) => ({ ...draft(1), id: made(n) })));
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
      expect(new Set(lines.map((l) => l.length)).size).toBe(1);
      // Lines 2 and 3 swapped: the file keeps its size and its last line, so the store does not read it again, and
      // the index's offset of id 2 now starts id 3's line.
      const swapped = `${[lines[0], lines[2], lines[1], lines[3], lines[4]].join('\n')}\n`;
      writeFileSync(path, swapped);
      // Each delivered again: answered with its own event (found where it now is), nothing written.
      expect(await log.append({ ...draft(1), id: made(2) })).toEqual(traced[1]);
      expect(await log.append({ ...draft(1), id: made(3) })).toEqual(traced[2]);
      // Delivered again as another action: refused as a reused id, by its own line's action, nothing written.
      await expect(log.append({ ...draft(2), id: made(3) })).rejects.toMatchObject({ code: 'ERR_AUDIT_ID_REUSED' });
      expect(readFileSync(path, 'utf8')).toBe(swapped);
      expect((await verifyLogFile(path)).ok).toBe(false);
      // A line inserted before them (a copy of line 1): every later offset is off by one line, and the file grew. The
      // store reads what it takes for new lines — a copy of the last one — and refuses: nothing written, nothing answered.
      const inserted = `${[lines[0], lines[0], lines[2], lines[1], lines[3], lines[4]].join('\n')}\n`;
      writeFileSync(path, inserted);
      for (const n of [2, 4, 5, 6]) {
        const e = await log.append({ ...draft(1), id: made(n) }).catch((x: unknown) => x);
        expect(e, `id ${n}`).toMatchObject({ name: 'AuditError', code: 'ERR_AUDIT_CHAIN_BROKEN' });
      }
      expect(readFileSync(path, 'utf8')).toBe(inserted);
      await log.close();
    });
  });

  it('a checkpoint written to the trace is not reported failed when its witness cannot be written; verify then says so', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path }), signer: await signer(), sha256: nodeSha256 });
      for (let i = 0; i < 3; i++) await log.append(draft(i));
      // Where the witness goes, something the store cannot replace (a full disk, a file left by another user).
      mkdirSync(`${path}.checkpoint`);
      writeFileSync(join(`${path}.checkpoint`, 'keep'), 'x');
      const cp = await log.checkpoint();
      expect(cp).toMatchObject({ seq: 4, action: 'audit.checkpoint' });
      // The event is in the trace once, and the log goes on after it.
      expect((await log.append(draft(9))).seq).toBe(5);
      await log.close();
      expect(readFileSync(path, 'utf8').trimEnd().split('\n')).toHaveLength(5);
      expect(await verifyLogFile(path)).toMatchObject({ ok: false, lastSeq: 5, damage: null, witnessStatus: 'invalid' });
      // Room again: the next checkpoint writes it.
      rmSync(`${path}.checkpoint`, { recursive: true });
      const again = memoryLog({ store: await FileAuditStore.open({ path }), signer: await signer(), sha256: nodeSha256 });
      const next = (await again.checkpoint())!;
      await again.close();
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, witness: { seq: next.seq }, witnessStatus: 'used' });
    });
  });

  it('a witness that is not the line of a checkpoint is reported — an issue, witnessStatus invalid — never ignored silently', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path }), signer: await signer(), sha256: nodeSha256 });
      for (let i = 0; i < 5; i++) await log.append(draft(i));
      await log.checkpoint();
      for (let i = 5; i < 8; i++) await log.append(draft(i));
      await log.close();
      const good = readFileSync(`${path}.checkpoint`, 'utf8');
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, witness: { seq: 6 }, witnessStatus: 'used', issues: [] });
      const lines = readFileSync(path, 'utf8').split('\n');
      const cp = JSON.parse(good) as { seq: number; hash: string };
      for (const garbage of [
        'garbage',
        '',
        `${lines[2]}\n`, // a line of the trace, not a checkpoint
        good.replace(cp.hash, 'f'.repeat(64)), // its hash no longer matches its content
        `{"seq":${cp.seq},"hash":"${cp.hash}"}\n`, // the two fields the old reader took, nothing else
        `${good}${good}`,
      ]) {
        writeFileSync(`${path}.checkpoint`, garbage);
        const report = await verifyLogFile(path, { locale: 'en' });
        expect(report, JSON.stringify(garbage.slice(0, 40))).toMatchObject({ ok: false, damage: null, witness: null, witnessStatus: 'invalid', lastSeq: 9 });
        expect(report.issues).toEqual([
          { code: 'ERR_AUDIT_WITNESS_INVALID', path: ['witness'], message: expect.stringMatching(/^Unreadable truncation witness: /) },
        ]);
      }
      rmSync(`${path}.checkpoint`);
      mkdirSync(`${path}.checkpoint`);
      expect(await verifyLogFile(path)).toMatchObject({ ok: false, witnessStatus: 'invalid' });
      rmSync(`${path}.checkpoint`, { recursive: true });
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, witness: null, witnessStatus: 'absent' });
      writeFileSync(`${path}.checkpoint`, 'garbage');
      expect(await verifyLogFile(path, { witness: false })).toMatchObject({ ok: true, witnessStatus: 'not-read' });
      expect(await verifyLogFile(path, { expect: { seq: 9, hash: (await verifyLogFile(path, { witness: false })).head! } })).toMatchObject({
        ok: true,
        witnessStatus: 'not-read',
        witness: { seq: 9 },
      });
    });
  });

  it('a torn last line is reported, then set aside and recorded by the next append — never silently dropped', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path }) });
      for (let i = 0; i < 10; i++) await log.append(draft(i));
      await log.close();
      const full = readFileSync(path, 'utf8');
      const cut = full.length - 57;
      truncateSync(path, cut);
      const torn = await verifyLogFile(path);
      expect(torn).toMatchObject({ ok: false, lastSeq: 9, damage: { kind: 'truncated', seq: 10, code: 'ERR_AUDIT_TORN_TAIL' } });
      expect(torn.tornTail?.bytes).toBe(cut - full.lastIndexOf('\n', full.length - 2) - 1);
      const again = memoryLog({ store: await FileAuditStore.open({ path }) });
      const e = await again.append(draft(11));
      await again.close();
      const aside = readdirSync(dir).find((f) => f.startsWith('trace.jsonl.torn-'))!;
      expect(readFileSync(join(dir, aside), 'utf8')).toBe(full.slice(full.lastIndexOf('\n', full.length - 2) + 1, cut));
      const report = await verifyLogFile(path);
      expect(report).toMatchObject({ ok: true, lastSeq: 11 });
      const lines = readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { action: string; code?: string; count?: number });
      expect(lines[9]).toMatchObject({ action: 'audit.recovered', code: 'ERR_AUDIT_TORN_TAIL', count: torn.tornTail!.bytes });
      expect(e.seq).toBe(11);
    });
  });

  it('a torn tail set aside by a process that stopped before its next append is still recorded, once, by the next append of any handle (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const log = memoryLog({ store: await FileAuditStore.open({ path }) });
      await log.appendMany([draft(1), draft(2), draft(3)]);
      await log.close();
      const full = readFileSync(path);
      const other = await FileAuditStore.open({ path }); // a handle opened earlier, by another process
      truncateSync(path, full.length - 30); // a crash tore the last line
      // A process opens the trace (setting the torn tail aside), then stops before appending anything.
      await (await FileAuditStore.open({ path })).close();
      expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).toHaveLength(1);
      // A fresh handle and the earlier one: whichever appends first records the recovery.
      const fresh = await FileAuditStore.open({ path });
      expect((await fresh.head()).recovered).toMatchObject({
        offset: full.lastIndexOf('\n', full.length - 2) + 1,
        file: expect.stringMatching(/^trace\.jsonl\.torn-/),
      });
      await fresh.close();
      const again = memoryLog({ store: other });
      expect((await again.appendMany([draft(4)])).map((e) => e.seq)).toEqual([4]);
      await again.append(draft(5));
      await again.close();
      const events = readFileSync(path, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as { seq: number; action: string; code?: string; count?: number });
      expect(events.map((e) => e.action).filter((a) => a === 'audit.recovered')).toHaveLength(1);
      expect(events[2]).toMatchObject({ seq: 3, action: 'audit.recovered', code: 'ERR_AUDIT_TORN_TAIL' });
      expect(events[2]!.count).toBe(full.length - 30 - full.lastIndexOf('\n', full.length - 2) - 1);
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, lastSeq: 5 });
    });
  });

  it('a last line that lost only its newline (a whole, sealed, witnessed checkpoint) is completed on reopen, never set aside: the trace still verifies (AUD-2)', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const fixed: ContentSigner = { subject: 'CN=test', sign: async (content) => Uint8Array.from([0x30, content.length & 0xff, 1, 2, 3]) };
      const options = { sha256: nodeSha256, signer: fixed, dailyCheckpoints: false };
      const log = memoryLog({ store: await FileAuditStore.open({ path }), ...options });
      await log.appendMany([draft(1), draft(2), draft(3)]);
      const checkpoint = await log.checkpoint();
      await log.close();
      const full = readFileSync(path);
      writeFileSync(path, full.subarray(0, full.length - 1)); // an editor that strips the final newline
      expect(await verifyLogFile(path)).toMatchObject({ ok: false, damage: { kind: 'truncated', seq: 4 } });
      const again = memoryLog({ store: await FileAuditStore.open({ path }), ...options });
      expect((await again.appendMany([draft(4)])).map((e) => e.seq)).toEqual([5]);
      await again.close();
      expect(readdirSync(dir).some((f) => f.includes('.torn-'))).toBe(false);
      const text = readFileSync(path, 'utf8');
      expect(text.startsWith(full.toString('utf8'))).toBe(true);
      expect(JSON.parse(text.split('\n')[3]!)).toMatchObject({ seq: 4, hash: checkpoint!.hash });
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, lastSeq: 5, witnessStatus: 'used' });
      // A tail that is no whole event of the chain (a torn line, a line that does not continue it) is still set aside.
      const lines = text.trimEnd().split('\n');
      writeFileSync(path, `${lines.slice(0, 4).join('\n')}\n${lines[2]}`);
      const third = memoryLog({ store: await FileAuditStore.open({ path }), ...options });
      expect((await third.append(draft(5))).seq).toBe(6);
      await third.close();
      expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).toHaveLength(1);
      expect(await verifyLogFile(path)).toMatchObject({ ok: true, lastSeq: 6 });
    });
  });

  it('4 processes appending to one file at once make one intact chain with every acknowledged event', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const writers = [0, 1, 2, 3].map((k) => writer(path, 400, 8, `w${k}`));
      expect(await Promise.all(writers.map((w) => w.done))).toEqual([0, 0, 0, 0]);
      const report = await verifyLogFile(path);
      expect(report).toMatchObject({ ok: true, firstSeq: 1, lastSeq: 1600 });
      const stored = new Map(
        readFileSync(path, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const e = JSON.parse(l) as { seq: number; hash: string };
            return [e.seq, e.hash] as const;
          }),
      );
      for (const w of writers) for (const [seq, hash] of w.acks) expect(stored.get(seq)).toBe(hash);
    });
  }, 120_000);

  const trials = Number(process.env['S3404_CRASH_TRIALS'] ?? 12);
  it(`${trials} SIGKILLs of a writer during appends: every acknowledged event is there; the log verifies or reports exactly the torn tail`, async () => {
    await withDir(async (dir) => {
      const random = prng(2026);
      let torn = 0;
      let recovered = 0;
      for (let t = 0; t < trials; t++) {
        const path = join(dir, `trace-${t}.jsonl`);
        // Some history first, so kills land on a non-empty file.
        const w = writer(path, 100_000, 1 + Math.floor(random() * 64), `t${t}`);
        await w.started;
        await new Promise((r) => setTimeout(r, Math.floor(random() * 60)));
        w.kill();
        await w.done;
        const acks = new Map(w.acks);
        const report = await verifyLogFile(path);
        const text = readFileSync(path);
        const lines = text.toString('utf8').split('\n');
        const tail = lines.pop()!;
        const stored = new Map(
          lines.map((l) => {
            const e = JSON.parse(l) as { seq: number; hash: string };
            return [e.seq, e.hash] as const;
          }),
        );
        for (const [seq, hash] of acks) expect(stored.get(seq), `trial ${t} seq ${seq}`).toBe(hash);
        if (tail === '') {
          expect(report, `trial ${t}`).toMatchObject({ ok: true, lastSeq: lines.length });
        } else {
          torn++;
          expect(report.damage, `trial ${t}`).toMatchObject({ kind: 'truncated', code: 'ERR_AUDIT_TORN_TAIL', seq: lines.length + 1 });
          expect(report.tornTail).toEqual({ offset: text.length - Buffer.byteLength(tail), bytes: Buffer.byteLength(tail) });
        }
        // Reopening recovers: a new append (on the writer's clock), and the log is intact.
        const log = memoryLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256, now: () => new Date() });
        await log.append(draft(t));
        await log.close();
        const after = await verifyLogFile(path);
        expect(after.ok, `trial ${t}`).toBe(true);
        if (tail !== '') {
          recovered++;
          expect(existsSync(`${path}.torn-${text.length - Buffer.byteLength(tail)}`)).toBe(true);
        }
      }
      console.log(`crash trials: ${trials}, torn tails: ${torn}, recovered: ${recovered}`);
    });
  }, 600_000);

  it('keeps the store contract: file system failures are kind unavailable with the cause; close() is idempotent', async () => {
    await withDir(async (dir) => {
      const path = join(dir, 'trace.jsonl');
      const store = await FileAuditStore.open({ path, locale: 'en' });
      const log = memoryLog({ store });
      for (let i = 0; i < 3; i++) await log.append(draft(i));
      mkdirSync(`${path}.purge-${process.pid}`);
      const e = await store.purge(1).catch((x: unknown) => x);
      expect(e).toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable', cause: { code: 'EISDIR' } });
      expect((e as Error).message).toMatch(/^Trace store unavailable: /);
      expect((await verifyLogFile(path)).lastSeq).toBe(3);
      rmSync(dir, { recursive: true, force: true });
      const readAll = async (): Promise<void> => {
        for await (const _ of store.read());
      };
      await expect(readAll()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE', cause: { code: 'ENOENT' } });
      await expect(store.head()).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE', kind: 'unavailable' });
      await log.close();
      await store.close();
      await expect(store.head()).rejects.toMatchObject({ code: 'ERR_AUDIT_CLOSED', kind: 'unavailable' });
    });
  });

  it('refuses a file it cannot use with a coded error; verifyLog of a file never throws on garbage', async () => {
    await withDir(async (dir) => {
      await expect(FileAuditStore.open({ path: join(dir, 'x', '\0bad') })).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
      await expect(verifyLogFile(join(dir, 'missing.jsonl'))).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
      // A folder (or a device) given as the trace: the caller's mistake, kind input — not a raw EISDIR.
      await expect(verifyLogFile(dir)).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE', kind: 'input' });
      if (existsSync('/dev/null')) await expect(verifyLogFile('/dev/null')).rejects.toMatchObject({ code: 'ERR_FILE_UNREADABLE' });
      // A store never walks a pseudo file system's endless mkdir: refused, in bounded time.
      if (existsSync('/proc/self'))
        await expect(FileAuditStore.open({ path: '/proc/s3404-x/y/trace.jsonl' })).rejects.toMatchObject({ code: 'ERR_AUDIT_STORE_UNAVAILABLE' });
      const path = join(dir, 'g.jsonl');
      appendFileSync(path, Buffer.from([0xff, 0xfe, 0x0a, 0x7b, 0x0a]));
      expect((await verifyLogFile(path)).damage).toMatchObject({ kind: 'modified', code: 'ERR_AUDIT_ENCODING' });
      expect(
        (
          await verifyLog(
            await collect(
              (async function* () {
                yield new Uint8Array(0);
              })(),
            ),
          )
        ).ok,
      ).toBe(true);
    });
  });
});

describe('a file whose lines are longer than any event (issue 19)', () => {
  it('is refused ERR_AUDIT_LINE_INVALID as it is: never gathered whole in memory, moved aside or replaced by a new trace', async () => {
    await withDir(async (dir) => {
      /** Opens a log on `path` and appends: the refusal's code, from the open or the append. */
      const appendTo = async (path: string): Promise<unknown> => {
        try {
          const log = memoryLog({ store: await FileAuditStore.open({ path, locale: 'en' }), sha256: nodeSha256, locale: 'en' });
          try {
            await log.append(draft(2));
          } finally {
            await log.close().catch(() => undefined);
          }
          return 'appended';
        } catch (e) {
          return (e as { code?: string }).code;
        }
      };
      // A trace of two events, then 64 MiB without a newline (a sparse run of zero bytes: another program's file,
      // garbage). Before: the store gathered it whole, set it aside as a torn write and truncated the trace to it.
      const path = join(dir, 'trace.jsonl');
      const first = memoryLog({ store: await FileAuditStore.open({ path }), sha256: nodeSha256 });
      await first.append(draft(0));
      await first.append(draft(1));
      await first.close();
      const traced = readFileSync(path);
      truncateSync(path, traced.length + 64 * 1024 * 1024);
      const started = Date.now();
      expect(await appendTo(path)).toBe('ERR_AUDIT_LINE_INVALID');
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).toEqual([]);
      expect(readFileSync(path).length).toBe(traced.length + 64 * 1024 * 1024);
      expect(readFileSync(path).subarray(0, traced.length).equals(traced)).toBe(true);
      // A whole file without a newline, as \`s3404 audit checkpoint\` once got: the same.
      const other = join(dir, 'not-a-trace.bin');
      writeFileSync(other, '');
      truncateSync(other, 32 * 1024 * 1024);
      expect(await appendTo(other)).toBe('ERR_AUDIT_LINE_INVALID');
      expect(readdirSync(dir).filter((f) => f.includes('.torn-'))).toEqual([]);
      // A long line with its newline, in the middle of a trace: refused as soon as it is read, not gathered whole.
      const long = join(dir, 'long-line.jsonl');
      writeFileSync(long, `${'x'.repeat(3 * 1024 * 1024)}\n`);
      expect(await appendTo(long)).toBe('ERR_AUDIT_LINE_INVALID');
    });
  });
});
