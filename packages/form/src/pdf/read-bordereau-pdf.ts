import { parseBordereau } from '../validate-bordereau.js';
import type { Bordereau } from '../model/bordereau.js';
import { MODEL_VERSION } from '../model/bordereau.js';
import { resolveLocale, truncateForMessage, type Issue, type Locale } from '@s3404/core';
import { FormError } from '../errors/form-error.js';
import { FORM_ERRORS } from '../errors/form-errors.js';
import { invalidBordereau } from '../validate-bordereau.js';
import { FIELD_PREFIX } from './internal/acroform-fields.js';
import { FieldParseError, kindOf, parseValue, unflatten } from './internal/field-codec.js';
import { PDFTextField, type PDFField } from './internal/engine.js';
import { assertPdfBytes, loadPdf } from './internal/load-pdf.js';
import { guardPdf } from './internal/guard.js';

/** Options of {@link readBordereauFromPdf} (FORM-5). */
export interface ReadBordereauPdfOptions {
  /** Language of error messages. Default `'fr'`. */
  readonly locale?: Locale;
}

/**
 * Reads a filled fillable bordereau (rendered with `mode: 'fillable'`) back
 * into the model (FORM-5 round trip): every `s3404.*` AcroForm field is parsed
 * (French amounts, jj/mm/aaaa dates…), then the result is validated like any
 * input — so what a person typed on screen is checked too.
 *
 * `import { readBordereauFromPdf } from '@s3404/form/pdf'`
 *
 * @example
 * ```ts
 * const bordereau = await readBordereauFromPdf(filledPdf, { locale: 'en' })
 * ```
 * @throws {@link FormError} `ERR_PDF_UNREADABLE`, `ERR_PDF_ENCRYPTED` or `ERR_ACROFORM_MISSING` (kind `input`);
 * `ERR_BORDEREAU_INVALID` (kind `verdict`) when a field cannot be read or the result is invalid.
 * @public
 */
export async function readBordereauFromPdf(pdf: Uint8Array, options: ReadBordereauPdfOptions = {}): Promise<Bordereau> {
  const locale = resolveLocale(options.locale);
  assertPdfBytes(pdf, 'readBordereauFromPdf');
  return guardPdf(locale, () => read(pdf, locale));
}

async function read(pdf: Uint8Array, locale: Locale): Promise<Bordereau> {
  const doc = await loadPdf(pdf, locale);
  const entries: [string, unknown][] = [];
  const issues: Issue[] = [];
  let fields: PDFField[];
  try {
    fields = doc.getForm().getFields();
  } catch {
    fields = [];
  }
  for (const field of fields) {
    const name = field.getName();
    if (!name.startsWith(FIELD_PREFIX) || !(field instanceof PDFTextField)) continue;
    const path = name.slice(FIELD_PREFIX.length);
    const text = field.getText() ?? '';
    const kind = kindOf(path);
    if (text.trim() === '' && kind !== 'list') continue;
    try {
      entries.push([path, parseValue(kind, text)]);
    } catch (e) {
      if (!(e instanceof FieldParseError)) throw e;
      issues.push({
        code: 'ERR_ACROFORM_VALUE',
        path: path.split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
        message: FORM_ERRORS.message('ERR_ACROFORM_VALUE', { detail: path, received: truncateForMessage(text) }, locale),
      });
    }
  }
  if (entries.length === 0 && issues.length === 0) {
    throw new FormError('ERR_ACROFORM_MISSING', { locale });
  }
  if (issues.length > 0) throw invalidBordereau(issues, 0, locale);
  const model = unflatten(entries);
  model['modelVersion'] ??= MODEL_VERSION;
  for (const table of ['services', 'fees', 'lpp', 'drugs']) model[table] ??= [];
  return parseBordereau(model, { locale });
}
