/**
 * Active content in a PJ (SCOR-1; issue 14, defect 8). A PJ is a scanned
 * supporting document read at the Assurance Maladie: nothing in it may run
 * or reach outside the file. Through the public `checkPj`:
 *
 * - each kind, one by one, with the code that refuses it (or the warning
 *   that flags a link), and what qpdf and poppler see in the same file;
 * - a property: every kind placed at random — catalog /OpenAction and /AA,
 *   page /AA, link /A and /AA, push button, text field /AA, outline item,
 *   the JavaScript name tree; inline or indirect; after a /Next chain or in
 *   a /Next loop; names `#xx`-escaped; in a compressed object stream — is
 *   found, and nothing else is reported;
 * - hostile structures and random mutations end in bounded time with coded
 *   issues, never a throw.
 */
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkPj, type PjReport } from '@s3404/scor';
import { prng } from '@s3404/tooling/test-kit';
import { boundedCheck } from './fixtures/bounded-check.js';
import {
  concat,
  pdfOf,
  scanPdf,
  streamBody,
  type ActionContainer,
  type ActionKind,
  type ActionPlacement,
  type MediaAnnotation,
  type WriterOptions,
  type XfaSpec,
} from './fixtures/pdf-writer.js';
import { pdfInfoJs, qpdfCheck, qpdfExpanded } from './fixtures/tools.js';

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
const bytes = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));
const errors = (r: PjReport): string[] => [...new Set(r.issues.filter((i) => i.severity === 'error').map((i) => i.code))].sort();
const warnings = (r: PjReport): string[] => [...new Set(r.issues.filter((i) => i.severity === 'warning').map((i) => i.code))].sort();
/** One A4 page of text, no image: nothing else to report. */
const pdf = (options: WriterOptions): Uint8Array => scanPdf([{ vector: true }], options);
const issue = (r: PjReport, code: string) => r.issues.find((i) => i.code === code);

const check = (file: Uint8Array, what: string, options: Parameters<typeof checkPj>[1] = {}): PjReport => boundedCheck(file, what, options).report;

describe('checkPj — JavaScript inside an XFA form (SCOR-1, issue 14 #8)', () => {
  const stored: XfaSpec[] = [
    {},
    { compress: true },
    { packets: true },
    { packets: true, compress: true },
    { split: true, compress: true },
    { utf16: true },
    { utf16: true, packets: true, compress: true },
  ];

  it('refuses the script and the form, however the XFA is stored: one stream or packets, compressed, UTF-16, a tag split across packets, in object streams', () => {
    for (const how of stored)
      for (const script of ['javascript', 'formcalc'] as const)
        for (const objectStreams of [false, true]) {
          const file = pdf({ xfa: { ...how, script }, objectStreams });
          const what = JSON.stringify({ how, script, objectStreams });
          const r = check(file, what);
          expect(r.ok, what).toBe(false);
          expect(errors(r), what).toEqual(['ERR_PJ_JAVASCRIPT', 'ERR_PJ_XFA_FORM']);
        }
    // the script is really there for another reader: qpdf decodes the XFA stream
    const file = pdf({ xfa: { script: 'javascript', compress: true }, objectStreams: true });
    expect(latin1(file)).not.toContain('<script');
    expect(qpdfExpanded(file)).toContain('<script contentType="application/x-javascript">app.alert("XFA");</script>');
    const utf16 = qpdfExpanded(pdf({ xfa: { script: 'javascript', utf16: true } }));
    expect(utf16).toContain(latin1(new Uint8Array(Buffer.from('<script', 'utf16le').swap16())));
  });

  it('refuses an XFA form without scripts, and names the data an XFA form submits', () => {
    expect(errors(check(pdf({ xfa: {} }), 'static XFA'))).toEqual(['ERR_PJ_XFA_FORM']);
    const submit = check(pdf({ xfa: { submit: true, compress: true } }), 'XFA submit');
    expect(errors(submit)).toEqual(['ERR_PJ_SUBMIT_FORM', 'ERR_PJ_XFA_FORM']);
    const en = checkPj(pdf({ xfa: { script: 'javascript' } }), { locale: 'en' });
    expect(en.issues.map((i) => i.message)).toEqual([
      'The PDF contains JavaScript or an XFA form script: refused in a PJ.',
      'The PDF contains an XFA form: refused in a PJ (a viewer may show it instead of the pages checked, and it may carry scripts and data connections).',
    ]);
  });
});

