/**
 * Capture-to-sealed on the reference signing service (issue 17, goal ≤ 10 ms
 * per signature): `POST /v1/captures` over loopback — the request's
 * signature checked, the capture read, sealed (CMS, ECDSA P-256) and
 * deposited encrypted in the single-use store (SQLite, as `s3404 serve
 * --state DIR`) — one at a time, then 4 and 8 at once; and, as the
 * reference, the same capture read and sealed in-process (no HTTP, no
 * deposit), and read, sealed and deposited in-process.
 *
 *   pnpm --filter @s3404/cli bench        # after the demo bench
 *   npx tsx --conditions=@s3404/source bench/serve.bench.ts
 */
import { createHash, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseBordereauJson } from '@s3404/form';
import { createConsumer, createRoleAuthorizer, createSealer, MemoryContextRegistry, readCaptureMessage, toContextMessage } from '@s3404/seal';
import { createDevelopmentPki } from '@s3404/seal/pki';
import { SqliteConsumptionStore } from '@s3404/seal/sqlite';
import { machine } from '@s3404/tooling/bench';
import { greyPng } from '@s3404/tooling/png-kit';
import { createRenderedBordereauSource, createSigningService } from '@s3404/cli/serve';

const ROUNDS = Number(process.env['S3404_SERVE_BENCH_ROUNDS'] ?? 200);
const WARMUP = 20;
const work = mkdtempSync(join(tmpdir(), 's3404-serve-bench-'));
const bordereau = parseBordereauJson(readFileSync(new URL('../../../examples/data/mco-chirurgie-pth.json', import.meta.url)));

/** A signature as a tablet produces it: 1000 × 400 grey PNG with a stroke, and its 400 pen points. */
function signature(): { png: Buffer; strokes: { pointerType: 'pen'; points: [number, number, number, number][] }[] } {
  const w = 1000;
  const h = 400;
  const raw = Buffer.alloc((w + 1) * h, 255);
  const points: [number, number, number, number][] = [];
  for (let x = 40; x < w - 40; x++) {
    const y = Math.round(200 + 120 * Math.sin(x / 37) * Math.cos(x / 151));
    for (let d = -2; d <= 2; d++) raw[(y + d) * (w + 1) + 1 + x] = 30;
    if (x % 2 === 0 && points.length < 400) points.push([x, y, points.length * 4, 0.6]);
  }
  for (let y = 0; y < h; y++) raw[y * (w + 1)] = 0;
  const png = Buffer.from(greyPng(w, h, raw));
  return { png, strokes: [{ pointerType: 'pen', points }] };
}

const stats = (times: number[]): { median: number; p95: number; mean: number } => {
  const s = [...times].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { median: at(0.5), p95: at(0.95), mean: s.reduce((a, b) => a + b, 0) / s.length };
};

