/**
 * Test plumbing of the signing service's suites: start `s3404 serve` (the
 * built CLI) and read its JSON start line; a terminal written here with Node's
 * Web Crypto, independently of the SDK's `signTerminalRequest` (an oracle of
 * the request signature); a validator of every answer against the service's
 * own OpenAPI document (Ajv 2020); a signature PNG and strokes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, webcrypto } from 'node:crypto';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { greyPng } from '@s3404/tooling/png-kit';
import { prng } from '@s3404/tooling/test-kit';

const ROOT = new URL('../../../', import.meta.url).pathname;
export const BIN = join(ROOT, 'packages/cli/dist/bin.js');
const subtle = webcrypto.subtle;

/** A running `s3404 serve`. */
export interface Served {
  readonly url: string;
  readonly codes: string[];
  readonly start: Record<string, unknown>;
  readonly proc: ChildProcess;
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `s3404 serve --port 0 --json …args` and waits for its start line. */
export function startServe(args: readonly string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Served> {
  const proc = spawn('node', [BIN, 'serve', '--port', '0', '--json', ...args], { cwd: o.cwd ?? ROOT, env: { ...process.env, ...o.env } });
  let out = '';
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
    proc.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
    proc.stdout!.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const start = JSON.parse(out.slice(0, nl)) as { url: string; pairingCodes: string[] };
      resolve({
        url: start.url,
        codes: [...start.pairingCodes],
        start,
        proc,
        stderr: () => err,
        stop: async () => {
          proc.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}

const b64url = (b: Uint8Array): string => Buffer.from(b).toString('base64url');

/** One HTTP answer, its body read as JSON when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly type: string;
  readonly bytes: Buffer;
  readonly json: any;
  readonly headers: Headers;
}

/** Options of one request of a {@link TestTerminal}. */
export interface RequestOptions {
  /** Sign it (default true once paired). */
  readonly sign?: boolean;
  /** Raw body bytes instead of JSON. */
  readonly raw?: Uint8Array;
  readonly contentType?: string | null;
  /** Override the signed timestamp (ms). */
  readonly timestamp?: number;
  readonly nonce?: string;
  /** Replace headers after signing. */
  readonly headers?: Record<string, string>;
  /** Sign with this key instead of the terminal's. */
  readonly key?: webcrypto.CryptoKey;
  readonly lang?: string;
}

/** A terminal with its own ECDSA P-256 key pair (non-extractable private key), as the tablet page makes one. */
export class TestTerminal {
  readonly url: string;
  readonly id: string;
  keys!: webcrypto.CryptoKeyPair;
  /** Every answer received: method, path, status, type, body. */
  readonly answers: { method: string; path: string; answer: Answer }[] = [];
  /** The last signed headers sent. */
  lastHeaders: Record<string, string> = {};

  constructor(url: string, id: string) {
    this.url = url;
    this.id = id;
  }

  async init(): Promise<this> {
    this.keys = (await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    return this;
  }

  async publicJwk(): Promise<{ kty: string; crv: string; x: string; y: string }> {
    const jwk = await subtle.exportKey('jwk', this.keys.publicKey);
    return { kty: 'EC', crv: 'P-256', x: jwk.x!, y: jwk.y! };
  }

  async pair(code: string): Promise<Answer> {
    return this.request('POST', '/v1/terminals', { terminalId: this.id, publicKey: await this.publicJwk(), pairingCode: code }, { sign: false });
  }

  /** The signed headers of a request, computed here (not with the SDK). */
  async sign(method: string, path: string, body: Uint8Array, o: RequestOptions = {}): Promise<Record<string, string>> {
    const timestamp = String(o.timestamp ?? Date.now());
    const nonce = o.nonce ?? b64url(webcrypto.getRandomValues(new Uint8Array(16)));
    const hash = createHash('sha256').update(body).digest('hex');
    const text = `${method}\n${path}\n${timestamp}\n${nonce}\n${hash}`;
    const sig = new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, o.key ?? this.keys.privateKey, new TextEncoder().encode(text)));
    return { 'S3404-Terminal': this.id, 'S3404-Timestamp': timestamp, 'S3404-Nonce': nonce, 'S3404-Signature': b64url(sig) };
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, o: RequestOptions = {}): Promise<Answer> {
    const bytes = o.raw ?? (body === undefined ? new Uint8Array(0) : new TextEncoder().encode(JSON.stringify(body)));
    const headers: Record<string, string> = {};
    if (o.lang !== undefined) headers['accept-language'] = o.lang;
    if (body !== undefined || o.raw !== undefined) {
      if (o.contentType !== null) headers['content-type'] = o.contentType ?? 'application/json';
    }
    if (o.sign !== false) Object.assign(headers, await this.sign(method, path, bytes, o));
    Object.assign(headers, o.headers);
    this.lastHeaders = headers;
    const r = await fetch(this.url + path, { method, headers, ...(method === 'GET' ? {} : { body: new Uint8Array(bytes) }) });
    const buf = Buffer.from(await r.arrayBuffer());
    const type = r.headers.get('content-type') ?? '';
    const answer: Answer = {
      status: r.status,
      type,
      bytes: buf,
      json: type.startsWith('application/json') ? JSON.parse(buf.toString('utf8')) : null,
      headers: r.headers,
    };
    this.answers.push({ method, path, answer });
    return answer;
  }

  /** Resends the exact last request's headers (a replay). */
  async replayLast(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> {
    const headers = { ...this.lastHeaders };
    const bytes = body === undefined ? undefined : JSON.stringify(body);
    const r = await fetch(this.url + path, { method, headers, ...(bytes === undefined ? {} : { body: bytes }) });
    const buf = Buffer.from(await r.arrayBuffer());
    const answer: Answer = {
      status: r.status,
      type: r.headers.get('content-type') ?? '',
      bytes: buf,
      json: JSON.parse(buf.toString('utf8')),
      headers: r.headers,
    };
    this.answers.push({ method, path, answer });
    return answer;
  }
}

/**
 * Validates answers against the service's OpenAPI document: the operation of
 * the path and method, the schema of the status's JSON content. Returns the
 * problems (an empty list when valid).
 */
export function openapiChecker(doc: any): (method: string, path: string, answer: Answer) => string[] {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  const schemas = doc.components.schemas as Record<string, unknown>;
  const compiled = new Map<string, ValidateFunction>();
  const compile = (name: string): ValidateFunction => {
    let v = compiled.get(name);
    if (v === undefined) {
      v = ajv.compile(schemas[name] as object);
      compiled.set(name, v);
    }
    return v;
  };
  const templates = Object.keys(doc.paths).map((t) => ({ t, re: new RegExp(`^${t.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`) }));
  return (method, path, answer) => {
    const p = path.split('?')[0]!;
    const template = templates.find((x) => x.re.test(p));
    if (template === undefined) {
      // An undocumented path is answered by a coded 404, an ErrorMessage too.
      if (answer.status !== 404) return [`${method} ${p}: not a documented path`];
      const v = compile('ErrorMessage');
      return v(answer.json) ? [] : [`${method} ${p} 404: ${ajv.errorsText(v.errors)}`];
    }
    const op = doc.paths[template.t][method.toLowerCase()];
    if (op === undefined) return answer.status === 405 ? [] : [`${method} ${p}: not a documented operation`];
    const response = op.responses[String(answer.status)];
    if (response === undefined) return [`${method} ${p}: status ${answer.status} not documented`];
    const json = response.content?.['application/json'];
    if (json === undefined) {
      const types = Object.keys(response.content ?? {});
      return types.some((t) => answer.type.startsWith(t)) ? [] : [`${method} ${p} ${answer.status}: type ${answer.type} not in ${types.join(', ')}`];
    }
    if (!answer.type.startsWith('application/json')) return [`${method} ${p} ${answer.status}: not JSON`];
    const ref = json.schema.$ref as string | undefined;
    const validate = ref === undefined ? ajv.compile(json.schema) : compile(ref.split('/').pop()!);
    return validate(answer.json) ? [] : [`${method} ${p} ${answer.status}: ${ajv.errorsText(validate.errors)}`];
  };
}

/** A PNG that no other test makes: grey noise bands from a seeded generator (8-bit grey, valid, ~`width × height / 4` bytes). */
export function noisePng(width: number, height: number, seed: number): Buffer {
  const random = prng(seed);
  const raw = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0;
    for (let x = 0; x < width; x++) if ((x + y) % 3 === 0) raw[y * (width + 1) + 1 + x] = Math.floor(random() * 256);
  }
  return Buffer.from(greyPng(width, height, raw));
}

/** Strokes inside `width × height`, time going forward. */
export function strokesIn(width: number, height: number): { pointerType: 'pen'; points: [number, number, number, number][] }[] {
  return [
    {
      pointerType: 'pen',
      points: Array.from(
        { length: 40 },
        (_, i) => [10 + (i * (width - 20)) / 40, height / 2 + Math.sin(i / 4) * (height / 4), i * 8, 0.5] as [number, number, number, number],
      ),
    },
  ];
}

/** A capture message for a context message, built as a tablet builds it (the wire format, by hand). */
export function captureFor(context: any, png: Buffer, o: { strokes?: unknown; capturedAt?: Date } = {}): Record<string, unknown> {
  return {
    type: 's3404.capture',
    version: '1',
    context: context.context,
    capturedAt: (o.capturedAt ?? new Date()).toISOString(),
    image: { mediaType: 'image/png', data: png.toString('base64') },
    strokes: o.strokes ?? strokesIn(context.image.width, context.image.height),
  };
}