describe('checkPj — actions that run something or reach outside the file (SCOR-1, issue 14 #8)', () => {
  const UNC = '\\\\attacker.example\\share\\x.pdf';
  const cases: [ActionKind, string, string][] = [
    ['submit-form', 'ERR_PJ_SUBMIT_FORM', 'https://collect.example/pj'],
    ['import-data', 'ERR_PJ_IMPORT_DATA', 'donnees.fdf'],
    ['goto-r', 'ERR_PJ_REMOTE_GOTO', 'annexe-2.pdf'],
    ['goto-r-unc', 'ERR_PJ_REMOTE_GOTO', UNC],
    ['goto-e-unc', 'ERR_PJ_REMOTE_GOTO', UNC],
    ['thread-remote', 'ERR_PJ_REMOTE_GOTO', 'annexe-2.pdf'],
    ['launch', 'ERR_PJ_LAUNCH_ACTION', 'calc.exe'],
  ];

  it('refuses SubmitForm, ImportData, GoToR, GoToE (a UNC path leaks Windows credentials), remote Thread and Launch, naming the target', () => {
    for (const [action, code, target] of cases)
      for (const where of ['open-action', 'page-aa', 'link', 'outline'] as const) {
        const r = check(pdf({ actions: [{ action, in: where }] }), `${action} in ${where}`);
        expect(errors(r), `${action} in ${where}`).toEqual([code]);
        expect(issue(r, code)!.params.target).toBe(target);
      }
    const en = checkPj(pdf({ actions: [{ action: 'goto-e-unc', in: 'page-aa' }] }), { locale: 'en' });
    expect(en.issues[0]!.message).toBe(
      `The PDF opens another file ("${UNC}") (GoToR, GoToE or Thread action): refused in a PJ. A network path (\\\\server\\share) makes Windows send the reader's credentials.`,
    );
  });

  it('refuses RichMedia, 3D, Movie and Sound annotations, and Rendition, Sound and Movie actions', () => {
    for (const m of ['richmedia', '3d', 'movie', 'sound'] as MediaAnnotation[]) expect(errors(check(pdf({ media: [m] }), m)), m).toEqual(['ERR_PJ_MULTIMEDIA']);
    for (const action of ['rendition', 'sound', 'movie'] as const)
      expect(errors(check(pdf({ actions: [{ action, in: 'link' }] }), action)), action).toEqual(['ERR_PJ_MULTIMEDIA']);
  });

  it('refuses content loaded from another file: a stream whose data is external, a reference XObject', () => {
    expect(errors(check(pdf({ external: 'stream' }), 'external stream'))).toEqual(['ERR_PJ_EXTERNAL_CONTENT']);
    expect(errors(check(pdf({ external: 'reference' }), 'reference XObject'))).toEqual(['ERR_PJ_EXTERNAL_CONTENT']);
  });

  it('accepts actions that only move, show or reset within the file: GoTo, Named, Hide, ResetForm, even in a /Next loop', () => {
    const r = check(
      pdf({
        actions: [
          { action: 'goto', in: 'open-action', after: 3, loop: true },
          { action: 'named', in: 'page-aa' },
          { action: 'hide', in: 'link' },
          { action: 'reset-form', in: 'widget' },
          { action: 'goto', in: 'outline', escaped: true },
          { action: 'named', in: 'widget-aa' },
        ],
      }),
      'harmless',
    );
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });
});

