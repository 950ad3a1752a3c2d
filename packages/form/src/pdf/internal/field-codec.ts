import { formatCents, formatDateFr } from '../../format.js';
import { INSURANCE_NATURES } from '../../model/coverage.js';

/**
 * How a model leaf is written into (and read back from) a PDF field: the
 * same codec serves the printed text, the AcroForm field values of the
 * fillable mode and their read-back (FORM-5 round trip).
 */
export type FieldKind = 'nir' | 'text' | 'money' | 'date' | 'decimal' | 'int' | 'rate' | 'bool' | 'list' | 'nature' | 'signer' | 'outside';

const MONEY = /(^totals\.[a-z]+$)|\.(amount|base|unitPrice|overrun)$/;
const DATE = /(^issuedOn$)|(^signatures\.accountingDay$)|(\.(date|from|to|birthDate|maternityDate)$)/;
const INT = /\.(quantity|birthRank)$/;

/** The kind of a leaf, from its dotted path (`fees.2.amount`). */
export function kindOf(path: string): FieldKind {
  if (MONEY.test(path)) return 'money';
  if (DATE.test(path)) return 'date';
  if (path.endsWith('.rate')) return 'rate';
  if (INT.test(path)) return 'int';
  if (path.endsWith('.coefficient')) return 'decimal';
  if (path.endsWith('.mandate') || path.endsWith('.delegate')) return 'bool';
  if (path.endsWith('.modifiers')) return 'list';
  if (path.endsWith('.nir')) return 'nir';
  if (path === 'coverage.insuranceNature') return 'nature';
  if (path === 'signatures.insured.signer') return 'signer';
  if (path.endsWith('.outsideStay')) return 'outside';
  return 'text';
}

const SIGNERS = { insured: 'Assuré(e)', beneficiary: 'Bénéficiaire', representative: 'Représentant légal' } as const;
const OUTSIDE = { 'pre-admission': 'pré', 'post-discharge': 'post' } as const;

/** French display form of a value. */
export function formatValue(kind: FieldKind, value: unknown): string {
  switch (kind) {
    case 'money':
      return formatCents(value as number, { currency: false });
    case 'nir': {
      const n = value as string;
      return `${n.slice(0, 1)} ${n.slice(1, 3)} ${n.slice(3, 5)} ${n.slice(5, 7)} ${n.slice(7, 10)} ${n.slice(10)}`;
    }
    case 'date':
      return formatDateFr(value as string);
    case 'rate':
      return `${value as number} %`;
    case 'decimal':
      return String(value as number).replace('.', ',');
    case 'int':
      return String(value as number);
    case 'bool':
      return value === true ? 'oui' : 'non';
    case 'list':
      return (value as string[]).join(' ');
    case 'nature': {
      const label = INSURANCE_NATURES[value as keyof typeof INSURANCE_NATURES]?.fr;
      return label === undefined ? String(value) : `${value as string} ${label}`;
    }
    case 'signer':
      return SIGNERS[value as keyof typeof SIGNERS] ?? String(value);
    case 'outside':
      return OUTSIDE[value as keyof typeof OUTSIDE] ?? String(value);
    default:
      return String(value);
  }
}

/** Reading a value failed; the caller reports the field. */
export class FieldParseError extends Error {}

const SPACES = /[\s\u00a0\u202f€%]/g;

/** Line breaks and tabs a viewer may leave around a typed value: never part of a model text. */
const EDGE_CONTROLS = /^[\t\n\v\f\r]+|[\t\n\v\f\r]+$/g;

/**
 * Parses the display form back into the model value (tolerant to spacing).
 * Free text is returned as the field holds it, only line breaks and tabs at
 * its ends removed: its spaces, leading and trailing ones included, are part
 * of the value (the model accepts them), so a rendered bordereau reads back
 * unchanged (FORM-5).
 */
export function parseValue(kind: FieldKind, text: string): unknown {
  const t = text.trim();
  switch (kind) {
    case 'nir':
      return t.replace(/\s+/g, '').toUpperCase();
    case 'money': {
      const m = /^(\d+)(?:,(\d{1,2}))?$/.exec(t.replace(SPACES, '').replace('.', ','));
      if (m === null) throw new FieldParseError(t);
      return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
    }
    case 'date': {
      const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(t);
      if (m === null) throw new FieldParseError(t);
      return `${m[3]}-${m[2]}-${m[1]}`;
    }
    case 'rate':
    case 'int': {
      const s = t.replace(SPACES, '');
      if (!/^\d+$/.test(s)) throw new FieldParseError(t);
      return Number(s);
    }
    case 'decimal': {
      const s = t.replace(SPACES, '').replace(',', '.');
      if (!/^\d+(\.\d+)?$/.test(s)) throw new FieldParseError(t);
      return Number(s);
    }
    case 'bool':
      if (/^(oui|yes|true|1|x)$/i.test(t)) return true;
      if (/^(non|no|false|0)$/i.test(t)) return false;
      throw new FieldParseError(t);
    case 'list':
      return t === '' ? [] : t.split(/[\s,;]+/);
    case 'nature': {
      const m = /^(\d{2})\b/.exec(t);
      if (m === null) throw new FieldParseError(t);
      return m[1];
    }
    case 'signer': {
      const found = Object.entries(SIGNERS).find(([k, label]) => label.toLowerCase() === t.toLowerCase() || k === t);
      if (found === undefined) throw new FieldParseError(t);
      return found[0];
    }
    case 'outside': {
      const found = Object.entries(OUTSIDE).find(([k, label]) => label === t.toLowerCase() || k === t);
      if (found === undefined) throw new FieldParseError(t);
      return found[0];
    }
    default:
      return text.replace(EDGE_CONTROLS, '');
  }
}

/** Every leaf of a JSON value with its dotted path; arrays of strings are leaves. */
export function flattenLeaves(value: unknown, prefix = ''): [string, unknown][] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string') && prefix.endsWith('modifiers')) return [[prefix, value]];
  if (value !== null && typeof value === 'object') {
    const out: [string, unknown][] = [];
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    for (const [k, v] of entries) {
      if (v === undefined) continue;
      out.push(...flattenLeaves(v, prefix === '' ? k : `${prefix}.${k}`));
    }
    return out;
  }
  return [[prefix, value]];
}

/** Path segments accepted when rebuilding (no `__proto__`, `constructor`…). */
const SAFE_SEGMENT = /^(\d{1,4}|(?!__proto__$|constructor$|prototype$)[A-Za-z$][A-Za-z0-9]{0,39})$/;

/** Rebuilds an object from dotted paths; numeric segments become array indexes. */
export function unflatten(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of entries) {
    const parts = path.split('.');
    if (parts.some((p) => !SAFE_SEGMENT.test(p))) continue;
    let node: Record<string, unknown> | unknown[] = root;
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      const key: string | number = Array.isArray(node) ? Number(part) : part;
      if (last) {
        (node as Record<string | number, unknown>)[key] = value;
        return;
      }
      const nextIsIndex = /^\d+$/.test(parts[i + 1]!);
      const container = node as Record<string | number, unknown>;
      container[key] ??= nextIsIndex ? [] : {};
      node = container[key] as Record<string, unknown> | unknown[];
    });
  }
  return root;
}
