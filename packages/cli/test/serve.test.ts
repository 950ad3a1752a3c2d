import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPdfRevisions, readSignatureSlots } from '@s3404/form/pdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliIn } from './harness.js';
import { BIN, captureFor, noisePng, openapiChecker, startServe, strokesIn, TestTerminal, type Answer, type Served } from './serve-kit.js';

/**
 * `s3404 serve` end to end over HTTP (SIG-1…SIG-7, X-2): one process of the
 * built CLI with `--state DIR`, terminals written in this file with Node's Web
 * Crypto. Every answer of every test is checked against the service's own
 * OpenAPI document at the end.
 */
const work = mkdtempSync(join(tmpdir(), 's3404-serve-'));
const state = join(work, 'state');
const ID = '6R0ZQ-50K7C-AC6T4-JF0WA-04614-H'; // mco-chirurgie-pth: insured, director, 3 practitioner lines
const MANDATE_ID = 'TCS3V-ZJ87G-49MPS-88CP5-KJW10-2'; // mandat-pour-compte: line 1 signed « pour mandat »
let served: Served;
let doc: any;
const terminals: TestTerminal[] = [];
const pngs: Buffer[] = [];

const terminal = async (id: string): Promise<TestTerminal> => {
  const t = await new TestTerminal(served.url, id).init();
  terminals.push(t);
  return t;
};
const png = (seed: number): Buffer => {
  const p = noisePng(1000, 400, seed);
  pngs.push(p);
  return p;
};
const health = async (): Promise<number> => (await fetch(`${served.url}/healthz`)).status;

/** Opens a context for a slot, posts a capture for it and answers both. */
async function capture(t: TestTerminal, bordereauId: string, slot: string, seed: number): Promise<{ context: Answer; deposit: Answer }> {
  const context = await t.request('POST', '/v1/contexts', { bordereauId, slot });
  expect(context.status, JSON.stringify(context.json)).toBe(201);
  const deposit = await t.request('POST', '/v1/captures', captureFor(context.json, png(seed)));
  return { context, deposit };
}

beforeAll(async () => {
  served = await startServe(['--state', state, '--count', '8'], { env: { SOURCE_DATE_EPOCH: '1774000800' } });
  doc = await (await fetch(`${served.url}/openapi.json`)).json();
});

afterAll(async () => {
  const code = await served?.stop();
  expect(code).toBe(0);
  rmSync(work, { recursive: true, force: true });
});