describe('checkPj — links (URI actions, SCOR-1, issue 14 #8)', () => {
  it('flags a web or e-mail link a reader must click, and accepts the PJ', () => {
    for (const where of ['link', 'outline', 'widget'] as const)
      for (const action of ['uri', 'uri-mailto'] as const) {
        const r = check(pdf({ actions: [{ action, in: where }] }), `${action} in ${where}`);
        expect(r.ok).toBe(true);
        expect(errors(r)).toEqual([]);
        expect(warnings(r)).toEqual(['ERR_PJ_LINK']);
      }
    const two = checkPj(
      pdf({
        actions: [
          { action: 'uri', in: 'link' },
          { action: 'uri-mailto', in: 'outline', indirect: true },
        ],
      }),
      { locale: 'en' },
    );
    expect(two.issues).toEqual([
      {
        code: 'ERR_PJ_LINK',
        severity: 'warning',
        path: [],
        params: { count: 2, target: 'https://www.example.org/annexe' },
        message: 'The PDF contains 2 link(s) to the web or e-mail ("https://www.example.org/annexe"): they open only when clicked; check they are expected.',
      },
    ]);
  });

  it('refuses an address opened without a click: on opening, closing, a page or a field, an annotation hovered, through /Next chains and loops', () => {
    for (const where of ['open-action', 'catalog-aa', 'page-aa', 'link-aa', 'widget-aa'] as const)
      for (const chain of [{}, { after: 3 }, { after: 2, indirect: true }, { after: 2, loop: true }, { escaped: true }]) {
        const what = `${where} ${JSON.stringify(chain)}`;
        const r = check(pdf({ actions: [{ action: 'uri', in: where, ...chain }] }), what);
        expect(errors(r), what).toEqual(['ERR_PJ_URI_AUTOMATIC']);
        expect(warnings(r), what).toEqual([]);
        expect(issue(r, 'ERR_PJ_URI_AUTOMATIC')!.params.target).toBe('https://www.example.org/annexe');
      }
  });

  it('refuses a link to anything but the web or e-mail — UNC paths, file:, smb:, javascript:, data:, relative — even behind a click, however it is disguised', () => {
    const unsafe = [
      '\\\\attacker.example\\share\\x.png',
      'file://attacker.example/share/x.png',
      'FILE:///C:/Windows/System32/calc.exe',
      'smb://attacker.example/share',
      'javascript:alert(1)',
      ' \tjava\nscript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'annexe.html',
      '',
    ];
    for (const uri of unsafe) {
      const r = check(pdf({ actions: [{ action: 'uri', in: 'link', uri }] }), uri);
      expect(errors(r), JSON.stringify(uri)).toEqual(['ERR_PJ_URI_UNSAFE']);
    }
    for (const uri of ['https://www.example.org/', 'HTTP://EXAMPLE.ORG/x', ' https://example.org/ ', 'mailto:a@example.org', 'ht\ttps://example.org/']) {
      const r = check(pdf({ actions: [{ action: 'uri', in: 'outline', uri }] }), uri);
      expect(errors(r), JSON.stringify(uri)).toEqual([]);
      expect(warnings(r), JSON.stringify(uri)).toEqual(['ERR_PJ_LINK']);
    }
    // both, when an unsafe address opens by itself; the message shows the address, controls and bidi overrides replaced
    const both = check(pdf({ actions: [{ action: 'uri', in: 'open-action', uri: '\\\\host\\share\u202Egnp.exe' }] }), 'unc on open');
    expect(errors(both)).toEqual(['ERR_PJ_URI_AUTOMATIC', 'ERR_PJ_URI_UNSAFE']);
    expect(issue(both, 'ERR_PJ_URI_UNSAFE')!.params.target).toBe('\\\\host\\share\uFFFDgnp.exe');
  });

  it('does not take the catalog URI dictionary (/URI /Base) for a link', () => {
    const base = latin1(pdf({})).replace('/Type /Catalog ', '/Type /Catalog /URI << /Base (https://www.example.org/) >> ');
    const r = check(bytes(base), 'URI base');
    expect(errors(r)).toEqual([]);
    expect(warnings(r)).toEqual(['ERR_PJ_XREF_REPAIRED']); // the edit moved the offsets
  });
});

// --- the property: every kind, anywhere, is found, and nothing else

