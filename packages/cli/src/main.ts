import { parseArgs } from 'node:util';
import { isS3404Error, resolveLocale, type Locale, type S3404Error } from '@s3404/core';
import { badValue, usage } from './args.js';
import { CliError } from './errors.js';
import { processIo, type Io } from './io.js';
import { pdfUsageText, usageText } from './usage.js';
import { VERSION } from './version.js';

const PLANNED = new Set<string>();

/** Exit codes of the CLI contract, by the kind of a coded error (docs/conventions.md §3). */
const EXIT_CODE = { input: 2, verdict: 1, unavailable: 2, internal: 70 } as const;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
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
  'content-hash': { type: 'string' },
  'day-bordereau': { type: 'string', multiple: true },
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
  handle: { type: 'string' },
  'keep-input': { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  format: { type: 'string' },
  bom: { type: 'boolean' },
  strict: { type: 'boolean' },
  'min-dpi': { type: 'string' },
  colour: { type: 'string' },
  chain: { type: 'string' },
  tsa: { type: 'string' },
  'tsa-fallback': { type: 'string' },
  'tsa-trust': { type: 'string' },
  reason: { type: 'string' },
  visible: { type: 'boolean' },
  extract: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  pki: { type: 'string' },
  vectors: { type: 'string' },
  artifacts: { type: 'string' },
  report: { type: 'string' },
  html: { type: 'string' },
  filter: { type: 'string' },
  adapter: { type: 'string' },
  race: { type: 'string' },
  'crash-trials': { type: 'string' },
  lease: { type: 'string' },
  once: { type: 'boolean' },
} as const;

/**
 * The language of a run, read before the command line is parsed so that even
 * a wrong command line is answered in it: `--lang fr|en`, else the
 * `S3404_LANG` environment variable, else French (X-2).
 */
function localeOf(argv: readonly string[], env: Io['env']): Locale {
  // The last --lang wins, as it does for the parser.
  let lang: string | undefined = env['S3404_LANG'];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') break;
    if (a === '--lang') lang = argv[i + 1];
    else if (a.startsWith('--lang=')) lang = a.slice('--lang='.length);
  }
  return resolveLocale(lang);
}

/**
 * Runs the `s3404` command (CLI contract of the SPEC) and returns its exit
 * code: 0 success / positive verdict, 1 negative verdict, 2 usage or
 * unreadable input, 70 an internal error. Never throws for bad input. Every
 * message — help, usage errors, file errors, verdicts — is in the run's
 * language: `--lang fr|en`, or the `S3404_LANG` environment variable.
 *
 * `import { run } from '@s3404/cli'`
 *
 * @example
 * ```ts
 * const code = await run(['validate', 'bordereau.json', '--lang', 'en'])
 * ```
 * @public
 */
