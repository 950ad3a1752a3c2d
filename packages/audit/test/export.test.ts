import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '@s3404/core';
import { CSV_COLUMNS, exportEvents, exportMimeType, parsePeriod, verifyExport, type AuditEvent, type ExportFormat, type ExportResult } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { createContentSigner } from '@s3404/seal';
import { csvRecord, parseCsv } from '../src/export/csv.js';
import { at, clock, collect, draft, memoryLog, opensslVerify, pki, prng, run, signer, verifier, withDir, write } from './helpers.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
const PSEUDONYM_KEY = new Uint8Array(32).fill(9);
const PERIOD = parsePeriod('2026-03-21', '2026-03-22'); // two whole UTC days
const inPeriod = (e: AuditEvent): boolean => e.time >= PERIOD.from.toISOString() && e.time < PERIOD.to.toISOString();

/** ~100 events over five days, with daily checkpoints, hostile texts, a NIR and a back-dated event. */
async function buildLog() {
  const store = new MemoryAuditStore();
  const c = clock(new Date('2026-03-20T08:00:00.000Z'));
  // A late entry two days and a half back: allowed by the log's clock skew (the default is 5 minutes).
  const log = memoryLog({
    store,
    now: c.now,
    signer: await signer(),
    origin: 'finess:750300360',
    pseudonymKey: PSEUDONYM_KEY,
    clockSkewSeconds: 3 * 86400,
  });
  for (let i = 0; i < 100; i++) {
    c.advance(3600);
    const d = draft(i);
    if (i === 30) await log.append({ ...d, reason: 'refusé, le patient a dit "non"' });
    else if (i === 31)
      await log.append({
        ...d,
        actor: { ...d.actor, personId: '@prat-9', terminalId: '+tablette' },
        subject: { ...d.subject, lotId: '-lot-1', invoiceNumber: '=F-12' },
        reason: '=HYPERLINK("http://x","clic")',
      });
    else if (i === 32) await log.append({ ...d, reason: 'NIR 1850575123456 présenté' });
    else if (i === 33) await log.append({ ...d, time: '2026-03-19T10:00:00.000Z', reason: 'saisie tardive' });
    else await log.append(d);
  }
  const lines = text(await collect(store.lines()))
    .split('\n')
    .slice(0, -1);
  const events = lines.map((l) => JSON.parse(l) as AuditEvent);
  return { log, store, lines, events };
}

type Built = Awaited<ReturnType<typeof buildLog>>;
let built: Promise<Built> | undefined;
const shared = (): Promise<Built> => (built ??= buildLog());

async function exportOf(format: ExportFormat, extra: { bom?: boolean } = {}): Promise<{ out: ExportResult; b: Built }> {
  const b = await shared();
  const out = await exportEvents(b.log.read(), {
    format,
    ...PERIOD,
    ...extra,
    signer: await signer(),
    origin: 'finess:750300360',
    now: () => at(86400 * 5),
    exportId: `exp-${format}`,
  });
  return { out, b };
}

const filesOf = (out: ExportResult, data: Uint8Array = out.data): Record<string, Uint8Array> => ({ [out.fileName]: data });
const codes = (r: { issues: readonly { code: string }[] }): string[] => r.issues.map((p) => p.code);

/** An independent RFC 4180 reader: Python's csv module. */
function pythonCsv(path: string): string[][] {
  const r = run('python3', [
    '-c',
    "import csv,json,sys\nwith open(sys.argv[1],newline='',encoding='utf-8-sig') as f: print(json.dumps(list(csv.reader(f))))",
    path,
  ]);
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as string[][];
}