describe('s3404 serve: the signing flow over HTTP (SIG-1…SIG-6, FORM-6)', () => {
  let a: TestTerminal;

  it('starts on loopback with one-time pairing codes of 80 bits, and serves the page, its script and the document', async () => {
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.codes).toHaveLength(8);
    for (const c of served.codes) expect(c).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
    expect(new Set(served.codes).size).toBe(8);
    const page = await fetch(`${served.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('<script src="/tablet.js"></script>');
    expect(html).not.toMatch(/<script>/);
    const en = await (await fetch(`${served.url}/?lang=en`)).text();
    expect(en).toContain('Signing tablet');
    const script = await fetch(`${served.url}/tablet.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect(await script.text()).toContain('s3404-signature-pad');
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ContextMessage', 'CaptureMessage', 'ErrorMessage']));
  });

  it('pairs a terminal with a code, once', async () => {
    a = await terminal('tablette-accueil');
    const paired = await a.pair(served.codes[0]!);
    expect(paired.status, JSON.stringify(paired.json)).toBe(201);
    expect(paired.json.terminalId).toBe('tablette-accueil');
    const again = await (await terminal('tablette-autre')).pair(served.codes[0]!);
    expect(again.status).toBe(401);
    expect(again.json.code).toBe('ERR_PAIRING_CODE_INVALID');
  });

  it('lists the bordereaux with their content hash and which slots are signed', async () => {
    const list = await a.request('GET', '/v1/bordereaux');
    expect(list.status).toBe(200);
    const b = list.json.bordereaux.find((x: { id: string }) => x.id === ID);
    expect(b.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.slots.map((s: { id: string }) => s.id)).toEqual(['insured', 'director', 'line:1', 'line:2', 'line:3']);
    expect(b.slots.every((s: { signed: boolean }) => !s.signed)).toBe(true);
    const pdf = await a.request('GET', `/v1/bordereaux/${ID}/pdf`);
    expect((await readSignatureSlots(new Uint8Array(pdf.bytes))).contentHash).toBe(b.contentHash);
  });

  it('opens a context, seals the capture, uses it once onto the PDF: qpdf --check passes and the PDF has one more revision', async () => {
    const before = await a.request('GET', `/v1/bordereaux/${ID}/pdf`);
    const revisionsBefore = listPdfRevisions(new Uint8Array(before.bytes)).revisions.length;
    const { context, deposit } = await capture(a, ID, 'insured', 1);
    expect(context.json.type).toBe('s3404.capture-context');
    expect(context.json.context.terminal.id).toBe('tablette-accueil');
    expect(context.json.context.display.bordereauId).toBe(ID);
    expect(deposit.status, JSON.stringify(deposit.json)).toBe(201);
    expect(deposit.json.handle).toMatch(/^s3404-pending\.1\./);
    expect(deposit.json.slot).toBe('insured');
    const used = await a.request('POST', '/v1/records/consume', { handle: deposit.json.handle, bordereauId: ID });
    expect(used.status, JSON.stringify(used.json)).toBe(200);
    expect(used.json).toMatchObject({ status: 'applied', slot: 'insured', bordereauId: ID, complete: false });
    const after = await a.request('GET', used.json.pdf);
    expect(after.type).toBe('application/pdf');
    const file = join(work, 'signed.pdf');
    writeFileSync(file, after.bytes);
    const qpdf = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    expect(qpdf.status, qpdf.stdout + qpdf.stderr).toBe(0);
    expect(listPdfRevisions(new Uint8Array(after.bytes)).revisions.length).toBe(revisionsBefore + 1);
    const slots = await readSignatureSlots(new Uint8Array(after.bytes));
    expect(slots.slots.find((s) => s.id === 'insured')!.signed).toBe(true);
    expect(slots.signatures.map((s) => s.recordId)).toContain(used.json.recordId);
    // The slot is now signed: the list says so, and no second context opens for it.
    const list = await a.request('GET', '/v1/bordereaux');
    expect(list.json.bordereaux.find((x: { id: string }) => x.id === ID).slots[0].signed).toBe(true);
    const twice = await a.request('POST', '/v1/contexts', { bordereauId: ID, slot: 'insured' });
    expect(twice.status).toBe(409);
    expect(twice.json.code).toBe('ERR_SLOT_ALREADY_SIGNED');
    // Used once: the same handle again is a replay.
    const replay = await a.request('POST', '/v1/records/consume', { handle: deposit.json.handle, bordereauId: ID });
    expect(replay.status).toBe(409);
    expect(replay.json.code).toBe('ERR_RECORD_REPLAYED');
  });

  it("signs a practitioner's line, and a line « pour mandat » by the director, without naming the bordereau at consume", async () => {
    const line = await capture(a, ID, 'line:2', 2);
    expect(line.deposit.status, JSON.stringify(line.deposit.json)).toBe(201);
    expect(line.context.json.context.role).toBe('practitioner');
    const used = await a.request('POST', '/v1/records/consume', { handle: line.deposit.json.handle });
    expect(used.json).toMatchObject({ status: 'applied', slot: 'line:2' });
    const mandate = await capture(a, MANDATE_ID, 'line:1', 3);
    expect(mandate.context.json.context.mandate.reference).toBe('MAND-2026-014');
    expect(mandate.context.json.context.display.mandate).toBe('Mandat');
    const usedMandate = await a.request('POST', '/v1/records/consume', { handle: mandate.deposit.json.handle, requestId: 'req-mandate-1' });
    expect(usedMandate.json).toMatchObject({ status: 'applied', slot: 'line:1', requestId: 'req-mandate-1' });
    // The same request id again: already consumed by this same request, not a second use.
    const same = await a.request('POST', '/v1/records/consume', { handle: mandate.deposit.json.handle, bordereauId: MANDATE_ID, requestId: 'req-mandate-1' });
    expect(same.status).toBe(200);
    expect(same.json.status).toBe('already-consumed');
  });

  it('refuses a signer the policy does not know (SIG-7, 403) and a record used on another bordereau (422)', async () => {
    const denied = await a.request('POST', '/v1/contexts', { bordereauId: ID, slot: 'director', signer: { id: 'intrus', name: 'Jean Intrus' } });
    expect(denied.status).toBe(403);
    expect(denied.json.code).toBe('ERR_AUTH_DENIED');
    const { deposit } = await capture(a, ID, 'director', 4);
    const elsewhere = await a.request('POST', '/v1/records/consume', { handle: deposit.json.handle, bordereauId: MANDATE_ID });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.json.code).toBe('ERR_RECORD_WRONG_BORDEREAU');
    // Refused before the claim: still usable on its own bordereau.
    const used = await a.request('POST', '/v1/records/consume', { handle: deposit.json.handle, bordereauId: ID });
    expect(used.json.status).toBe('applied');
  });
});

