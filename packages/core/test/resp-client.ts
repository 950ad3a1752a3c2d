/**
 * A minimal Redis client for core's tests (issue 19): RESP2 over one TCP connection, commands
 * pipelined in order. Core depends on no Redis driver — `RedisLease` takes any client with
 * ioredis's `eval` — and this is the smallest one: `eval`, `keys`, `del`, `disconnect`.
 */
import { connect, type Socket } from 'node:net';

type Reply = string | number | null | Reply[];

export class RespClient {
  readonly #socket: Socket;
  readonly #pending: { resolve: (r: Reply) => void; reject: (e: Error) => void }[] = [];
  #buffer = Buffer.alloc(0);

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (d) => {
      this.#buffer = Buffer.concat([this.#buffer, d]);
      for (;;) {
        const parsed = parse(this.#buffer, 0);
        if (parsed === undefined) break;
        this.#buffer = this.#buffer.subarray(parsed.end);
        const waiter = this.#pending.shift();
        if (parsed.value instanceof Error) waiter?.reject(parsed.value);
        else waiter?.resolve(parsed.value);
      }
    });
    socket.on('error', (e) => {
      for (const w of this.#pending.splice(0)) w.reject(e);
    });
  }

  /** Connects to `redis://host:port`. */
  static async open(url: string): Promise<RespClient> {
    const u = new URL(url);
    const socket = connect(Number(u.port || 6379), u.hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new RespClient(socket);
  }

  command(...args: (string | number)[]): Promise<Reply> {
    const parts = args.map((a) => Buffer.from(String(a)));
    const frame = Buffer.concat([Buffer.from(`*${parts.length}\r\n`), ...parts.flatMap((p) => [Buffer.from(`$${p.length}\r\n`), p, Buffer.from('\r\n')])]);
    return new Promise((resolve, reject) => {
      this.#pending.push({ resolve, reject });
      this.#socket.write(frame);
    });
  }

  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown> {
    return this.command('EVAL', script, numKeys, ...keysAndArgs);
  }

  async keys(pattern: string): Promise<string[]> {
    return (await this.command('KEYS', pattern)) as string[];
  }

  async del(...keys: string[]): Promise<number> {
    return (await this.command('DEL', ...keys)) as number;
  }

  disconnect(): void {
    this.#socket.destroy();
  }
}

function parse(b: Buffer, at: number): { value: Reply | Error; end: number } | undefined {
  const eol = b.indexOf('\r\n', at);
  if (eol < 0) return undefined;
  const head = b.toString('utf8', at + 1, eol);
  const next = eol + 2;
  switch (String.fromCharCode(b[at]!)) {
    case '+':
      return { value: head, end: next };
    case '-':
      return { value: new Error(head), end: next };
    case ':':
      return { value: Number(head), end: next };
    case '$': {
      const n = Number(head);
      if (n < 0) return { value: null, end: next };
      if (b.length < next + n + 2) return undefined;
      return { value: b.toString('utf8', next, next + n), end: next + n + 2 };
    }
    case '*': {
      const n = Number(head);
      if (n < 0) return { value: null, end: next };
      const items: Reply[] = [];
      let pos = next;
      for (let i = 0; i < n; i++) {
        const item = parse(b, pos);
        if (item === undefined) return undefined;
        items.push(item.value instanceof Error ? item.value.message : item.value);
        pos = item.end;
      }
      return { value: items, end: pos };
    }
    default:
      throw new Error(`RESP: unexpected reply type ${head}`);
  }
}