describe('periods (AUD-4)', () => {
  it('reads dates as whole UTC days (to inclusive) and instants with an offset (to exclusive)', () => {
    expect(PERIOD.from.toISOString()).toBe('2026-03-21T00:00:00.000Z');
    expect(PERIOD.to.toISOString()).toBe('2026-03-23T00:00:00.000Z');
    const p = parsePeriod('2026-03-20T08:00+01:00', '2026-03-20T12:00:30.5Z');
    expect([p.from.toISOString(), p.to.toISOString()]).toEqual(['2026-03-20T07:00:00.000Z', '2026-03-20T12:00:30.500Z']);
    expect(parsePeriod('2024-02-29', '2024-02-29').to.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    for (const [f, t] of [
      ['2026-02-30', '2026-03-01'],
      ['2025-02-29', '2025-03-01'],
      ['2026-03-22', '2026-03-21'],
      ['2026-03-21T10:00Z', '2026-03-21T10:00Z'],
      ['2026-03-21T10:00', '2026-03-22'],
      ['2026-03-21T24:00Z', '2026-03-22'],
      ['21/03/2026', '2026-03-22'],
      ['', ''],
    ] as const) {
      expect(() => parsePeriod(f, t), `${f} → ${t}`).toThrow(expect.objectContaining({ code: 'ERR_AUDIT_PERIOD_INVALID' }));
    }
    expect(() => parsePeriod('x', '2026-03-22', { locale: 'en' })).toThrow(/Invalid period/);
  });

  it('refuses an unknown format, a reversed or invalid period, and a source with a missing event', async () => {
    const s = await signer();
    await expect(exportEvents([], { format: 'xml' as never, ...PERIOD, signer: s })).rejects.toMatchObject({ code: 'ERR_AUDIT_EXPORT_FORMAT' });
    await expect(exportEvents([], { format: 'csv', from: PERIOD.to, to: PERIOD.from, signer: s })).rejects.toMatchObject({ code: 'ERR_AUDIT_PERIOD_INVALID' });
    await expect(exportEvents([], { format: 'csv', from: new Date(Number.NaN), to: PERIOD.to, signer: s })).rejects.toMatchObject({
      code: 'ERR_AUDIT_PERIOD_INVALID',
    });
    expect(() => exportMimeType('pdf' as never)).toThrow(expect.objectContaining({ code: 'ERR_AUDIT_EXPORT_FORMAT' }));
    expect(exportMimeType('csv')).toBe('text/csv; charset=utf-8; header=present');
    const { events } = await shared();
    const inside = events.filter(inPeriod);
    const holed = events.filter((e) => e.seq !== inside[5]!.seq);
    await expect(exportEvents(holed, { format: 'jsonl', ...PERIOD, signer: s })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    const swapped = [...events];
    [swapped[40], swapped[41]] = [swapped[41]!, swapped[40]!];
    await expect(exportEvents(swapped, { format: 'jsonl', ...PERIOD, signer: s })).rejects.toMatchObject({ code: 'ERR_AUDIT_EVENT_INVALID' });
    await expect(exportEvents([{ ...events[0]!, seq: 0 }], { format: 'jsonl', ...PERIOD, signer: s })).rejects.toMatchObject({
      code: 'ERR_AUDIT_EVENT_INVALID',
    });
  });
});

describe('JSON Lines export (AUD-4)', () => {
  it("holds exactly the period's events, as the log's own bytes, with a signed manifest", async () => {
    const { out, b } = await exportOf('jsonl');
    expect((await b.log.verify({ verifier: await verifier() })).ok).toBe(true);
    const expected = b.events.filter(inPeriod);
    expect(expected.length).toBeGreaterThan(40);
    expect(expected.some((e) => e.action === 'audit.checkpoint')).toBe(true);
    const lines = text(out.data).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toEqual(expected.map((e) => b.lines[e.seq - 1]));
    expect(out.fileName).toBe('audit-2026-03-21--2026-03-22.jsonl');
    expect(out.manifestFileName).toBe('audit-2026-03-21--2026-03-22.jsonl.manifest.json');
    expect(out.signatureFileName).toBe('audit-2026-03-21--2026-03-22.jsonl.manifest.p7s');
    const m = out.manifest;
    expect(text(out.manifestBytes)).toBe(canonicalJson(m));
    expect(m).toMatchObject({
      type: 's3404-audit-export',
      version: 1,
      exportId: 'exp-jsonl',
      origin: 'finess:750300360',
      format: 'jsonl',
      createdAt: at(86400 * 5).toISOString(),
    });
    expect(m.period).toEqual({ from: '2026-03-21T00:00:00.000Z', to: '2026-03-23T00:00:00.000Z' });
    expect(m.counts.events).toBe(expected.length);
    expect(m.counts.byOutcome.refused).toBe(expected.filter((e) => e.outcome === 'refused').length);
    expect(m.counts.byAction['audit.checkpoint']).toBe(expected.filter((e) => e.action === 'audit.checkpoint').length);
    // The back-dated event sits inside the covered range: listed, not exported.
    const backdated = b.events.find((e) => e.time === '2026-03-19T10:00:00.000Z')!;
    expect(m.chain).toEqual({
      firstSeq: expected[0]!.seq,
      lastSeq: expected.at(-1)!.seq,
      firstPrev: expected[0]!.prev,
      lastHash: expected.at(-1)!.hash,
      outside: [{ seq: backdated.seq, prev: backdated.prev, hash: backdated.hash }],
    });
    const report = await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files: filesOf(out), verifier: await verifier() });
    expect(report).toMatchObject({
      ok: true,
      format: 'jsonl',
      events: expected.length,
      signature: { status: 'valid' },
      chain: 'verified',
      files: [{ name: out.fileName, ok: true }],
      issues: [],
    });
    expect(report.signature).toMatchObject({ signer: expect.stringContaining('Cachet S3404') });
    expect((await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files: filesOf(out) })).signature).toEqual({
      status: 'unchecked',
    });
  });

  it('is empty, with a null chain, for a period without events', async () => {
    const b = await shared();
    const out = await exportEvents(b.events, { format: 'jsonl', ...parsePeriod('2027-01-01', '2027-01-01'), signer: await signer() });
    expect(out.data.length).toBe(0);
    expect(out.fileName).toBe('audit-2027-01-01.jsonl');
    expect(out.manifest.chain).toBeNull();
    expect(out.manifest.counts).toEqual({ events: 0, byAction: {}, byOutcome: { success: 0, refused: 0, failure: 0 } });
    expect((await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files: filesOf(out), verifier: await verifier() })).ok).toBe(true);
    const p = parsePeriod('2026-03-21T10:15Z', '2026-03-21T12:00:00.250Z');
    expect((await exportEvents(b.events, { format: 'ocsf', ...p, signer: await signer() })).fileName).toBe(
      'audit-20260321T101500Z--20260321T120000.250Z.ocsf.json',
    );
  });
});

