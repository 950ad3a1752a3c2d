/**
 * A scratch `redis-server` for the tests that need a Redis of their own
 * (its settings, its restart, its death): started on a port, answered to
 * PING before it is handed over, killed by {@link stopRedisServer}. Plain
 * TCP, no client library.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** Whether a Redis answers PING on `port` of the loopback. */
function pong(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (d) => {
      reply += d.toString('latin1');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/**
 * Starts `redis-server` with `args` (a config file path and/or `--option value`
 * pairs; `--port` is for the caller to give) on the loopback, its files in
 * `dir`, and resolves once it answers PING on `port` (5 s at most).
 */
export async function startRedisServer(o: { port: number; dir: string; args: readonly string[] }): Promise<ChildProcess> {
  const p = spawn('redis-server', [...o.args, '--dir', o.dir, '--bind', '127.0.0.1', '--daemonize', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    if (p.exitCode !== null) break;
    if (await pong(o.port)) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
  p.kill('SIGKILL');
  throw new Error(`redis-server ${o.args.join(' ')} did not answer on port ${o.port}`);
}

/** Kills a server of {@link startRedisServer} and waits for it to be gone. */
export function stopRedisServer(p: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (p.exitCode !== null || p.signalCode !== null) return done();
    p.once('exit', () => done());
    p.kill('SIGKILL');
  });
}

/** A TCP port of the loopback that nothing listens on now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => done(port));
    });
  });
}