export async function run(argv: readonly string[], io: Io = processIo): Promise<number> {
  const locale = localeOf(argv, io.env);
  let json = argv.includes('--json');
  try {
    const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: OPTIONS });
    json = values.json === true;
    // An empty argument names nothing: `pki init ''` would be the current folder, `-o ''` no file.
    for (const [name, value] of Object.entries(values))
      for (const v of Array.isArray(value) ? value : [value])
        if (v === '') throw usage({ fr: `--${name} attend une valeur non vide`, en: `--${name} expects a non-empty value` });
    if (positionals.includes('')) throw usage({ fr: 'argument vide', en: 'empty argument' });
    if (values.lang !== undefined && values.lang !== 'fr' && values.lang !== 'en') throw badValue('--lang', 'fr | en', values.lang);
    if (values.version === true) {
      io.stdout(json ? `${JSON.stringify({ name: '@s3404/cli', version: VERSION })}\n` : `s3404 ${VERSION}\n`);
      return 0;
    }
    const [command, ...rest] = positionals;
    if (values.help === true && command === 'pdf') {
      io.stdout(pdfUsageText(locale));
      return 0;
    }
    if (values.help === true || command === undefined || command === 'help') {
      io.stdout(usageText(locale));
      return command === undefined && values.help !== true ? 2 : 0;
    }
    const one = (usage: string): string => {
      if (rest.length !== 1) throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage } });
      return rest[0]!;
    };
    switch (command) {
      // Each command's module is loaded when it runs (as `scor`, `pdf`… below): `--version`, `--help` and a
      // command load only what they use, not the PDF engine and every store (issue 19: 1.3 s to print the version).
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.js');
        return await validateCommand(io, one('s3404 validate FILE.json'), { json, locale });
      }
      case 'render': {
        const { renderCommand } = await import('./commands/render.js');
        return await renderCommand(io, one('s3404 render FILE.json -o OUT.pdf'), {
          out: values.out,
          fillable: values.fillable === true,
          page: values.page,
          template: values.template,
          overlay: values.overlay,
          fieldMap: values['field-map'],
          json,
          locale,
        });
      }
      case 'demo': {
        if (rest.length > 0) throw new CliError('ERR_USAGE_ARGUMENTS', { params: { usage: 's3404 demo [--out DIR] [--count N]' } });
        const { demoCommand } = await import('./commands/demo.js');
        return await demoCommand(io, { out: values.out ?? 's3404-demo', count: values.count, examples: values.examples, json, locale });
      }
      case 'pki': {
        const { pkiCommand } = await import('./commands/pki.js');
        return await pkiCommand(io, rest, { algorithm: values.algorithm, force: values.force === true, json, locale });
      }
      case 'record': {
        const { recordCommand } = await import('./commands/record.js');
        return await recordCommand(io, rest, {
          bordereau: values.bordereau ?? [],
          contentHash: values['content-hash'],
          dayBordereau: values['day-bordereau'] ?? [],
          role: values.role,
          signer: values.signer,
          image: values.image,
          line: values.line,
          day: values.day,
          cert: values.cert,
          key: values.key,
          out: values.out,
          trust: values.trust,
          rpps: values.rpps,
          practitionerRpps: values['practitioner-rpps'],
          mandate: values.mandate,
          proofAgreement: values['proof-agreement'],
          finess: values.finess,
          terminal: values.terminal,
          state: values.state,
          store: values.store,
          pdf: values.pdf,
          requestId: values['request-id'],
          handle: values.handle,
          keepInput: values['keep-input'] === true,
          json,
          locale,
        });
      }
      case 'audit': {
        const { auditCommand } = await import('./commands/audit.js');
        return await auditCommand(io, rest, {
          state: values.state,
          trust: values.trust,
          tsaTrust: values['tsa-trust'],
          tsa: values.tsa,
          cert: values.cert,
          key: values.key,
          out: values.out,
          from: values.from,
          to: values.to,
          format: values.format,
          bom: values.bom === true,
          strict: values.strict === true,
          json,
          locale,
        });
      }
      case 'scor': {
        const { scorCommand } = await import('./commands/scor.js');
        return await scorCommand(io, rest, {
          minDpi: values['min-dpi'],
          colour: values.colour,
          strict: values.strict === true,
          out: values.out,
          cert: values.cert,
          key: values.key,
          json,
          locale,
        });
      }
      case 'pdf': {
        const { pdfCommand } = await import('./commands/pdf.js');
        return await pdfCommand(io, rest, {
          out: values.out,
          cert: values.cert,
          key: values.key,
          chain: values.chain,
          tsa: values.tsa,
          tsaFallback: values['tsa-fallback'],
          reason: values.reason,
          visible: values.visible === true,
          trust: values.trust,
          tsaTrust: values['tsa-trust'],
          extract: values.extract,
          json,
          locale,
        });
      }
      case 'serve': {
        if (rest.length > 0)
          throw new CliError('ERR_USAGE_ARGUMENTS', {
            params: { usage: 's3404 serve [--port N] [--host H] [--state DIR] [--store URL] [--pki DIR] [--count N]' },
          });
        const { serveCommand } = await import('./commands/serve.js');
        return await serveCommand(io, {
          port: values.port,
          host: values.host,
          state: values.state,
          store: values.store,
          pki: values.pki,
          examples: values.examples,
          count: values.count,
          json,
          locale,
        });
      }
      case 'conformance': {
        if (values.artifacts !== undefined) {
          const { conformanceArtifactsCommand } = await import('./commands/conformance-artifacts.js');
          return await conformanceArtifactsCommand(io, rest, {
            artifacts: values.artifacts,
            trust: values.trust,
            report: values.report,
            json,
            locale,
            conflicting: values.vectors !== undefined || values.filter !== undefined || values.adapter !== undefined,
          });
        }
        if (values.adapter !== undefined) {
          const { conformanceAdapterCommand } = await import('./commands/conformance-adapter.js');
          return await conformanceAdapterCommand(io, rest, {
            adapter: values.adapter,
            race: values.race,
            crashTrials: values['crash-trials'],
            report: values.report,
            html: values.html,
            json,
            locale,
            conflicting: values.vectors !== undefined || values.filter !== undefined,
          });
        }
        const { conformanceCommand } = await import('./commands/conformance.js');
        return await conformanceCommand(io, rest, { vectors: values.vectors, report: values.report, html: values.html, filter: values.filter, json, locale });
      }
      case 'maintenance': {
        const { maintenanceCommand } = await import('./commands/maintenance.js');
        return await maintenanceCommand(io, rest, {
          once: values.once === true,
          state: values.state,
          store: values.store,
          lease: values.lease,
          cert: values.cert,
          key: values.key,
          json,
          locale,
        });
      }
      default:
        throw new CliError(PLANNED.has(command) ? 'ERR_USAGE_PLANNED' : 'ERR_USAGE_COMMAND', { params: { command: command.slice(0, 40) } });
    }
  } catch (e) {
    return report(io, toCoded(e), json, locale);
  }
}