describe('CSV export (AUD-4)', () => {
  it('is RFC 4180 (CRLF, quoting) as an independent reader sees it, with the formula guard', async () => {
    const { out, b } = await exportOf('csv');
    const expected = b.events.filter(inPeriod);
    const csv = text(out.data);
    expect(csv.startsWith('seq,id,time,action,outcome,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    const rows = await withDir((dir) => {
      write(dir, { 'e.csv': out.data });
      return pythonCsv(join(dir, 'e.csv'));
    });
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(expected.length + 1);
    const bySeq = new Map(rows.slice(1).map((r) => [Number(r[0]), Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, r[i]!]))]));
    for (const e of expected) {
      const r = bySeq.get(e.seq)!;
      expect(r).toMatchObject({
        id: e.id,
        time: e.time,
        action: e.action,
        outcome: e.outcome,
        actor_role: e.actor.role,
        prev: e.prev,
        hash: e.hash,
        code: e.code ?? '',
      });
    }
    const quoted = expected.find((e) => e.reason?.includes('"non"'))!;
    expect(bySeq.get(quoted.seq)!.reason).toBe('refusé, le patient a dit "non"');
    expect(csv).toContain('"refusé, le patient a dit ""non"""');
    const hostile = expected.find((e) => e.reason?.startsWith('=HYPERLINK'))!;
    expect(bySeq.get(hostile.seq)).toMatchObject({
      reason: `'=HYPERLINK("http://x","clic")`,
      actor_person: "'@prat-9",
      actor_terminal: "'+tablette",
      lot: "'-lot-1",
      invoice: "'=F-12",
    });
    expect(out.data.subarray(0, 3)).not.toEqual(Uint8Array.of(0xef, 0xbb, 0xbf));
    const report = await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files: filesOf(out), verifier: await verifier() });
    expect(report).toMatchObject({ ok: true, chain: 'linked', signature: { status: 'valid' } });
  });

  it('starts with a BOM only with bom: true, and quotes CR and LF', async () => {
    const { out } = await exportOf('csv', { bom: true });
    expect([...out.data.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const { out: plain } = await exportOf('csv');
    expect(out.data.subarray(3)).toEqual(plain.data);
    expect((await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files: filesOf(out), verifier: await verifier() })).ok).toBe(true);
    await expect(exportEvents([], { format: 'jsonl', ...PERIOD, bom: true, signer: await signer() })).rejects.toThrow(/csv/);
    // The schema forbids control characters in events; the writer quotes them anyway.
    const record = csvRecord(['a', 'deux\r\nlignes', 'trois\nlignes', 'x,"y"', '']);
    expect(record).toBe('a,"deux\r\nlignes","trois\nlignes","x,""y""",\r\n');
    const rows = await withDir((dir) => {
      write(dir, { 'r.csv': record + record });
      return pythonCsv(join(dir, 'r.csv'));
    });
    expect(rows).toEqual([
      ['a', 'deux\r\nlignes', 'trois\nlignes', 'x,"y"', ''],
      ['a', 'deux\r\nlignes', 'trois\nlignes', 'x,"y"', ''],
    ]);
    expect(parseCsv(record + record)).toEqual({ records: rows });
    expect(parseCsv('a,b\nc')).toEqual({ error: 1 });
  });
});

