import type { Locale } from '@s3404/core';

const TEXT = {
  fr: {
    title: 's3404 — tablette de signature',
    heading: 'Tablette de signature',
    pairing: 'Appairer cette tablette',
    terminalId: 'Nom de la tablette',
    code: 'Code d’appairage (affiché par s3404 serve)',
    pair: 'Appairer',
    list: 'Bordereaux à signer',
    cancel: 'Annuler',
    pdf: 'Voir le PDF signé',
    again: 'Autre signature',
    noscript: 'Cette page a besoin de JavaScript.',
  },
  en: {
    title: 's3404 — signing tablet',
    heading: 'Signing tablet',
    pairing: 'Pair this tablet',
    terminalId: 'Tablet name',
    code: 'Pairing code (printed by s3404 serve)',
    pair: 'Pair',
    list: 'Bordereaux to sign',
    cancel: 'Cancel',
    pdf: 'Open the signed PDF',
    again: 'Another signature',
    noscript: 'This page needs JavaScript.',
  },
} as const;

/**
 * The HTML of the tablet page served at `/` (SIG-1): a shell whose script
 * (`/tablet.js`) pairs the tablet, lists the bordereaux, opens a context,
 * mounts `<s3404-signature-pad>` and posts the capture. No inline script
 * (the page's Content-Security-Policy allows only `/tablet.js`), no data:
 * everything comes from the signed API.
 */
export function tabletPage(locale: Locale): string {
  const t = TEXT[locale];
  return `<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${t.title}</title>
<style>
  body { font: 18px/1.4 system-ui, sans-serif; margin: 0; color: #111; background: #fff; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px; }
  h1 { font-size: 1.4rem; margin: 0 0 12px; }
  label { display: block; margin: 8px 0; }
  input { font: inherit; padding: 8px; width: 100%; max-width: 420px; box-sizing: border-box; }
  button, a.button { font: inherit; padding: 10px 16px; margin: 4px 8px 4px 0; border: 2px solid #1d3f8f; border-radius: 6px; background: #1d3f8f; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
  button.secondary { background: #fff; color: #1d3f8f; }
  button:focus-visible, a.button:focus-visible, input:focus-visible { outline: 3px solid #f0a000; outline-offset: 2px; }
  #error { color: #a00000; font-weight: 600; min-height: 1.4em; }
  #bordereau-list { list-style: none; padding: 0; }
  #bordereau-list li { border: 1px solid #ccc; border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
  .hash { font-family: ui-monospace, monospace; font-size: 0.8rem; word-break: break-all; color: #444; }
  [hidden] { display: none !important; }
</style>
</head>
<body>
<main>
<h1>${t.heading}</h1>
<p id="status" role="status" aria-live="polite"></p>
<p id="error" role="alert"></p>
<section id="pairing" hidden>
  <h2>${t.pairing}</h2>
  <form id="pair-form">
    <label>${t.terminalId} <input id="terminal-id" name="terminal-id" required pattern="[A-Za-z0-9._\\-]{1,64}" autocomplete="off"></label>
    <label>${t.code} <input id="pairing-code" name="pairing-code" required autocomplete="off" autocapitalize="characters" spellcheck="false"></label>
    <button type="submit" id="pair">${t.pair}</button>
  </form>
</section>
<section id="bordereaux" hidden>
  <h2>${t.list}</h2>
  <ul id="bordereau-list"></ul>
</section>
<section id="signing" hidden>
  <div id="pad-host"></div>
  <button type="button" id="cancel" class="secondary">${t.cancel}</button>
</section>
<section id="done" hidden>
  <p id="done-text"></p>
  <a id="pdf-link" class="button" target="_blank" rel="noopener">${t.pdf}</a>
  <button type="button" id="again" class="secondary">${t.again}</button>
</section>
<noscript>${t.noscript}</noscript>
</main>
<script src="/tablet.js"></script>
</body>
</html>
`;
}
