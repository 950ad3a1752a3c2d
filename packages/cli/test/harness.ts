import { run, type Io } from '@s3404/cli';

/** The result of one in-process run of the command. */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * Runs `s3404` in-process in `cwd`, with output captured, documents dated by
 * `SOURCE_DATE_EPOCH` (`epoch`, seconds) so their bytes are deterministic,
 * and, when given, an injected clock `now` for what the security clock judges
 * (validity, expiry, trace order) — the system clock otherwise.
 */
export function cliIn(cwd: string, epoch = '1774000800', now?: () => Date): (args: string[], env?: Record<string, string>) => Promise<CliRun> {
  return async (args, env = {}) => {
    let out = '';
    let err = '';
    const io: Io = {
      stdout: (t) => (out += t),
      stderr: (t) => (err += t),
      env: { SOURCE_DATE_EPOCH: epoch, ...env },
      cwd,
      ...(now === undefined ? {} : { now }),
    };
    const code = await run(args, io);
    return { code, out, err };
  };
}
