import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '@s3404/audit';
import { FileAuditStore } from '@s3404/audit/file';
import { createDevelopmentTsa, readPemCertificates, readPemPrivateKey } from '@s3404/seal';
import { cliIn } from './harness.js';

const work = mkdtempSync(join(tmpdir(), 's3404-audit-tsa-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cli = cliIn(work);
const demo = join(work, 'demo');
const trace = join(demo, 'audit', 'trace.jsonl');
const ca = join(demo, 'pki', 'ca.pem');

interface Checkpoint {
  readonly seq: number;
  readonly action: string;
  readonly checkpoint?: { readonly body: string; readonly signature: string; readonly timestamp?: string };
}
const checkpoints = (): Checkpoint[] =>
  readFileSync(trace, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as Checkpoint)
    .filter((e) => e.action === 'audit.checkpoint');

describe('s3404 audit verify: time-stamped checkpoints (AUD-2)', () => {
  beforeAll(async () => {
    const r = await cli(['demo', '--out', demo, '--count', '2']);
    expect(r.code, r.err).toBe(0);
  }, 120_000);

  it('the demo time-stamps its checkpoints with its development TSA; audit verify --trust reports the TSA time of each (FR, EN, --json)', async () => {
    const cps = checkpoints();
    expect(cps.length).toBeGreaterThan(0);
    for (const c of cps) expect(c.checkpoint?.timestamp).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);

    const fr = await cli(['audit', 'verify', trace, '--trust', ca]);
    expect(fr.code, fr.out + fr.err).toBe(0);
    for (const c of cps)
      expect(fr.out).toMatch(new RegExp(`point de contrôle ${c.seq} : horodaté \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z par CN=[^\\n]+\\(jeton RFC 3161 vérifié\\)`));
    const en = await cli(['audit', 'verify', trace, '--trust', ca, '--tsa-trust', ca, '--lang', 'en']);
    expect(en.code).toBe(0);
    expect(en.out).toMatch(/checkpoint \d+: time-stamped \S+ by CN=.+\(RFC 3161 token verified\)/);
    expect(en.out).not.toMatch(/horodat|vérifié/);
    const json = await cli(['audit', 'verify', trace, '--trust', ca, '--json']);
    const report = JSON.parse(json.out) as { ok: boolean; checkpointTimes: { seq: number; source: { kind: string; genTime?: string; tsa?: string } }[] };
    expect(report.ok).toBe(true);
    expect(report.checkpointTimes.map((c) => c.seq)).toEqual(cps.map((c) => c.seq));
    for (const c of report.checkpointTimes) expect(c.source).toMatchObject({ kind: 'tsa', genTime: expect.any(String), tsa: expect.stringContaining('CN=') });

    // No anchors at all: the token is there but not checked, and the output says how to check it.
    const none = await cli(['audit', 'verify', trace]);
    expect(none.code).toBe(0);
    expect(none.out).toContain("jeton d'horodatage non vérifié (donnez --tsa-trust CA.pem ou --trust CA.pem)");
    // TSA anchors that are not the TSA's: the token is a bad token, the trace does not verify.
    const other = join(work, 'other');
    expect((await cli(['pki', 'init', other])).code).toBe(0);
    const foreign = await cli(['audit', 'verify', trace, '--trust', ca, '--tsa-trust', join(other, 'ca.pem'), '--json']);
    expect(foreign.code).toBe(1);
    expect(JSON.parse(foreign.out)).toMatchObject({ ok: false, damage: { code: 'ERR_AUDIT_CHECKPOINT_TIMESTAMP' } });
  });

  it('openssl ts -verify accepts a checkpoint token extracted from the trace, over the SHA-256 of its signature', () => {
    const cp = checkpoints().at(-1)!;
    const signature = Buffer.from(cp.checkpoint!.signature, 'base64');
    writeFileSync(join(work, 'token.der'), Buffer.from(cp.checkpoint!.timestamp!, 'base64'));
    const digest = createHash('sha256').update(signature).digest('hex');
    const verify = (hex: string) =>
      spawnSync(
        'openssl',
        ['ts', '-verify', '-digest', hex, '-in', join(work, 'token.der'), '-token_in', '-CAfile', ca, '-untrusted', join(demo, 'pki', 'tsa-cert.pem')],
        { encoding: 'utf8' },
      );
    const ok = verify(digest);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('Verification: OK');
    expect(verify(createHash('sha256').update('another signature').digest('hex')).status).not.toBe(0);
  });

  it('audit checkpoint --tsa URL time-stamps the checkpoint over HTTP; a TSA that fails writes nothing (exit 2)', async () => {
    const pki = join(demo, 'pki');
    const tsa = await createDevelopmentTsa({
      certificate: readPemCertificates(readFileSync(join(pki, 'tsa-cert.pem'), 'utf8'))[0]!,
      key: readPemPrivateKey(readFileSync(join(pki, 'tsa-key.pem'), 'utf8')),
    });
    const server = createServer((req, res) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => {
        void tsa.respond(new Uint8Array(Buffer.concat(parts))).then((reply) => {
          res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
          res.end(reply);
        });
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsp`;
    try {
      const file = join(work, 'own.jsonl');
      const log = createAuditLog({ store: await FileAuditStore.open({ path: file }) });
      for (const personId of ['u-1', 'u-2'])
        await log.append({ action: 'bordereau.generated', actor: { personId, role: 'staff', terminalId: 't-1' }, subject: {}, outcome: 'success' });
      await log.close();
      const keys = ['--cert', join(pki, 'seal-cert.pem'), '--key', join(pki, 'seal-key.pem')];
      const before = readFileSync(file, 'utf8');
      const down = await cli(['audit', 'checkpoint', file, ...keys, '--tsa', 'http://127.0.0.1:9/tsp']);
      expect(down.code, down.err).toBe(2);
      expect(down.err).toContain('ERR_AUDIT_TIMESTAMP_UNAVAILABLE');
      expect(readFileSync(file, 'utf8')).toBe(before);
      expect((await cli(['audit', 'checkpoint', file, ...keys, '--tsa', 'ftp://x'])).code).toBe(2);
      const cp = await cli(['audit', 'checkpoint', file, ...keys, '--tsa', url, '--json']);
      expect(cp.code, cp.err).toBe(0);
      const verified = await cli(['audit', 'verify', file, '--trust', ca, '--json']);
      expect(JSON.parse(verified.out)).toMatchObject({ ok: true, checkpointTimes: [{ seq: 3, source: { kind: 'tsa' } }] });
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