describe('s3404 serve: terminal authentication (SIG-7), each refusal coded (401) and traced', () => {
  let t: TestTerminal;
  beforeAll(async () => {
    t = await terminal('tablette-auth');
    expect((await t.pair(served.codes[1]!)).status).toBe(201);
  });

  it('refuses a request without its headers, each missing header named', async () => {
    const none = await t.request('GET', '/v1/bordereaux', undefined, { sign: false });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ type: 's3404.error', code: 'ERR_TERMINAL_AUTH_MISSING', kind: 'verdict' });
    const signed = await t.sign('GET', '/v1/bordereaux', new Uint8Array(0));
    for (const header of Object.keys(signed)) {
      const without = Object.fromEntries(Object.entries(signed).filter(([k]) => k !== header));
      const r = await fetch(`${served.url}/v1/bordereaux`, { headers: without });
      expect(r.status, header).toBe(401);
      expect(((await r.json()) as { message: string }).message).toContain(header);
    }
  });

  it('refuses an unknown terminal, a bad signature, a stale or future timestamp, a replayed nonce', async () => {
    const stranger = await terminal('tablette-inconnue');
    const unknown = await stranger.request('GET', '/v1/bordereaux');
    expect([unknown.status, unknown.json.code]).toEqual([401, 'ERR_TERMINAL_UNKNOWN']);
    // Signed by another key under this terminal's name.
    const forged = await t.request('GET', '/v1/bordereaux', undefined, { key: stranger.keys.privateKey });
    expect([forged.status, forged.json.code]).toEqual([401, 'ERR_TERMINAL_SIGNATURE_INVALID']);
    // The body changed after signing.
    const headers = await t.sign('POST', '/v1/contexts', new TextEncoder().encode(JSON.stringify({ bordereauId: ID, slot: 'line:3' })));
    const tampered = await fetch(`${served.url}/v1/contexts`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ bordereauId: ID, slot: 'line:1' }),
    });
    expect(tampered.status).toBe(401);
    expect(((await tampered.json()) as { code: string }).code).toBe('ERR_TERMINAL_SIGNATURE_INVALID');
    // Another path than the one signed.
    const moved = await fetch(`${served.url}/v1/bordereaux/${ID}/pdf`, { headers: await t.sign('GET', '/v1/bordereaux', new Uint8Array(0)) });
    expect(moved.status).toBe(401);
    for (const offset of [-61_000, 61_000]) {
      const stale = await t.request('GET', '/v1/bordereaux', undefined, { timestamp: Date.now() + offset });
      expect([stale.status, stale.json.code]).toEqual([401, 'ERR_TERMINAL_CLOCK_SKEW']);
    }
    const first = await t.request('GET', '/v1/bordereaux');
    expect(first.status).toBe(200);
    const replayed = await t.replayLast('GET', '/v1/bordereaux');
    expect([replayed.status, replayed.json.code]).toEqual([401, 'ERR_TERMINAL_NONCE_REPLAYED']);
  });

  it('refuses an enrolment with a private key, a key off the curve, an identifier taken by another key', async () => {
    const x = await terminal('tablette-cle');
    const jwk = await x.publicJwk();
    const withPrivate = await x.request(
      'POST',
      '/v1/terminals',
      { terminalId: x.id, publicKey: { ...jwk, d: jwk.x }, pairingCode: served.codes[2] },
      { sign: false },
    );
    expect([withPrivate.status, withPrivate.json.code]).toEqual([400, 'ERR_TERMINAL_KEY_INVALID']);
    const offCurve = await x.request(
      'POST',
      '/v1/terminals',
      { terminalId: x.id, publicKey: { ...jwk, y: jwk.x }, pairingCode: served.codes[2] },
      { sign: false },
    );
    expect([offCurve.status, offCurve.json.code]).toEqual([400, 'ERR_TERMINAL_KEY_INVALID']);
    // Neither refusal burnt the code; the identifier of an enrolled terminal is not taken over.
    const takeover = await x.request('POST', '/v1/terminals', { terminalId: 'tablette-auth', publicKey: jwk, pairingCode: served.codes[2] }, { sign: false });
    expect([takeover.status, takeover.json.code]).toEqual([409, 'ERR_TERMINAL_ALREADY_ENROLLED']);
    const wrongCode = await x.request('POST', '/v1/terminals', { terminalId: x.id, publicKey: jwk, pairingCode: 'AAAA-BBBB-CCCC-DDDD' }, { sign: false });
    expect([wrongCode.status, wrongCode.json.code]).toEqual([401, 'ERR_PAIRING_CODE_INVALID']);
  });

  it('traces every refusal in the state trace (authorization.denied), with its code and the terminal it named', () => {
    const events = readFileSync(join(state, 'audit', 'trace.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; code?: string; reason?: string; actor: { terminalId: string } });
    const refused = events.filter((e) => e.action === 'authorization.denied' && e.reason === 'terminal-authentication');
    const codes = new Set(refused.map((e) => e.code));
    for (const code of [
      'ERR_TERMINAL_AUTH_MISSING',
      'ERR_TERMINAL_UNKNOWN',
      'ERR_TERMINAL_SIGNATURE_INVALID',
      'ERR_TERMINAL_CLOCK_SKEW',
      'ERR_TERMINAL_NONCE_REPLAYED',
      'ERR_PAIRING_CODE_INVALID',
    ])
      expect(codes, code).toContain(code);
    expect(refused.some((e) => e.actor.terminalId === 'tablette-inconnue')).toBe(true);
    // The enrolments that succeeded are traced too, and validate against the audit catalogue.
    expect(events.filter((e) => e.action === 'terminal.enrolled').length).toBeGreaterThan(0);
  });
});

