import type { Locale } from '@s3404/core';

/** A progress line on a terminal: what a long demo shows on stderr while it works (issue 19). */
export interface DemoProgress {
  /** A stage starts: `total` items to do. */
  stage(name: string, total: number): void;
  /** `n` more items of the current stage are done. */
  advance(n?: number): void;
  /** Ends the line (the next output starts on a fresh line). */
  done(): void;
}

const WIDTH = 24;
const QUIET: DemoProgress = { stage() {}, advance() {}, done() {} };

const seconds = (s: number): string => {
  if (!Number.isFinite(s)) return '?';
  const m = Math.floor(s / 60);
  return m > 0 ? `${m} min ${String(Math.round(s % 60)).padStart(2, '0')} s` : `${Math.ceil(s)} s`;
};

/**
 * A progress bar with the rate and the time left (ETA), redrawn in place on
 * stderr at most every `everyMs` (default 100 ms), one line per stage — only
 * when stderr is a terminal and the output is not `--json`: piped, logged or
 * machine-read, the demo stays quiet.
 */
export function demoProgress(o: {
  readonly enabled: boolean;
  readonly write: (text: string) => void;
  readonly locale: Locale;
  readonly now?: () => number;
  readonly everyMs?: number;
}): DemoProgress {
  if (!o.enabled) return QUIET;
  const now = o.now ?? (() => performance.now());
  const every = o.everyMs ?? 100;
  const en = o.locale === 'en';
  let name = '';
  let total = 0;
  let count = 0;
  let started = 0;
  let drawn = Number.NEGATIVE_INFINITY;
  let open = false;
  const draw = (force: boolean): void => {
    const t = now();
    if (!force && t - drawn < every) return;
    drawn = t;
    const share = total === 0 ? 1 : Math.min(1, count / total);
    const filled = Math.round(share * WIDTH);
    const elapsed = Math.max(1e-3, (t - started) / 1000);
    const rate = count / elapsed;
    const eta = rate > 0 ? (total - count) / rate : Number.POSITIVE_INFINITY;
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    const rateText = en ? `${rate.toFixed(1)}/s` : `${rate.toFixed(1).replace('.', ',')}/s`;
    const left = count >= total ? (en ? `${seconds(elapsed)} elapsed` : `${seconds(elapsed)} écoulées`) : `ETA ${seconds(eta)}`;
    o.write(`\r\x1b[2K${name.padEnd(14)} ${bar} ${count}/${total} ${rateText} ${left}`);
    open = true;
  };
  return {
    stage(next, n) {
      if (open) {
        draw(true);
        o.write('\n');
        open = false;
      }
      name = next;
      total = n;
      count = 0;
      started = now();
      drawn = Number.NEGATIVE_INFINITY;
      draw(true);
    },
    advance(n = 1) {
      count += n;
      draw(count >= total);
    },
    done() {
      if (!open) return;
      draw(true);
      o.write('\n');
      open = false;
    },
  };
}
