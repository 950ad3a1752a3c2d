import type { Locale } from '@s3404/core';
import { nodeSha256 } from '@s3404/core/node';
import { renderConformanceHtml } from '@s3404/conformance';
import { runAdapterConformance } from '@s3404/conformance/node';
import { CliError } from '../errors.js';
import { prepareOutput, securityClock, writeOutput, type Io } from '../io.js';
import { printJson } from '../output.js';
import { VERSION } from '../version.js';
import { printTable } from './conformance.js';

const USAGE = 's3404 conformance --adapter MODULE [--race N] [--crash-trials N] [--report FILE.json] [--html FILE.html] [--json]';

/** A whole number from the command line, within bounds, else a usage error. */
function count(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d{1,6}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: `${USAGE} (${name}: ${min}…${max})` } });
  return n;
}

/**
 * `s3404 conformance --adapter MODULE [--race N] [--crash-trials N]
 * [--report FILE.json] [--html FILE.html] [--json]` (X-3, SIG-5): runs the contract suites
 * against the implementations a vendor's adapter module provides — with the
 * race over processes and the crash trials — and prints the same
 * per-requirement table as the vector run; 0 when every requirement covered
 * passed, 1 otherwise, 2 for a wrong command line or a module that is not an
 * adapter.
 */
export async function conformanceAdapterCommand(
  io: Io,
  rest: readonly string[],
  opts: {
    adapter: string;
    race: string | undefined;
    crashTrials: string | undefined;
    report: string | undefined;
    html: string | undefined;
    json: boolean;
    locale: Locale;
    conflicting: boolean;
  },
): Promise<number> {
  if (rest.length > 0 || opts.conflicting || opts.adapter === '') throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: USAGE } });
  const race = count(opts.race, '--race', 1, 10_000);
  const crashTrials = count(opts.crashTrials, '--crash-trials', 0, 100);
  // The outputs' folders are checked before a run of many seconds, not after.
  if (opts.report !== undefined) await prepareOutput(io, opts.report);
  if (opts.html !== undefined) await prepareOutput(io, opts.html);
  const report = await runAdapterConformance({
    module: opts.adapter,
    cwd: io.cwd,
    race,
    crashTrials,
    now: () => securityClock(io),
    sha256: nodeSha256,
    sdkVersion: VERSION,
  });
  if (opts.report !== undefined) await writeOutput(io, opts.report, `${JSON.stringify(report, null, 2)}\n`);
  if (opts.html !== undefined) await writeOutput(io, opts.html, renderConformanceHtml(report, { locale: opts.locale }));
  if (opts.json) printJson(io, report);
  else printTable(io, report, [], opts.locale);
  return report.ok ? 0 : 1;
}