describe('s3404 serve: bad input, answered with its code, the process still up (X-2)', () => {
  let t: TestTerminal;
  let other: TestTerminal;
  beforeAll(async () => {
    t = await terminal('tablette-bloc');
    other = await terminal('tablette-voisine');
    expect((await t.pair(served.codes[3]!)).status).toBe(201);
    expect((await other.pair(served.codes[4]!)).status).toBe(201);
  });

  const context = async (slot = 'line:3', bordereauId = 'JMEQ6-MR0CD-R3QK4-GT35V-9EGWR-4'): Promise<any> => {
    const c = await t.request('POST', '/v1/contexts', { bordereauId, slot });
    expect(c.status, JSON.stringify(c.json)).toBe(201);
    return c.json;
  };
  const post = (body: unknown, who = t): Promise<Answer> => who.request('POST', '/v1/captures', body);

  it('refuses captures with no points, a PNG over the limit, strokes out of bounds or going back in time', async () => {
    const ctx = await context();
    const cases: [string, Record<string, unknown>, number, string][] = [
      ['no points', captureFor(ctx, png(10), { strokes: [{ pointerType: 'pen', points: [] }] }), 422, 'ERR_STROKES_INVALID'],
      [
        'out of bounds',
        captureFor(ctx, png(11), {
          strokes: [
            {
              pointerType: 'pen',
              points: [
                [5, 5, 0],
                [5000, 5, 10],
              ],
            },
          ],
        }),
        422,
        'ERR_STROKES_INVALID',
      ],
      [
        'time backwards',
        captureFor(ctx, png(12), {
          strokes: [
            {
              pointerType: 'mouse',
              points: [
                [5, 5, 50],
                [6, 6, 10],
              ],
            },
          ],
        }),
        422,
        'ERR_STROKES_INVALID',
      ],
      ['PNG over the limit', captureFor(ctx, noisePng(1000, 2000, 13), { strokes: strokesIn(1000, 400) }), 422, 'ERR_IMAGE_TOO_LARGE'],
      [
        'not a PNG',
        { ...captureFor(ctx, png(14)), image: { mediaType: 'image/png', data: Buffer.from('GIF89a not a png at all').toString('base64') } },
        422,
        'ERR_IMAGE_NOT_PNG',
      ],
      ['malformed', { type: 's3404.capture', version: '1' }, 422, 'ERR_RECORD_INVALID'],
    ];
    for (const [name, body, status, code] of cases) {
      const r = await post(body);
      expect([r.status, r.json.code], name).toEqual([status, code]);
      expect(r.json.message.length, name).toBeGreaterThan(10);
      expect(await health(), name).toBe(200);
    }
    // None of them used the context: it still seals once.
    const ok = await post(captureFor(ctx, png(15)));
    expect(ok.status, JSON.stringify(ok.json)).toBe(201);
  });

  it("refuses a replayed capture, another terminal's context, an altered display", async () => {
    const ctx = await context('line:1');
    const body = captureFor(ctx, png(20));
    expect((await post(body)).status).toBe(201);
    const replay = await post(body);
    expect([replay.status, replay.json.code]).toEqual([409, 'ERR_CONTEXT_UNKNOWN']);
    const theirs = await post(captureFor(await context('line:2'), png(21)), other);
    expect([theirs.status, theirs.json.code]).toEqual([422, 'ERR_CONTEXT_MISMATCH']);
    const shown = await context('insured');
    const altered = captureFor({ ...shown, context: { ...shown.context, display: { ...shown.context.display, lines: ['Autre chose'] } } }, png(22));
    const r = await post(altered);
    expect([r.status, r.json.code]).toEqual([422, 'ERR_CONTEXT_MISMATCH']);
    expect(await health()).toBe(200);
  });

  it('answers an oversized body 413, invalid JSON 400, a wrong content type 415, an unknown path 404, a wrong method 405', async () => {
    const big = await t.request('POST', '/v1/contexts', { bordereauId: ID, slot: 'insured', padding: 'x'.repeat(40_000) });
    expect([big.status, big.json.code]).toEqual([413, 'ERR_HTTP_BODY_TOO_LARGE']);
    const hugeCapture = await t.request('POST', '/v1/captures', undefined, { raw: new Uint8Array(8 << 20).fill(0x20) });
    expect([hugeCapture.status, hugeCapture.json.code]).toEqual([413, 'ERR_HTTP_BODY_TOO_LARGE']);
    const json = await t.request('POST', '/v1/contexts', undefined, { raw: new TextEncoder().encode('{"bordereauId": ') });
    expect([json.status, json.json.code]).toEqual([400, 'ERR_HTTP_JSON_INVALID']);
    const notObject = await t.request('POST', '/v1/contexts', undefined, { raw: new TextEncoder().encode('[1,2]') });
    expect([notObject.status, notObject.json.code]).toEqual([400, 'ERR_HTTP_JSON_INVALID']);
    const latin1 = await t.request('POST', '/v1/contexts', undefined, { raw: new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]) });
    expect([latin1.status, latin1.json.code]).toEqual([400, 'ERR_HTTP_JSON_INVALID']);
    const type = await t.request('POST', '/v1/contexts', { bordereauId: ID, slot: 'insured' }, { contentType: 'text/plain' });
    expect([type.status, type.json.code]).toEqual([415, 'ERR_HTTP_CONTENT_TYPE']);
    const unknown = await t.request('POST', '/v1/contexts', { bordereauId: ID, slot: 'insured', colour: 'red' });
    expect([unknown.status, unknown.json.code]).toEqual([400, 'ERR_HTTP_REQUEST_INVALID']);
    const notFound = await t.request('GET', '/v1/nothing');
    expect([notFound.status, notFound.json.code]).toEqual([404, 'ERR_HTTP_NOT_FOUND']);
    const noBordereau = await t.request('GET', '/v1/bordereaux/AAAAA-AAAAA-AAAAA-AAAAA-AAAAA-A/pdf');
    expect([noBordereau.status, noBordereau.json.code]).toEqual([404, 'ERR_BORDEREAU_UNKNOWN']);
    const badEscape = await t.request('GET', '/v1/bordereaux/%E0%A4%A/pdf');
    expect([badEscape.status, badEscape.json.code]).toEqual([400, 'ERR_HTTP_REQUEST_INVALID']);
    const method = await t.request('DELETE', '/v1/captures');
    expect([method.status, method.json.code, method.headers.get('allow')]).toEqual([405, 'ERR_HTTP_METHOD', 'POST']);
    const en = await t.request('POST', '/v1/contexts', undefined, { raw: new TextEncoder().encode('nope'), lang: 'en-GB,en;q=0.8' });
    expect(en.json.message).toMatch(/^unreadable request body/);
    expect(await health()).toBe(200);
  });

  it('answers a malformed request line with a coded 400 and stays up', async () => {
    const net = await import('node:net');
    const { port } = new URL(served.url);
    const raw = await new Promise<string>((done) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('NOT HTTP AT ALL\r\n\r\n'));
      let got = '';
      socket.on('data', (d) => (got += d));
      socket.on('close', () => done(got));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400/);
    expect(raw).toContain('ERR_HTTP_REQUEST_INVALID');
    expect(await health()).toBe(200);
  });
});