const AUTOMATIC = new Set<ActionContainer>(['open-action', 'catalog-aa', 'page-aa', 'link-aa', 'widget-aa']);
const CONTAINERS: readonly ActionContainer[] = ['open-action', 'catalog-aa', 'page-aa', 'link', 'link-aa', 'widget', 'widget-aa', 'outline', 'names'];
const KINDS: readonly ActionKind[] = [
  'javascript',
  'launch',
  'submit-form',
  'import-data',
  'uri',
  'uri-mailto',
  'uri-unc',
  'uri-file',
  'uri-javascript',
  'goto-r',
  'goto-r-unc',
  'goto-e-unc',
  'thread-remote',
  'rendition',
  'sound',
  'movie',
  'goto',
  'named',
  'hide',
  'reset-form',
];
/** The /S of each kind, as qpdf writes it. */
const ACTION_TYPE: Readonly<Record<ActionKind, string>> = {
  javascript: 'JavaScript',
  launch: 'Launch',
  'submit-form': 'SubmitForm',
  'import-data': 'ImportData',
  uri: 'URI',
  'uri-mailto': 'URI',
  'uri-unc': 'URI',
  'uri-file': 'URI',
  'uri-javascript': 'URI',
  'goto-r': 'GoToR',
  'goto-r-unc': 'GoToR',
  'goto-e-unc': 'GoToE',
  'thread-remote': 'Thread',
  rendition: 'Rendition',
  sound: 'Sound',
  movie: 'Movie',
  goto: 'GoTo',
  named: 'Named',
  hide: 'Hide',
  'reset-form': 'ResetForm',
};

/** What refuses each action kind, whatever its trigger (docs/scor.md); the harmless kinds are absent. */
const REFUSED_BY: Partial<Record<ActionKind, string>> = {
  javascript: 'ERR_PJ_JAVASCRIPT',
  launch: 'ERR_PJ_LAUNCH_ACTION',
  'submit-form': 'ERR_PJ_SUBMIT_FORM',
  'import-data': 'ERR_PJ_IMPORT_DATA',
  'goto-r': 'ERR_PJ_REMOTE_GOTO',
  'goto-r-unc': 'ERR_PJ_REMOTE_GOTO',
  'goto-e-unc': 'ERR_PJ_REMOTE_GOTO',
  'thread-remote': 'ERR_PJ_REMOTE_GOTO',
  rendition: 'ERR_PJ_MULTIMEDIA',
  sound: 'ERR_PJ_MULTIMEDIA',
  movie: 'ERR_PJ_MULTIMEDIA',
  'uri-unc': 'ERR_PJ_URI_UNSAFE',
  'uri-file': 'ERR_PJ_URI_UNSAFE',
  'uri-javascript': 'ERR_PJ_URI_UNSAFE',
};

/** The verdict docs/scor.md gives, written independently of the reader: what each placement must produce. */
function model(o: WriterOptions): { errors: string[]; warnings: string[] } {
  const e = new Set<string>();
  const w = new Set<string>();
  for (const p of o.actions ?? []) {
    if (p.in === 'names') e.add('ERR_PJ_JAVASCRIPT'); // the /JavaScript name tree itself
    const code = REFUSED_BY[p.action];
    if (code !== undefined) e.add(code);
    if (ACTION_TYPE[p.action] !== 'URI') continue;
    // an address opened without a click is refused; a web or e-mail link behind a click is flagged
    if (AUTOMATIC.has(p.in)) e.add('ERR_PJ_URI_AUTOMATIC');
    else if (code === undefined) w.add('ERR_PJ_LINK');
  }
  if ((o.media ?? []).length > 0) e.add('ERR_PJ_MULTIMEDIA');
  if (o.xfa !== undefined) {
    e.add('ERR_PJ_XFA_FORM');
    if (o.xfa.script !== undefined) e.add('ERR_PJ_JAVASCRIPT');
    if (o.xfa.submit === true) e.add('ERR_PJ_SUBMIT_FORM');
  }
  if (o.external !== undefined) e.add('ERR_PJ_EXTERNAL_CONTENT');
  return { errors: [...e].sort(), warnings: [...w].sort() };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, n: number): number => Math.floor(r() * n);

