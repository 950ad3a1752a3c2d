import { isS3404Error, type Clock, type Sha256 } from '@s3404/core';
import { elapsedClock, sha256Hex, utf8 } from '../internal/digest.js';
import { Indeterminate } from '../internal/indeterminate.js';
import type { ConformanceTest } from '../report.js';

/**
 * What every contract suite receives besides the implementation under test
 * (X-3): the clock the cases date their records with, and the hash for the
 * evidence. Suites never read the system clock themselves.
 *
 * `import type { ContractContext } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export interface ContractContext {
  readonly now: Clock;
  readonly sha256?: Sha256 | undefined;
}

/**
 * A broken promise of the contract (X-3): thrown by a case's body, it fails
 * the case with its message.
 *
 * `import { ContractViolation } from '@s3404/conformance/contracts'`
 *
 * @public
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

/** Throws a {@link ContractViolation} with `detail` unless `condition` holds. */
export function expectContract(condition: boolean, detail: string): asserts condition {
  if (!condition) throw new ContractViolation(detail);
}

/** One case of a contract suite, as the suites declare it. */
export interface ContractCaseSpec {
  /** The suite, e.g. `consumption-store`: the report names the case `contracts/<suite>#<tcId>`. */
  readonly suite: string;
  readonly tcId: number;
  readonly requirements: readonly string[];
  /** What the case checks, in a sentence an examiner can read. */
  readonly comment: string;
  /** Runs the case; throws {@link ContractViolation} when the contract is broken. Returns the code observed, if any. */
  readonly body: () => Promise<unknown>;
}

/**
 * Runs one contract case and turns it into a line of the report (X-3):
 * `passed` when the body returns, `failed` with the violation (or an
 * uncoded exception), `indeterminate` when the body could not judge.
 * A coded error escaping the body fails the case with its code: a contract
 * case expects its refusals and catches them itself.
 */
export async function runContractCase(spec: ContractCaseSpec, context: ContractContext): Promise<ConformanceTest> {
  const elapsed = elapsedClock();
  const started = elapsed();
  let outcome: ConformanceTest['outcome'] = 'passed';
  let code: string | undefined;
  let detail: string | undefined;
  try {
    const answered = await spec.body();
    if (typeof answered === 'string') code = answered;
  } catch (e) {
    if (e instanceof Indeterminate) {
      outcome = 'indeterminate';
      detail = e.message;
    } else {
      outcome = 'failed';
      if (isS3404Error(e)) code = e.code;
      detail = (e instanceof ContractViolation ? e.message : `uncoded exception: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`).slice(0, 500);
    }
  }
  return {
    file: `contracts/${spec.suite}`,
    tcId: spec.tcId,
    type: `contract.${spec.suite}`,
    requirements: spec.requirements,
    result: 'valid',
    comment: spec.comment,
    outcome,
    ...(code === undefined ? {} : { code }),
    ...(detail === undefined ? {} : { detail }),
    ms: Math.round((elapsed() - started) * 1000) / 1000,
    inputSha256: await sha256Hex(utf8(`${spec.suite}#${spec.tcId} ${spec.comment}`), context.sha256),
  };
}