describe('s3404 serve: the image is never stored (SIG-6)', () => {
  it('no file of the state folder holds a PNG sent, nor its base64, after refusals and uses', () => {
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    walk(state);
    expect(files.some((f) => f.endsWith('consumption.sqlite'))).toBe(true);
    expect(pngs.length).toBeGreaterThan(10);
    for (const f of files) {
      const bytes = readFileSync(f);
      const text = bytes.toString('latin1');
      for (const p of pngs) {
        // The PNG itself and a 64-character slice of its base64 (any alignment) are nowhere; its compressed pixels
        // only in the signed PDFs, which carry the signature by design (SIG-6: only the signed PDF keeps it).
        expect(bytes.indexOf(p), f).toBe(-1);
        if (!f.endsWith('.pdf')) expect(bytes.indexOf(p.subarray(41, 41 + 64)), f).toBe(-1);
        const b64 = p.toString('base64');
        expect(text.includes(b64.slice(100, 164)), f).toBe(false);
      }
    }
  });
});

describe('s3404 serve: the OpenAPI document', () => {
  it('describes every answer of this file: each body validates against its schema (Ajv 2020)', async () => {
    const check = openapiChecker(doc);
    // The public routes, answered at least once each.
    const anon = new TestTerminal(served.url, 'anon');
    for (const path of ['/', '/tablet.js', '/openapi.json', '/healthz']) await anon.request('GET', path, undefined, { sign: false });
    const all = [...anon.answers, ...terminals.flatMap((t) => t.answers)];
    const problems = all.flatMap((a) => check(a.method, a.path, a.answer));
    expect(problems.slice(0, 5)).toEqual([]);
    // Every documented path and method was answered.
    const answered = new Set(all.map((a) => `${a.method} ${a.path.split('?')[0]}`.replace(/\/v1\/bordereaux\/[^/]+\/pdf/, '/v1/bordereaux/{id}/pdf')));
    for (const [path, ops] of Object.entries(doc.paths as Record<string, object>))
      for (const method of Object.keys(ops)) expect(answered, `${method} ${path}`).toContain(`${method.toUpperCase()} ${path}`);
    expect(all.length).toBeGreaterThan(50);
  });
});

