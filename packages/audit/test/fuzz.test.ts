import { describe, expect, it } from 'vitest';
import { verifyLog } from '@s3404/audit';
import { MemoryAuditStore } from '@s3404/audit/memory';
import { collect, draft, memoryLog, prng } from './helpers.js';

async function sample(n: number): Promise<Uint8Array> {
  const store = new MemoryAuditStore();
  const log = memoryLog({ store });
  for (let i = 0; i < n; i++) await log.append(draft(i));
  return collect(store.lines());
}

describe('verifyLog on hostile input (X-2, AUD-2)', () => {
  it('a 100 MB line is refused with a code without being buffered', async () => {
    const good = await sample(3);
    const chunk = new Uint8Array(1 << 20).fill(0x61);
    async function* source(): AsyncIterable<Uint8Array> {
      yield good;
      for (let i = 0; i < 100; i++) yield chunk;
      yield Uint8Array.of(10);
    }
    const before = process.memoryUsage().rss;
    const report = await verifyLog(source());
    expect(report.damage).toMatchObject({ code: 'ERR_AUDIT_LINE_TOO_LONG', seq: 4, line: 4 });
    expect(report.lastSeq).toBe(3);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
  });

  it('duplicated sequence numbers, wrong encodings and 2,000 random mutations give coded reports, never a throw', async () => {
    const good = await sample(40);
    const text = new TextDecoder().decode(good);
    const lines = text.split('\n').slice(0, -1);
    const dup = `${[...lines.slice(0, 10), lines[9]!.replace(/"seq":10/, '"seq":10'), ...lines.slice(10)].join('\n')}\n`;
    expect((await verifyLog(dup)).damage).toMatchObject({ kind: 'inserted', seq: 10 });
    const latin1 = Uint8Array.from([...good.subarray(0, 200), 0xe9, ...good.subarray(200)]);
    expect((await verifyLog(latin1)).ok).toBe(false);
    const utf16 = new Uint8Array([0xff, 0xfe, ...good]);
    expect((await verifyLog(utf16)).damage?.code).toBe('ERR_AUDIT_ENCODING');
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...good]);
    expect((await verifyLog(bom)).damage?.code).toBe('ERR_AUDIT_ENCODING');
    const random = prng(99);
    let damaged = 0;
    for (let t = 0; t < 2000; t++) {
      const m = Uint8Array.from(good);
      const kind = t % 4;
      const at = Math.floor(random() * m.length);
      let input: Uint8Array = m;
      if (kind === 0) m[at] = Math.floor(random() * 256);
      else if (kind === 1) input = m.subarray(0, at);
      else if (kind === 2) input = Uint8Array.from([...m.subarray(0, at), ...m.subarray(at + 1 + Math.floor(random() * 50))]);
      else input = Uint8Array.from([...m.subarray(0, at), ...m.subarray(Math.floor(random() * m.length), Math.floor(random() * m.length)), ...m.subarray(at)]);
      const report = await verifyLog(input);
      if (!report.ok) {
        damaged++;
        expect(report.damage!.code).toMatch(/^ERR_AUDIT_/);
        expect(report.damage!.seq).toBeGreaterThanOrEqual(1);
      }
    }
    expect(damaged).toBeGreaterThan(1500);
  });
});
