/**
 * The style sheet of the HTML report, inline so the page needs nothing
 * else: readable on screen, printed on A4 with table headers repeated on each
 * page and no row cut in two. A verdict is told by its words and sign, then by
 * its border (solid, double, dashed, dotted) — colours only add to them, and
 * stay distinct in grey.
 */
export const REPORT_CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: #111; background: #fff; margin: 0 auto; padding: 1.5rem; max-width: 78rem; }
h1 { font-size: 1.6rem; margin: 0 0 .75rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 2px solid #333; padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .4rem; }
p, li { max-width: 60rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 0 0 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.overall { border: 3px solid #111; padding: .75rem 1rem; margin: 1rem 0; }
.overall h2 { margin: 0; border: 0; padding: 0; }
.overall p { margin: .25rem 0 0; }
.overall-word { font-size: 1.35rem; font-weight: 800; letter-spacing: .03em; }
.overall.ok { border-style: double; border-width: 6px; background: #ecfdf3; }
.overall.ko { background: #fff1f1; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .9em; }
caption { text-align: left; font-style: italic; padding: .25rem 0; color: #333; }
th, td { border: 1px solid #777; padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: #e5e7eb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.hash, code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; overflow-wrap: anywhere; }
.hash { font-size: .8em; word-break: break-all; }
table.tests { table-layout: fixed; }
table.tests col.c-test { width: 15%; }
table.tests col.c-what { width: 22%; }
table.tests col.c-expected { width: 13%; }
table.tests col.c-outcome { width: 11%; }
table.tests col.c-answer { width: 15%; }
table.tests col.c-time { width: 8%; }
table.tests col.c-hash { width: 16%; }
.badge { display: inline-block; padding: .05em .4em; border: 2px solid #111; font-weight: 700; white-space: nowrap; }
.badge.passed { background: #dcfce7; color: #14532d; border-color: #14532d; border-style: solid; }
.badge.failed { background: #7f1d1d; color: #fff; border: 4px double #000; }
.badge.indeterminate { background: #fef3c7; color: #5b3a0a; border-color: #5b3a0a; border-style: dashed; }
.badge.not-covered { background: #f3f4f6; color: #1f2937; border-color: #1f2937; border-style: dotted; }
tr.row-failed td { background: #fff1f1; }
tr.row-indeterminate td { background: #fffbeb; }
.detail { display: block; color: #333; font-size: .9em; overflow-wrap: anywhere; }
ul.legend { padding-left: 1.2rem; }
ul.legend li { margin: .3rem 0; }
footer { margin-top: 2rem; border-top: 1px solid #777; padding-top: .5rem; font-size: .85rem; color: #333; }
a { color: #1d3f8f; }
@page { size: A4; margin: 14mm 11mm 16mm; }
@media print {
  body { font-size: 10pt; max-width: none; padding: 0; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  thead { display: table-header-group; }
  tr, .overall, dl.facts, ul.legend li { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, caption { break-after: avoid; page-break-after: avoid; }
  section.requirement { break-before: auto; }
  a { color: inherit; text-decoration: none; }
  table { font-size: 8.5pt; }
}
`;
