import { parseArgs } from 'node:util';
import { InputError, S3404Error, type Locale } from '@s3404/form/errors';
import { UsageError, processIo, type Io } from './io.js';
import { USAGE } from './usage.js';
import { validateCommand } from './commands/validate.js';
import { renderCommand } from './commands/render.js';
import { demoCommand } from './commands/demo.js';
import { pkiCommand } from './commands/pki.js';
import { recordCommand } from './commands/record.js';
import { auditCommand } from './commands/audit.js';

const PLANNED = new Set(['pdf', 'conformance']);

/**
 * Runs the `s3404` command (CLI contract of the SPEC; FORM-2, FORM-4, X-2) and returns its exit
 * code: 0 success / positive verdict, 1 negative verdict, 2 usage or
 * unreadable input. Never throws for bad input.
 *
 * `import { run } from '@s3404/cli'`
 *
 * @public
 */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  let json = false;
  let locale: Locale = io.env['S3404_LANG'] === 'en' ? 'en' : 'fr';
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        lang: { type: 'string' },
        out: { type: 'string', short: 'o' },
        count: { type: 'string' },
        examples: { type: 'string' },
        fillable: { type: 'boolean' },
        page: { type: 'string' },
        template: { type: 'string' },
        overlay: { type: 'string' },
        'field-map': { type: 'string' },
        algorithm: { type: 'string' },
        force: { type: 'boolean' },
        bordereau: { type: 'string', multiple: true },
        role: { type: 'string' },
        signer: { type: 'string' },
        image: { type: 'string' },
        line: { type: 'string' },
        day: { type: 'string' },
        cert: { type: 'string' },
        key: { type: 'string' },
        trust: { type: 'string' },
        rpps: { type: 'string' },
        'practitioner-rpps': { type: 'string' },
        mandate: { type: 'string' },
        'proof-agreement': { type: 'string' },
        finess: { type: 'string' },
        terminal: { type: 'string' },
        state: { type: 'string' },
        store: { type: 'string' },
        pdf: { type: 'string' },
        'request-id': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        format: { type: 'string' },
        bom: { type: 'boolean' },
        strict: { type: 'boolean' },
        'min-dpi': { type: 'string' },
        colour: { type: 'string' },
      },
    });
    json = values.json === true;
    if (values.lang !== undefined) {
      if (values.lang !== 'fr' && values.lang !== 'en') throw new UsageError(`--lang attend fr ou en (reçu ${values.lang})`);
      locale = values.lang;
    }
    const [command, ...rest] = positionals;
    if (values.help === true || command === undefined || command === 'help') {
      io.stdout(USAGE);
      return command === undefined && values.help !== true ? 2 : 0;
    }
    const one = (what: string): string => {
      if (rest.length !== 1) throw new UsageError(`${command} attend ${what}`);
      return rest[0]!;
    };
    switch (command) {
      case 'validate':
        return validateCommand(io, one('un fichier FICHIER.json'), { json, locale });
      case 'render':
        return await renderCommand(io, one('un fichier FICHIER.json'), {
          out: values.out, fillable: values.fillable === true, page: values.page, template: values.template,
          overlay: values.overlay, fieldMap: values['field-map'], json, locale,
        });
      case 'demo':
        if (rest.length > 0) throw new UsageError('demo ne prend pas d’argument positionnel');
        return await demoCommand(io, { out: values.out ?? 's3404-demo', count: values.count, examples: values.examples, json, locale });
      case 'pki':
        return await pkiCommand(io, rest, { algorithm: values.algorithm, force: values.force === true, json, locale });
      case 'record':
        return await recordCommand(io, rest, {
          bordereau: values.bordereau ?? [], role: values.role, signer: values.signer, image: values.image, line: values.line, day: values.day,
          cert: values.cert, key: values.key, out: values.out, trust: values.trust, rpps: values.rpps, practitionerRpps: values['practitioner-rpps'],
          mandate: values.mandate, proofAgreement: values['proof-agreement'], finess: values.finess, terminal: values.terminal,
          state: values.state, store: values.store, pdf: values.pdf, requestId: values['request-id'], json, locale,
        });
      case 'audit':
        return await auditCommand(io, rest, {
          state: values.state, trust: values.trust, cert: values.cert, key: values.key, out: values.out, from: values.from, to: values.to,
          format: values.format, bom: values.bom === true, strict: values.strict === true, json, locale,
        });
      case 'scor': {
        const { scorCommand } = await import('./commands/scor.js');
        return await scorCommand(io, rest, { minDpi: values['min-dpi'], colour: values.colour, strict: values.strict === true, out: values.out, cert: values.cert, key: values.key, json, locale });
      }
      default:
        if (PLANNED.has(command)) {
          io.stderr(`s3404 ${command} : commande annoncée dans le contrat, pas encore disponible dans cette version.\n`);
          return 2;
        }
        throw new UsageError(`commande inconnue : ${command}`);
    }
  } catch (e) {
    return report(io, e, json);
  }
}

function report(io: Io, e: unknown, json: boolean): number {
  const argsCode = e instanceof TypeError && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (e instanceof UsageError || argsCode.startsWith('ERR_PARSE_ARGS')) {
    const option = /'(-[^']+)'/.exec((e as Error).message)?.[1] ?? '';
    const message =
      argsCode === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? `option inconnue : ${option}`
        : argsCode === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' ? `valeur manquante ou incorrecte pour ${option}`
          : (e as Error).message;
    if (json) io.stdout(`${JSON.stringify({ error: { code: 'ERR_USAGE', message } })}\n`);
    io.stderr(`s3404 : ${message}\nAide : s3404 --help\n`);
    return 2;
  }
  if (e instanceof S3404Error) {
    // Unreadable input is a usage-level failure (2); a refused bordereau or PDF operation is a verdict (1).
    const exit = e instanceof InputError || e.code === 'ERR_PEM_INVALID' || e.code === 'ERR_KEY_INVALID' || e.code === 'ERR_STORE_UNAVAILABLE' || e.code === 'ERR_AUDIT_STORE_UNAVAILABLE' || e.code === 'ERR_AUDIT_LOCKED' ? 2 : 1;
    const issues = 'issues' in e ? (e as { issues: unknown }).issues : undefined;
    if (json) io.stdout(`${JSON.stringify({ error: { code: e.code, message: e.message, ...(issues === undefined ? {} : { issues }) } }, null, 2)}\n`);
    io.stderr(`s3404 : [${e.code}] ${e.message}\n`);
    return exit;
  }
  // Not a verdict nor a usage problem: a bug of the SDK, reported as such (sysexits EX_SOFTWARE).
  io.stderr(`s3404 : erreur interne (à signaler) : ${e instanceof Error ? e.message : String(e)}\n`);
  return 70;
}