/** A random document: one to four placements in distinct containers, sometimes media, an XFA form, external content, object streams. */
function randomOptions(r: Rand): WriterOptions {
  const containers = [...CONTAINERS].sort(() => r() - 0.5).slice(0, 1 + int(r, 4));
  const actions: ActionPlacement[] = containers.map((c) => ({
    action: c === 'names' ? 'javascript' : pick(r, KINDS),
    in: c,
    after: r() < 0.4 ? 1 + int(r, 6) : 0,
    indirect: r() < 0.5,
    loop: r() < 0.15,
    escaped: r() < 0.3,
  }));
  const media = r() < 0.15 ? [pick(r, ['richmedia', '3d', 'movie', 'sound'] as const)] : undefined;
  let xfa: XfaSpec | undefined;
  if (r() < 0.15) {
    const script = pick(r, [undefined, 'javascript', 'formcalc'] as const);
    xfa = { ...(script === undefined ? {} : { script }), submit: r() < 0.3, packets: r() < 0.5, compress: r() < 0.5, utf16: r() < 0.2 };
  }
  const external = r() < 0.08 ? pick(r, ['stream', 'reference'] as const) : undefined;
  return {
    actions,
    ...(media === undefined ? {} : { media }),
    ...(xfa === undefined ? {} : { xfa }),
    ...(external === undefined ? {} : { external }),
    objectStreams: r() < 0.4,
  };
}

describe('checkPj — active content is found wherever it is (SCOR-1, property)', () => {
  it('finds every kind in every container — inline or indirect, after a /Next chain or in a loop, names escaped, in object streams — and reports nothing else (600 documents)', () => {
    const r = prng(20260814);
    const seen = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const options = randomOptions(r);
      const file = pdf(options);
      const what = `#${i} ${JSON.stringify(options)}`;
      const report = check(file, what);
      const want = model(options);
      expect(errors(report), what).toEqual(want.errors);
      expect(warnings(report), what).toEqual(want.warnings);
      expect(report.ok, what).toBe(want.errors.length === 0);
      for (const p of options.actions ?? []) seen.add(`${p.action}@${p.in}`);
      if (i % 40 === 0) {
        // another reader opens the same file and sees the same actions
        const q = qpdfCheck(file);
        expect(q.status, `${what}: ${q.output}`).toBe(0);
        const expanded = qpdfExpanded(file);
        for (const p of options.actions ?? []) expect(expanded, what).toContain(`/S /${ACTION_TYPE[p.action]}`);
      }
    }
    // the random documents cover the placements
    expect(seen.size).toBeGreaterThan(120);
  });

  it('finds JavaScript where poppler finds it, in every container poppler reads', () => {
    for (const where of ['catalog-aa', 'page-aa', 'link', 'widget', 'widget-aa', 'names'] as const)
      for (const objectStreams of [false, true]) {
        const file = pdf({ actions: [{ action: 'javascript', in: where, escaped: true, indirect: objectStreams }], objectStreams });
        expect(pdfInfoJs(file), where).toContain('app.alert(1)');
        expect(errors(check(file, where)), where).toEqual(['ERR_PJ_JAVASCRIPT']);
      }
  });
});