async function main(): Promise<void> {
  const pki = await createDevelopmentPki({ now: () => new Date(Date.now() - 60_000) });
  const contexts = new MemoryContextRegistry({ maxEntries: 100_000 });
  const sealer = await createSealer({
    key: pki.seal.privateKey,
    certificate: pki.seal.certificate,
    contexts,
    authorizer: createRoleAuthorizer({ staff: [] }),
  });
  const store = await SqliteConsumptionStore.open({ path: join(work, 'consumption.sqlite') });
  const consumer = createConsumer({ store, trustAnchors: [pki.ca.certificate], keyHolder: null });
  const service = createSigningService({ sealer, consumer, bordereaux: await createRenderedBordereauSource({ bordereaux: [bordereau] }) });
  const { url } = await service.listen({ port: 0 });
  const { png, strokes } = signature();
  const subtle = webcrypto.subtle;
  const keys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const jwk = await subtle.exportKey('jwk', keys.publicKey);
  const terminalId = 'tablette-bench';
  const enrol = await fetch(`${url}/v1/terminals`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ terminalId, publicKey: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, pairingCode: service.createPairingCode().code }),
  });
  if (enrol.status !== 201) throw new Error(`enrolment: ${enrol.status}`);
  const signed = async (method: string, path: string, body: Uint8Array): Promise<Record<string, string>> => {
    const timestamp = String(Date.now());
    const nonce = Buffer.from(webcrypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    const text = `${method}\n${path}\n${timestamp}\n${nonce}\n${createHash('sha256').update(body).digest('hex')}`;
    const sig = Buffer.from(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keys.privateKey, new TextEncoder().encode(text))).toString('base64url');
    return { 'content-type': 'application/json', 'S3404-Terminal': terminalId, 'S3404-Timestamp': timestamp, 'S3404-Nonce': nonce, 'S3404-Signature': sig };
  };
  /** A capture ready to post: its context opened (not timed), its body and headers made (the tablet's work, not timed). */
  const prepared = async (): Promise<{ body: Uint8Array; headers: Record<string, string> }> => {
    const req = new TextEncoder().encode(JSON.stringify({ bordereauId: bordereau.id, slot: 'insured' }));
    const ctx = (await (await fetch(`${url}/v1/contexts`, { method: 'POST', headers: await signed('POST', '/v1/contexts', req), body: req })).json()) as {
      context: unknown;
    };
    const body = new TextEncoder().encode(
      JSON.stringify({
        type: 's3404.capture',
        version: '1',
        context: ctx.context,
        capturedAt: new Date().toISOString(),
        image: { mediaType: 'image/png', data: png.toString('base64') },
        strokes,
      }),
    );
    return { body, headers: await signed('POST', '/v1/captures', body) };
  };
  const post = async (p: { body: Uint8Array; headers: Record<string, string> }): Promise<number> => {
    const t0 = performance.now();
    const r = await fetch(`${url}/v1/captures`, { method: 'POST', headers: p.headers, body: p.body });
    await r.arrayBuffer();
    const ms = performance.now() - t0;
    if (r.status !== 201) throw new Error(`capture: ${r.status}`);
    return ms;
  };

  // 1. Over HTTP, one at a time.
  for (let i = 0; i < WARMUP; i++) await post(await prepared());
  const sequential: number[] = [];
  for (let i = 0; i < ROUNDS; i++) sequential.push(await post(await prepared()));
  // 2. Over HTTP, N at once: each one's latency, and the wall time per signature.
  const concurrent = async (n: number): Promise<{ latency: number[]; perSignature: number[] }> => {
    const latency: number[] = [];
    const perSignature: number[] = [];
    for (let round = 0; round < Math.ceil(ROUNDS / n); round++) {
      const batch = await Promise.all(Array.from({ length: n }, prepared));
      const t0 = performance.now();
      latency.push(...(await Promise.all(batch.map(post))));
      perSignature.push((performance.now() - t0) / n);
    }
    return { latency, perSignature };
  };
  const four = await concurrent(4);
  const eight = await concurrent(8);
  // 3. In-process references: read + seal, and read + seal + deposit (no HTTP, no request signature).
  const inProcess = async (deposit: boolean): Promise<number[]> => {
    const times: number[] = [];
    for (let i = 0; i < ROUNDS + WARMUP; i++) {
      const ctx = await sealer.openContext({
        scope: { kind: 'bordereau', bordereauId: bordereau.id, contentHash: '0'.repeat(64) },
        role: 'insured',
        signer: { id: 'bench', name: 'Jeanne Martin' },
        terminalId,
      });
      const message = JSON.parse(
        JSON.stringify({
          type: 's3404.capture',
          version: '1',
          context: toContextMessage(ctx).context,
          capturedAt: new Date().toISOString(),
          image: { mediaType: 'image/png', data: png.toString('base64') },
          strokes,
        }),
      );
      const t0 = performance.now();
      const sealed = await sealer.seal(readCaptureMessage(message, { terminalId }));
      if (deposit) await consumer.deposit(sealed);
      if (i >= WARMUP) times.push(performance.now() - t0);
    }
    return times;
  };
  const sealOnly = await inProcess(false);
  const sealDeposit = await inProcess(true);
  await service.close();
  await store.close();
  rmSync(work, { recursive: true, force: true });

  const base = stats(sealOnly).median;
  const row = (name: string, times: number[]): string => {
    const s = stats(times);
    return `| ${name} | ${times.length} | ${s.median.toFixed(2)} | ${s.p95.toFixed(2)} | ${s.mean.toFixed(2)} | ${(s.median / base).toFixed(2)}× |`;
  };
  const lines = [
    '\n### Capture-to-sealed on the signing service (issue 17, goal ≤ 10 ms per signature)\n',
    `${await machine()}; PNG ${png.length} bytes (1000 × 400), ${strokes[0]!.points.length} pen points; ECDSA P-256 seal; SQLite single-use store.\n`,
    '| measure | signatures | median (ms) | p95 (ms) | mean (ms) | median ÷ in-process seal |',
    '|---|---:|---:|---:|---:|---:|',
    row('in-process: read + seal (reference)', sealOnly),
    row('in-process: read + seal + deposit', sealDeposit),
    row('HTTP POST /v1/captures, one at a time (latency)', sequential),
    row('HTTP, 4 at once: latency of each', four.latency),
    row('HTTP, 4 at once: wall time per signature', four.perSignature),
    row('HTTP, 8 at once: latency of each', eight.latency),
    row('HTTP, 8 at once: wall time per signature', eight.perSignature),
    '',
  ];
  console.log(lines.join('\n'));
  const goal = stats(sequential).median <= 10;
  console.log(goal ? 'Goal met: median capture-to-sealed ≤ 10 ms.' : 'GOAL MISSED: median capture-to-sealed > 10 ms.');
}

await main();