describe('s3404 serve: the command line', () => {
  it('refuses a wrong --port, --count, --host or argument (exit 2), in the run language', async () => {
    const cli = cliIn(work);
    for (const args of [['--port', '70000'], ['--port', 'abc'], ['--count', '0'], ['extra'], ['--host', 'a b']]) {
      const r = await cli(['serve', ...args, '--lang', 'en']);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/^s3404: /);
    }
  });

  it('prints its address and codes for a person, warns beyond loopback, and stops cleanly on SIGINT', async () => {
    const proc = spawn('node', [BIN, 'serve', '--port', '0', '--host', '0.0.0.0', '--count', '2', '--lang', 'en'], { encoding: 'utf8' } as never);
    let out = '';
    let err = '';
    proc.stdout!.on('data', (d) => (out += d));
    proc.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((done) => proc.on('exit', done));
    await expect.poll(() => out, { timeout: 20_000 }).toContain('Ctrl+C to stop.');
    expect(out).toMatch(/^Signing service: http:\/\/0\.0\.0\.0:\d+\/\n/);
    expect(out.match(/^ {2}[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/gm)).toHaveLength(2);
    expect(err).toContain('beyond loopback: serve it behind HTTPS');
    expect(err).toContain('single use holds only within this process');
    proc.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(err).toContain('Stopping (SIGINT).');
  });
});