describe('checkPj — hostile active content ends in bounded time (SCOR-1, X-2)', () => {
  const page = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << >> /Contents 4 0 R >>';
  const content = streamBody('', bytes('BT ET'));
  /** Catalog 1, pages 2, page 3, content 4, then `actions` from object 5. */
  const withActions = (catalogExtra: string, actions: readonly string[]): Uint8Array =>
    pdfOf([`<< /Type /Catalog /Pages 2 0 R ${catalogExtra} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page, content, ...actions]);

  it('follows a /Next chain of 100,000 actions to the address it opens', () => {
    const n = 100_000;
    const chain = Array.from({ length: n }, (_, k) => `<< /S /GoTo /D [3 0 R /Fit] /Next ${k + 6} 0 R >>`);
    chain.push('<< /S /URI /URI (https://tracker.example/opened) >>');
    const r = check(withActions('/OpenAction 5 0 R', chain), 'long chain');
    expect(errors(r)).toEqual(['ERR_PJ_URI_AUTOMATIC']);
  });

  it('ends /Next loops and self-references: an action that is its own /Next, an /AA that contains itself, a /Next array of one action 50,000 times', () => {
    const self = check(withActions('/OpenAction 5 0 R', ['<< /S /GoTo /D [3 0 R /Fit] /Next 5 0 R >>']), 'self');
    expect(self.issues).toEqual([]);
    const aa = check(withActions('/AA 5 0 R', ['<< /WC 5 0 R /WS 6 0 R >>', '<< /S /URI /URI (https://tracker.example/) /Next [5 0 R 6 0 R] >>']), 'aa self');
    expect(errors(aa)).toEqual(['ERR_PJ_URI_AUTOMATIC']);
    const wide = check(
      withActions('/OpenAction 5 0 R', [
        `<< /S /GoTo /D [3 0 R /Fit] /Next [${'6 0 R '.repeat(50_000)}] >>`,
        '<< /S /URI /URI (https://x.example/) /Next 5 0 R >>',
      ]),
      'wide',
    );
    expect(errors(wide)).toEqual(['ERR_PJ_URI_AUTOMATIC']);
  });

  it('finds JavaScript behind a stray endobj or stream keyword inside a dictionary (some readers skip the keyword and read on)', () => {
    for (const stray of ['endobj', 'stream', 'endobj endobj', 'endstream']) {
      const catalog = `<< /Type /Catalog /Pages 2 0 R ${stray} /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>`;
      const file = pdfOf([catalog, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', page, content]);
      expect(errors(check(file, stray)), stray).toContain('ERR_PJ_JAVASCRIPT');
    }
  });

  it('stops an XFA decompression bomb at its limit, and refuses it', () => {
    const bomb = zlibSync(new Uint8Array(100 * 1024 * 1024), { level: 9 });
    const r = check(withActions('/AcroForm << /Fields [] /XFA 5 0 R >>', [streamBody('/Filter /FlateDecode', bomb) as unknown as string]), 'XFA bomb');
    expect(r.ok).toBe(false);
    expect(errors(r)).toContain('ERR_PJ_TOO_COMPLEX');
  });

  it('survives 1,500 mutations of PDFs full of active content: coded issues, no throw, no hang', () => {
    const r = prng(20260815);
    const bases = Array.from({ length: 12 }, () => pdf(randomOptions(r)));
    bases.push(
      pdf({ xfa: { script: 'javascript', packets: true, compress: true }, actions: [{ action: 'uri', in: 'page-aa', after: 4, loop: true, indirect: true }] }),
      pdf({ actions: [{ action: 'goto-e-unc', in: 'open-action', after: 3 }], media: ['3d'], objectStreams: true }),
    );
    const TOKENS = ['/Next', '/AA', '/OpenAction', '/S ', '/URI', '/XFA', ' 0 R', '<<', '>>', '[', ']', 'stream', 'endstream', 'obj', '/JS', '/F '];
    const mutate = (file: Uint8Array): Uint8Array => {
      const text = latin1(file);
      switch (int(r, 6)) {
        case 0:
          return file.subarray(0, int(r, file.length));
        case 1: {
          const out = file.slice();
          for (let k = 1 + int(r, 16); k > 0; k--) out[int(r, out.length)]! ^= 1 << int(r, 8);
          return out;
        }
        case 2: {
          const at = int(r, file.length);
          return concat([file.subarray(0, at), file.subarray(Math.min(file.length, at + 1 + int(r, 256)))]);
        }
        case 3: {
          // a reference retargeted: loops, self-references, objects of the wrong type
          const refs = [...text.matchAll(/\d+ 0 R/g)];
          if (refs.length === 0) return file;
          const m = pick(r, refs);
          return concat([file.subarray(0, m.index), bytes(`${1 + int(r, 40)} 0 R`), file.subarray(m.index + m[0].length)]);
        }
        case 4: {
          const token = pick(r, TOKENS);
          const at = text.indexOf(token, int(r, text.length));
          if (at < 0) return file;
          const insert = pick(r, ['', token.repeat(1 + int(r, 2000)), '<< /S /JavaScript /JS (x) >>', '/Next 1 0 R', '(', '%', '9999999999 0 R']);
          return concat([file.subarray(0, at), bytes(insert), file.subarray(at + (r() < 0.5 ? token.length : 0))]);
        }
        default: {
          const a = int(r, file.length);
          const b = int(r, file.length);
          return concat([file.subarray(0, Math.max(a, b)), file.subarray(Math.min(a, b))]);
        }
      }
    };
    let refused = 0;
    for (let i = 0; i < 1500; i++) {
      let m = mutate(bases[i % bases.length]!);
      if (r() < 0.2) m = mutate(m);
      if (!check(m, `mutant #${i}`).ok) refused++;
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
