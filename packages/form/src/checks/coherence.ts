import type { Bordereau } from '../model/bordereau.js';
import { formatPath, type MessageParams } from '@s3404/core';

/** A coherence problem, before localisation. */
export interface RawIssue {
  readonly code: string;
  readonly path: (string | number)[];
  readonly params: MessageParams;
}

/** A dated line outside the stay, before it is reported. */
interface Outside {
  readonly date: string;
  readonly path: (string | number)[];
}

/** Rounds `numerator / denominator` half up (both non-negative integers). */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}

function sum(values: readonly number[]): number {
  let s = 0;
  for (const v of values) s += v;
  return s;
}

/**
 * Cross-field checks of a structurally valid bordereau (FORM-2): dates
 * (exit ≥ entry, lines within the stay unless flagged, birth before entry,
 * AT/MP), line amounts, per-table totals, grand total and AMO/AMC/assuré split.
 */
export function coherenceIssues(b: Bordereau): RawIssue[] {
  const issues: RawIssue[] = [];
  const add = (code: string, path: (string | number)[], params: MessageParams = {}): void => {
    issues.push({ code, path, params });
  };
  const entry = b.stay.entry;
  const exit = b.stay.exit;
  const from = entry.date;
  const to = exit?.date ?? b.issuedOn;

  // ---- dates ----------------------------------------------------------------
  if (exit !== undefined && `${exit.date}T${exit.time}` < `${entry.date}T${entry.time}`) {
    add('ERR_DATE_ORDER', ['stay', 'exit'], {
      detail: {
        fr: `sortie ${exit.date} ${exit.time} avant l’entrée ${entry.date} ${entry.time}`,
        en: `exit ${exit.date} ${exit.time} before entry ${entry.date} ${entry.time}`,
      },
    });
  }
  if (b.issuedOn < entry.date) {
    add('ERR_DATE_ORDER', ['issuedOn'], {
      detail: { fr: `bordereau établi le ${b.issuedOn}, avant l’entrée ${entry.date}`, en: `issued on ${b.issuedOn}, before entry ${entry.date}` },
    });
  }
  if (b.insured.birthDate > entry.date) {
    add('ERR_DATE_ORDER', ['insured', 'birthDate'], {
      detail: { fr: `naissance ${b.insured.birthDate} après l’entrée ${entry.date}`, en: `birth ${b.insured.birthDate} after entry ${entry.date}` },
    });
  }
  if (b.beneficiary !== undefined && b.beneficiary.birthDate > entry.date) {
    add('ERR_DATE_ORDER', ['beneficiary', 'birthDate'], {
      detail: { fr: `naissance ${b.beneficiary.birthDate} après l’entrée ${entry.date}`, en: `birth ${b.beneficiary.birthDate} after entry ${entry.date}` },
    });
  }
  // Dated lines and transfers must lie within [from, to]. One wrong bound must not bury the
  // bordereau under one issue per line: when the bounds themselves are reversed (already
  // reported above) the lines are not judged against them, and when several lines fall on the
  // same side of the stay, one issue at that bound names them (the bound is the likelier mistake).
  const outside: { before: Outside[]; after: Outside[] } = { before: [], after: [] };
  const within = (date: string, path: (string | number)[], exception: string | undefined): void => {
    if (exception === 'pre-admission' && date <= from) return;
    if (exception === 'post-discharge' && date >= to) return;
    if (date < from) outside.before.push({ date, path });
    else if (date > to) outside.after.push({ date, path });
  };
  b.services.forEach((l, i) => {
    within(l.from, ['services', i, 'from'], l.outsideStay);
    if (l.to !== undefined) {
      if (l.to < l.from)
        add('ERR_DATE_ORDER', ['services', i, 'to'], { detail: { fr: `fin ${l.to} avant début ${l.from}`, en: `end ${l.to} before start ${l.from}` } });
      else within(l.to, ['services', i, 'to'], l.outsideStay);
    }
  });
  for (const table of ['fees', 'lpp', 'drugs'] as const) {
    for (const [i, l] of b[table].entries()) within(l.date, [table, i, 'date'], l.outsideStay);
  }
  (b.stay.transfers ?? []).forEach((t, i) => {
    within(t.date, ['stay', 'transfers', i, 'date'], undefined);
  });
  if (to >= from) {
    const toPath = exit === undefined ? ['issuedOn'] : ['stay', 'exit', 'date'];
    for (const [side, list, bound] of [
      ['before', outside.before, ['stay', 'entry', 'date']],
      ['after', outside.after, toPath],
    ] as const) {
      if (list.length === 1) add('ERR_DATE_OUTSIDE_STAY', list[0]!.path, { received: list[0]!.date, from, to });
      else if (list.length > 1) {
        const sorted = [...list].sort((x, y) => (x.date < y.date ? -1 : x.date > y.date ? 1 : 0));
        const farthest = side === 'before' ? sorted[0]! : sorted[sorted.length - 1]!;
        add('ERR_DATE_OUTSIDE_STAY', [...bound], {
          count: list.length,
          side: side === 'before' ? { fr: 'avant l’entrée', en: 'before the entry' } : { fr: 'après la sortie', en: 'after the exit' },
          received: farthest.date,
          detail: formatPath(farthest.path),
          from,
          to,
        });
      }
    }
  }

  // ---- coverage -------------------------------------------------------------
  const nature = b.coverage.insuranceNature;
  if (nature === '40' && b.coverage.accident === undefined) add('ERR_ACCIDENT_REQUIRED', ['coverage', 'accident']);
  if (nature !== '40' && b.coverage.accident !== undefined) add('ERR_ACCIDENT_NOT_ALLOWED', ['coverage', 'accident'], { received: nature });
  if (b.coverage.accident !== undefined && b.coverage.accident.date > entry.date) {
    add('ERR_DATE_ORDER', ['coverage', 'accident', 'date'], {
      detail: {
        fr: `accident du ${b.coverage.accident.date} après l’entrée ${entry.date}`,
        en: `accident on ${b.coverage.accident.date} after entry ${entry.date}`,
      },
    });
  }
  if (b.signatures.insured.signer === 'beneficiary' && b.beneficiary === undefined) {
    add('ERR_SIGNATURE_SLOT', ['signatures', 'insured', 'signer'], {
      detail: { fr: 'signataire « bénéficiaire » sans bloc bénéficiaire', en: 'beneficiary signer without a beneficiary block' },
    });
  }
  b.fees.forEach((l, i) => {
    if (!l.signature.mandate && l.signature.mandateRef !== undefined) {
      add('ERR_SIGNATURE_SLOT', ['fees', i, 'signature', 'mandateRef'], {
        detail: { fr: 'référence de mandat sur une ligne non signée pour mandat', en: 'mandate reference on a line not signed under mandate' },
      });
    }
  });

  // ---- line amounts -----------------------------------------------------------
  b.services.forEach((l, i) => {
    const coef = BigInt(Math.round(l.coefficient * 10_000));
    const expected = roundHalfUp(BigInt(l.unitPrice) * BigInt(l.quantity) * coef, 10_000n);
    if (expected !== BigInt(l.amount)) {
      add('ERR_LINE_AMOUNT', ['services', i, 'amount'], {
        detail: `${l.unitPrice} × ${l.quantity} × ${l.coefficient}`,
        expected: Number(expected),
        received: l.amount,
      });
    }
  });
  for (const [table, lines] of [
    ['lpp', b.lpp],
    ['drugs', b.drugs],
  ] as const) {
    lines.forEach((l, i) => {
      const expected = l.unitPrice * l.quantity;
      if (expected !== l.amount) {
        add('ERR_LINE_AMOUNT', [table, i, 'amount'], { detail: `${l.unitPrice} × ${l.quantity}`, expected, received: l.amount });
      }
    });
  }
  b.fees.forEach((l, i) => {
    if (l.overrun > l.amount) {
      add('ERR_LINE_AMOUNT', ['fees', i, 'overrun'], {
        detail: { fr: `dépassement ${l.overrun} > montant ${l.amount}`, en: `overrun ${l.overrun} above amount ${l.amount}` },
        expected: l.amount,
        received: l.overrun,
      });
    }
  });

  // ---- totals -----------------------------------------------------------------
  const t = b.totals;
  const expectTotal = (key: keyof typeof t, expected: number): void => {
    if (t[key] !== expected) add('ERR_TOTAL_MISMATCH', ['totals', key], { expected, received: t[key] });
  };
  expectTotal('services', sum(b.services.map((l) => l.amount)));
  expectTotal('fees', sum(b.fees.map((l) => l.amount)));
  expectTotal('lpp', sum(b.lpp.map((l) => l.amount)));
  expectTotal('drugs', sum(b.drugs.map((l) => l.amount)));
  expectTotal('total', t.services + t.fees + t.lpp + t.drugs);
  if (t.amo + t.amc + t.patient !== t.total) {
    add('ERR_PARTS_MISMATCH', ['totals', 'patient'], { expected: t.total, received: t.amo + t.amc + t.patient });
  }
  if (t.amc > 0 && b.coverage.complementary === undefined) {
    add('ERR_AMC_WITHOUT_COMPLEMENTARY', ['totals', 'amc'], { received: t.amc });
  }
  return issues;
}