/** `node:util`'s errors for a wrong command line become usage errors; anything uncoded is an internal error. */
function toCoded(e: unknown): S3404Error {
  if (isS3404Error(e)) return e;
  const code = e instanceof TypeError && 'code' in e ? String((e as { code: unknown }).code) : '';
  if (code.startsWith('ERR_PARSE_ARGS')) {
    const option = /'(-[^']+)'/.exec((e as Error).message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new CliError('ERR_USAGE_OPTION', { params: { option } });
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return badValue(option, { fr: 'une valeur', en: 'a value' });
    return new CliError('ERR_USAGE', { params: { detail: (e as Error).message.slice(0, 200) } });
  }
  // Not a verdict nor a usage problem: a bug of the SDK, reported as such (sysexits EX_SOFTWARE).
  return new CliError('ERR_INTERNAL', { params: { detail: e instanceof Error ? e.message.slice(0, 500) : String(e).slice(0, 500) }, cause: e });
}

function report(io: Io, e: S3404Error, json: boolean, locale: Locale): number {
  const message = e.messageIn(locale);
  const en = locale === 'en';
  const resume = resumeOf(e);
  if (json)
    io.stdout(
      `${JSON.stringify({ error: { code: e.code, kind: e.kind, message, ...(e.issues.length === 0 ? {} : { issues: e.issues }), ...(resume === null ? {} : { resume }) } }, null, 2)}\n`,
    );
  const usage = e.code.startsWith('ERR_USAGE');
  io.stderr(`s3404${en ? ':' : ' :'} ${usage ? '' : `[${e.code}] `}${message}\n${usage ? (en ? 'Help: s3404 --help\n' : 'Aide : s3404 --help\n') : ''}`);
  if (resume !== null)
    io.stderr(
      en
        ? `To finish this use: run the same command again with --request-id ${resume.requestId} (the same --pdf; -o may change). Any other request is refused with ERR_RECORD_REPLAYED.\n`
        : `Pour terminer cet usage : relancez la même commande avec --request-id ${resume.requestId} (le même --pdf ; -o peut changer). Toute autre demande est refusée (ERR_RECORD_REPLAYED).\n`,
    );
  return EXIT_CODE[e.kind];
}

/**
 * A use of a signature record that was claimed but did not complete (SIG-5,
 * `ERR_CONSUME_INCOMPLETE`): the request id that can finish it, said on
 * stderr and in the JSON error, so that a script or a person resumes it
 * instead of losing the signature.
 */
function resumeOf(e: S3404Error): { readonly requestId: string; readonly recordId: string | null } | null {
  if (e.code !== 'ERR_CONSUME_INCOMPLETE' || typeof e.params['requestId'] !== 'string') return null;
  return { requestId: e.params['requestId'], recordId: typeof e.params['recordId'] === 'string' ? e.params['recordId'] : null };
}