describe('OCSF export (AUD-4)', () => {
  it('maps each event to an API Activity (class 6003) that rebuilds it', async () => {
    const { out, b } = await exportOf('ocsf');
    expect(out.fileName).toBe('audit-2026-03-21--2026-03-22.ocsf.json');
    const expected = b.events.filter(inPeriod);
    const records = JSON.parse(text(out.data)) as Record<string, any>[];
    expect(records.length).toBe(expected.length);
    records.forEach((r, i) => {
      const e = expected[i]!;
      expect(r).toMatchObject({ class_uid: 6003, category_uid: 6, class_name: 'API Activity', time: Date.parse(e.time), api: { operation: e.action } });
      expect(r.type_uid).toBe(r.class_uid * 100 + r.activity_id);
      expect([1, 2, 3, 4, 99]).toContain(r.activity_id);
      expect(r.metadata).toMatchObject({
        version: '1.3.0',
        product: { name: 's3404', vendor_name: 's3404' },
        uid: e.id,
        sequence: e.seq,
        original_time: e.time,
        log_name: 'finess:750300360',
      });
      expect(r.unmapped).toMatchObject({ prev: e.prev, hash: e.hash });
      expect(r.actor.user.uid).toBe(e.actor.personId);
      expect(r.src_endpoint.uid).toBe(e.actor.terminalId);
      expect(r.status_id).toBe(e.outcome === 'success' ? 1 : 2);
      expect(r.severity_id).toBe({ success: 1, refused: 3, failure: 4 }[e.outcome]);
      if (e.code !== undefined) expect(r.status_code).toBe(e.code);
    });
    const refused = records.find((r) => r.api.operation === 'signature.refused')!;
    expect(refused).toMatchObject({
      activity_id: 99,
      activity_name: 'signature.refused',
      type_uid: 600399,
      status: 'Failure',
      severity: 'Medium',
      status_code: 'ERR_RECORD_REPLAYED',
    });
    expect(records.find((r) => r.api.operation === 'bordereau.generated')).toMatchObject({
      activity_id: 1,
      type_uid: 600301,
      resources: [{ type: 'bordereau', uid: 'C7J5B-3X9QK-1W2ER-T4Y6U-P8ZM0' }, { type: 'record' }],
    });
    expect(records.find((r) => r.api.operation === 'audit.checkpoint')).toMatchObject({
      actor: { user: { uid: 'service', type_id: 3, type: 'System' } },
      unmapped: { checkpoint: { body: expect.stringContaining('s3404-audit-checkpoint/1') } },
    });
    const report = await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files: filesOf(out), verifier: await verifier() });
    expect(report).toMatchObject({ ok: true, chain: 'verified', signature: { status: 'valid' } });
  });

  it('names an OCSF record whose mapped fields were edited, even with a matching manifest', async () => {
    const { out } = await exportOf('ocsf');
    const records = JSON.parse(text(out.data)) as Record<string, any>[];
    const forge = async (edit: (r: Record<string, any>) => void) => {
      const copy = structuredClone(records);
      edit(copy[3]!);
      const data = bytes(`[\n${copy.map((r) => canonicalJson(r)).join(',\n')}\n]\n`);
      const { createHash } = await import('node:crypto');
      const manifest = { ...out.manifest, files: [{ name: out.fileName, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') }] };
      return verifyExport({ manifestBytes: bytes(canonicalJson(manifest)), files: { [out.fileName]: data } });
    };
    expect((await forge(() => {})).ok).toBe(true);
    const severity = await forge((r) => (r.activity_id = r.activity_id === 1 ? 2 : 1));
    expect(severity.issues[0]).toMatchObject({ code: 'ERR_AUDIT_EXPORT_MISMATCH', line: 4 });
    const person = await forge((r) => (r.actor.user.uid = 'quelqu-un'));
    expect(person.issues[0]).toMatchObject({ code: 'ERR_AUDIT_HASH_MISMATCH', seq: records[3]!.metadata.sequence });
  });
});

describe('files on disk (AUD-4)', () => {
  it('sha256sum and openssl cms -verify agree with every manifest', async () => {
    const p = await pki();
    for (const format of ['jsonl', 'csv', 'ocsf'] as const) {
      const { out } = await exportOf(format);
      await withDir((dir) => {
        write(dir, {
          [out.fileName]: out.data,
          [out.manifestFileName]: out.manifestBytes,
          [out.signatureFileName]: out.signature,
          'ca.pem': p.files['ca.pem'],
        });
        const sum = run('sha256sum', [join(dir, out.fileName)]);
        expect(sum.stdout.split(' ')[0]).toBe(out.manifest.files[0]!.sha256);
        expect(readFileSync(join(dir, out.fileName)).length).toBe(out.manifest.files[0]!.bytes);
        expect(opensslVerify(join(dir, out.signatureFileName), join(dir, out.manifestFileName), join(dir, 'ca.pem')), format).toContain(
          'Verification successful',
        );
      });
    }
  });
});

describe('tampering (AUD-4)', () => {
  it('names a changed byte, a removed line re-signed by another key, an edited and a garbage manifest', async () => {
    const { out } = await exportOf('jsonl');
    const v = await verifier();
    const check = (manifestBytes: Uint8Array, signature: Uint8Array, data: Uint8Array = out.data) =>
      verifyExport({ manifestBytes, signature, files: filesOf(out, data), verifier: v });
    // One byte of the data file.
    const flipped = out.data.slice();
    const at_ = text(out.data).indexOf('"terminalId":"tablette-') + 23; // ASCII: string index = byte index
    flipped[at_] = flipped[at_] === 0x39 ? 0x31 : flipped[at_]! + 1;
    const r1 = await check(out.manifestBytes, out.signature, flipped);
    expect(r1.ok).toBe(false);
    expect(r1.signature).toMatchObject({ status: 'valid' });
    expect(r1.files).toEqual([{ name: out.fileName, ok: false }]);
    expect(r1.issues[0]).toMatchObject({ code: 'ERR_AUDIT_EXPORT_MISMATCH', file: out.fileName });
    expect(r1.issues[0]!.message).toContain(out.fileName);
    expect(r1.issues[1]).toMatchObject({ code: 'ERR_AUDIT_HASH_MISMATCH', seq: out.manifest.chain!.firstSeq, line: 1 });
    const schemaBroken = out.data.slice();
    schemaBroken[text(out.data).indexOf('"outcome":"') + 11] = 0x53; // "Success"
    expect(codes(await check(out.manifestBytes, out.signature, schemaBroken))).toEqual(['ERR_AUDIT_EXPORT_MISMATCH', 'ERR_AUDIT_LINE_INVALID']);
    // A line removed, the manifest rebuilt to match and signed by another key.
    const lines = text(out.data).split('\n');
    lines.splice(10, 1);
    const data = bytes(lines.join('\n'));
    const { createHash } = await import('node:crypto');
    const removed = JSON.parse(text(out.data).split('\n')[10]!) as AuditEvent;
    const byAction = { ...out.manifest.counts.byAction, [removed.action]: out.manifest.counts.byAction[removed.action]! - 1 };
    const byOutcome = { ...out.manifest.counts.byOutcome, [removed.outcome]: out.manifest.counts.byOutcome[removed.outcome] - 1 };
    const forged = bytes(
      canonicalJson({
        ...out.manifest,
        files: [{ name: out.fileName, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') }],
        counts: { events: out.manifest.counts.events - 1, byAction, byOutcome },
        chain: {
          ...out.manifest.chain!,
          outside: [...out.manifest.chain!.outside, { seq: removed.seq, prev: removed.prev, hash: removed.hash }].sort((a, b) => a.seq - b.seq),
        },
      }),
    );
    const { createDevelopmentPki } = await import('@s3404/seal/pki');
    const other = await createDevelopmentPki({ now: () => at(0), validityDays: 3650 });
    const otherSigner = await createContentSigner({ key: other.seal.privateKey, certificate: other.seal.certificate, now: () => at(0) });
    const r2 = await check(forged, await otherSigner.sign(forged, { detached: true }), data);
    expect(r2.ok).toBe(false);
    expect(r2.signature).toMatchObject({ status: 'invalid' });
    expect(r2.files).toEqual([{ name: out.fileName, ok: true }]);
    expect(r2.issues.length).toBe(1);
    expect(r2.issues[0]!.code).toMatch(/^ERR_/);
    // Without a verifier, that forgery is consistent: the signature is what proves the origin.
    expect((await verifyExport({ manifestBytes: forged, files: filesOf(out, data) })).ok).toBe(true);
    // The line removed under the original manifest: size, hash and chain.
    const r3 = await check(out.manifestBytes, out.signature, data);
    expect(codes(r3)).toEqual(expect.arrayContaining(['ERR_AUDIT_EXPORT_MISMATCH', 'ERR_AUDIT_SEQ_GAP']));
    expect(r3.issues.find((p) => p.code === 'ERR_AUDIT_SEQ_GAP')).toMatchObject({ seq: removed.seq });
    // The manifest edited (still schema-valid): its signature fails.
    const edited = bytes(text(out.manifestBytes).replace(out.manifest.createdAt, '2030-01-01T00:00:00.000Z'));
    const r4 = await check(edited, out.signature);
    expect(r4).toMatchObject({ ok: false, signature: { status: 'invalid' } });
    expect(r4.issues.length).toBe(1);
    // A signature from another export.
    const { out: csv } = await exportOf('csv');
    expect((await check(out.manifestBytes, csv.signature)).signature).toMatchObject({ status: 'invalid' });
    // Garbage and inconsistent manifests.
    for (const garbage of [
      '',
      'null',
      '{}',
      '[1,2]',
      '{"type":"s3404-audit-export"}',
      text(out.manifestBytes).replace('"version":1', '"version":2'),
      ` ${text(out.manifestBytes)}`,
    ]) {
      const r = await verifyExport({ manifestBytes: bytes(garbage), files: filesOf(out) });
      expect(r.ok, garbage.slice(0, 40)).toBe(false);
      expect(r.manifest).toBeNull();
      expect(codes(r)).toEqual(['ERR_AUDIT_MANIFEST_INVALID']);
    }
    const inconsistent = bytes(canonicalJson({ ...out.manifest, counts: { ...out.manifest.counts, events: 1 } }));
    expect(codes(await verifyExport({ manifestBytes: inconsistent, files: filesOf(out) }))).toEqual(['ERR_AUDIT_MANIFEST_INVALID']);
    // A missing file, an unsigned manifest with a verifier, English messages.
    const missing = await verifyExport({ manifestBytes: out.manifestBytes, signature: out.signature, files: {}, verifier: v, locale: 'en' });
    expect(missing).toMatchObject({ ok: false, files: [{ name: out.fileName, ok: false }] });
    expect(missing.issues[0]!.message).toMatch(/does not match its manifest.*file missing/);
    expect((await verifyExport({ manifestBytes: out.manifestBytes, files: filesOf(out), verifier: v })).signature).toMatchObject({ status: 'invalid' });
  });

  it('never throws, whatever the bytes (200 random mutations) or the input', async () => {
    const next = prng(42);
    const v = await verifier();
    const exports = await Promise.all((['jsonl', 'csv', 'ocsf'] as const).map(async (f) => (await exportOf(f)).out));
    for (let i = 0; i < 200; i++) {
      const out = exports[i % 3]!;
      const target = Math.floor(next() * 3);
      const mutate = (b: Uint8Array): Uint8Array => {
        const copy = b.slice();
        const n = 1 + Math.floor(next() * 3);
        for (let k = 0; k < n && copy.length > 0; k++) {
          const j = Math.floor(next() * copy.length);
          copy[j] = copy[j]! ^ (1 + Math.floor(next() * 255));
        }
        return next() < 0.1 ? copy.subarray(0, Math.floor(next() * copy.length)) : copy;
      };
      const manifestBytes = target === 0 ? mutate(out.manifestBytes) : out.manifestBytes;
      const signature = target === 1 ? mutate(out.signature) : out.signature;
      const data = target === 2 ? mutate(out.data) : out.data;
      const report = await verifyExport({ manifestBytes, signature, files: filesOf(out, data), ...(i % 4 === 0 ? {} : { verifier: v }) });
      expect(report.ok, `mutation ${i} of ${['manifest', 'signature', 'data'][target]}`).toBe(i % 4 === 0 && target === 1);
      expect(report.issues.every((p) => typeof p.code === 'string' && typeof p.message === 'string')).toBe(true);
    }
    for (const input of [
      null,
      undefined,
      42,
      'x',
      {},
      { manifestBytes: 'x' },
      { manifestBytes: new Uint8Array(3), files: null },
      { manifestBytes: exports[0]!.manifestBytes, files: 'x', verifier: { verify: () => Promise.reject(new Error('boom')) }, signature: new Uint8Array(1) },
    ]) {
      const r = await verifyExport(input as never);
      expect(r.ok).toBe(false);
    }
  });
});

describe('no NIR in exports (AUD-4)', () => {
  it('keeps the pseudonym the log wrote, in every format', async () => {
    for (const format of ['jsonl', 'csv', 'ocsf'] as const) {
      const { out } = await exportOf(format);
      const t = text(out.data);
      expect(t).not.toContain('1850575123456');
      expect(t).toMatch(/NIR nir~[0-9a-f]{16} présenté/);
    }
  });
});
