import type { Bordereau } from '../../model/bordereau.js';
import type { SlotId } from '../../signature-slots.js';
import type { RenderedSlot } from './slot-data.js';
import type { LayoutTemplate } from '../layout/template.js';
import type { Cell } from './cells.js';
import { leaf } from './cells.js';
import { TABLE_TITLES } from './columns.js';
import { ACCENT, ContentWriter, GREY, LIGHT, RULE, type TextStyle } from './content-writer.js';
import { metrics, type Item, type PagePlan, type PlacedBlock } from './page-plan.js';
import type { DocumentFonts } from './font-embedder.js';

/** A fillable-mode field to create after drawing (PDF coordinates). */
export interface FieldSpec {
  readonly path: string;
  readonly page: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly text: string;
  readonly size: number;
  readonly align: 'left' | 'right' | 'center';
  readonly multiline: boolean;
  /** Distance between the baselines of wrapped lines. */
  readonly lineHeight: number;
}

export interface DrawnPages {
  readonly contents: readonly string[];
  readonly fields: readonly FieldSpec[];
  readonly slots: readonly RenderedSlot[];
}

export interface DrawContext {
  readonly bordereau: Bordereau;
  readonly template: LayoutTemplate;
  readonly hash: string;
  readonly fillable: boolean;
  readonly fonts: Pick<DocumentFonts, 'regularFace' | 'boldFace' | 'used' | 'names'>;
}

const PAD = 2;
const TABLE_NUMBER: Record<string, number> = { services: 1, fees: 2, lpp: 3, drugs: 4 };

/**
 * Draws every page of the plan (FORM-4, FORM-6): static text and rules into
 * content streams, and — in fillable mode — one field per model leaf instead
 * of its text. Records the signature slots' rectangles.
 */
export function drawPages(plan: PagePlan, ctx: DrawContext): DrawnPages {
  const { template: t, bordereau: b } = ctx;
  const m = metrics(t);
  const f = t.fonts;
  const H = t.page.height;
  const left = t.page.margin;
  const right = t.page.width - t.page.margin;
  const width = right - left;
  const fields: FieldSpec[] = [];
  const slots: RenderedSlot[] = [];
  const contents: string[] = [];
  const total = plan.pages.length;

  plan.pages.forEach((items, pageIndex) => {
    const w = new ContentWriter(ctx.fonts);
    /** Text of a model leaf: drawn, or a field in fillable mode. */
    const put = (
      cell: Cell,
      x: number,
      baseline: number,
      cw: number,
      style: TextStyle,
      align: 'left' | 'right' | 'center',
      lines = 1,
      lineHeight = style.size * 1.25,
    ): void => {
      if (ctx.fillable && cell.path !== null) {
        // The field box spans the text lines: from just above the first
        // baseline's ascenders to below the last line's descenders.
        const top = baseline + style.size * 0.95;
        const h = (lines - 1) * lineHeight + style.size * 1.3;
        fields.push({
          path: cell.path,
          page: pageIndex,
          x,
          y: top - h,
          width: cw,
          height: h,
          text: cell.text,
          size: style.size,
          align,
          multiline: lines > 1,
          lineHeight,
        });
      } else {
        w.textIn(cell.text, x, baseline, cw, style, align);
      }
    };

    // ---- page header ------------------------------------------------------------
    let y = H - t.page.margin;
    if (pageIndex === 0) {
      w.text('BORDEREAU DE FACTURATION S 3404', left, y - f.title, { size: f.title, bold: true, color: ACCENT });
      w.text(
        'Frais de séjour et honoraires — établissement de santé privé (art. R.161-40 du code de la sécurité sociale)',
        left,
        y - f.title - f.subtitle * 1.6,
        { size: f.subtitle, color: GREY },
      );
      const boxW = Math.min(300, width * 0.42);
      const bx = right - boxW;
      const boxH = m.firstHeader - 8;
      w.rect(bx, y - boxH, boxW, boxH, { stroke: ACCENT, lineWidth: 0.8 });
      w.text('Identifiant unique du bordereau', bx + 5, y - f.label - 3, { size: f.label, color: GREY });
      w.text(b.id, bx + 5, y - f.label - 4 - f.title * 0.85, { size: f.title * 0.8, bold: true });
      const infoY = y - boxH + 4;
      w.text('Facture n°', bx + 5, infoY, { size: f.label, color: GREY });
      put(leaf('invoiceNumber', b.invoiceNumber), bx + 5 + w.width('Facture n° ', { size: f.label }), infoY, boxW * 0.3, { size: f.value }, 'left');
      w.text('établie le', bx + boxW * 0.55, infoY, { size: f.label, color: GREY });
      put(leaf('issuedOn', b.issuedOn), bx + boxW * 0.55 + w.width('établie le ', { size: f.label }), infoY, boxW * 0.28, { size: f.value }, 'left');
      y -= m.firstHeader;
    } else {
      w.text('BORDEREAU DE FACTURATION S 3404 (suite)', left, y - f.title * 0.8, { size: f.title * 0.8, bold: true, color: ACCENT });
      w.textIn(`Identifiant unique du bordereau : ${b.id}`, left, y - f.title * 0.8, width, { size: f.value, bold: true }, 'right');
      y -= m.nextHeader;
    }

    // ---- items --------------------------------------------------------------------
    for (const item of items) {
      // The closing zone (totals, signatures) sits at the bottom of the last page.
      drawItem(item, item.kind === 'closing' ? t.page.margin + m.footer + item.height : y);
      y -= item.height;
    }

    // ---- footer (every page): identifier, content hash, page n / N -------------------
    const fy = t.page.margin + f.footer * 1.6;
    w.line(left, fy + f.footer * 1.3, right, fy + f.footer * 1.3, RULE, 0.5);
    const idText = `Identifiant unique du bordereau : ${b.id}   ·   Empreinte SHA-256 du contenu : ${ctx.hash}`;
    w.textIn(idText, left, fy, width * 0.85, { size: f.footer, bold: true });
    w.textIn(`page ${pageIndex + 1} / ${total}`, left, fy, width, { size: f.footer * 1.2, bold: true }, 'right');
    w.textIn(
      `Gabarit « ${t.kind} ${t.version} — ${t.name} » · contenu du bordereau S3404, mise en page propre au SDK s3404 · ` +
        'H.S. : hors séjour (pré : pré-admission, post : post-sortie) · montants en euros',
      left,
      t.page.margin,
      width,
      { size: f.footer * 0.85, color: GREY },
    );
    contents.push(w.toString());

    function drawItem(item: Item, top: number): void {
      switch (item.kind) {
        case 'blocks':
          drawBlocks(item.row, top);
          return;
        case 'title': {
          const n = TABLE_NUMBER[item.table];
          const label = `${n} — ${TABLE_TITLES[item.table]}${item.continued ? ' (suite)' : ''}`;
          w.text(label, left, top - f.blockTitle * 1.3, { size: f.blockTitle * 1.1, bold: true, color: ACCENT });
          return;
        }
        case 'header': {
          const cols = plan.columns[item.table];
          w.rect(left, top - item.height, width, item.height, { fill: LIGHT, stroke: RULE, lineWidth: 0.5 });
          cols.forEach((c, i) => {
            if (i > 0) w.line(c.x, top, c.x, top - item.height);
            item.lines[i]!.forEach((line, li) => {
              w.textIn(line, c.x + PAD, top - 2 - f.tableHeader * (1 + li * 1.2), c.width - 2 * PAD, { size: f.tableHeader, bold: true }, 'center');
            });
          });
          return;
        }
        case 'empty':
          w.rect(left, top - item.height, width, item.height, { stroke: RULE, lineWidth: 0.5 });
          w.text('Néant', left + 4, top - f.table - 1.5, { size: f.table, color: GREY });
          return;
        case 'row': {
          const cols = plan.columns[item.table];
          w.rect(left, top - item.height, width, item.height, { stroke: RULE, lineWidth: 0.4 });
          cols.forEach((c, i) => {
            if (i > 0) w.line(c.x, top, c.x, top - item.height);
            if (c.key === 'signature') {
              const fee = b.fees[item.index]!;
              slots.push({
                id: `line:${item.index + 1}`,
                page: pageIndex,
                x: c.x + 1,
                y: top - item.height + 1,
                width: c.width - 2,
                height: item.height - 2,
                mandate: fee.signature.mandate,
              });
              if (fee.signature.mandate) {
                w.textIn('Mandat', c.x + PAD, top - item.height + 2.5, c.width - 2 * PAD, { size: f.table * 0.9, bold: true, color: ACCENT }, 'right');
              }
              return;
            }
            const cell = item.cells[i];
            const lines = item.lines[i]!;
            if (cell === null || cell === undefined) return;
            if (ctx.fillable && cell.path !== null) {
              put(cell, c.x + PAD, top - m.tablePad / 2 - f.table, c.width - 2 * PAD, { size: f.table }, c.def.align, Math.max(1, lines.length), m.tableLine);
              return;
            }
            lines.forEach((line, li) => {
              w.textIn(line, c.x + PAD, top - m.tablePad / 2 - f.table - li * m.tableLine, c.width - 2 * PAD, { size: f.table }, c.def.align);
            });
          });
          return;
        }
        case 'closing':
          drawClosing(top, item.height);
          return;
        case 'gap':
          return;
      }
    }

    function drawBlocks(row: readonly PlacedBlock[], top: number): void {
      const bw = (width - (t.blocksPerRow - 1) * m.blockGap) / t.blocksPerRow;
      const heights = row.map((pb) => m.blockTitle + pb.lines.reduce((s, l) => s + l.length, 0) * m.blockLine + 2 * m.blockPad);
      const height = Math.max(...heights);
      row.forEach((pb, i) => {
        const x = left + i * (bw + m.blockGap);
        w.rect(x, top - m.blockTitle, bw, m.blockTitle, { fill: LIGHT });
        w.rect(x, top - height, bw, height, { stroke: RULE, lineWidth: 0.6 });
        w.text(pb.block.title.toUpperCase(), x + m.blockPad, top - m.blockTitle + f.blockTitle * 0.45, { size: f.blockTitle, bold: true, color: ACCENT });
        let ly = top - m.blockTitle - m.blockPad;
        const labelW = bw * 0.38;
        const valueX = x + labelW;
        const valueW = bw - labelW - 2 * m.blockPad;
        pb.block.rows.forEach((r, ri) => {
          const lines = pb.lines[ri]!;
          const baseline = ly - f.value;
          if (r.label !== '') w.textIn(r.label, x + m.blockPad, baseline, labelW - m.blockPad, { size: f.label, color: GREY });
          if (ctx.fillable && r.cells.some((c) => c.path !== null)) {
            // One field per leaf, side by side, widths in proportion to content.
            const leaves = r.cells;
            const weights = leaves.map((c) => Math.max(10, [...c.text].length + 4));
            const sum = weights.reduce((s, v) => s + v, 0);
            let cx = valueX;
            leaves.forEach((c, ci) => {
              const cw = (weights[ci]! / sum) * valueW - (ci < leaves.length - 1 ? 2 : 0);
              put(c, cx, baseline, cw, { size: f.value }, 'left', lines.length, m.blockLine);
              cx += cw + 2;
            });
          } else {
            const x0 = r.label === '' ? x + m.blockPad : valueX;
            for (const [li, line] of lines.entries()) w.text(line, x0, baseline - li * m.blockLine, { size: f.value });
          }
          ly -= lines.length * m.blockLine;
        });
      });
    }

    function drawClosing(top: number, height: number): void {
      const gap = 8;
      const totalsW = width * 0.28;
      const boxW = (width - totalsW - 2 * gap) / 2;
      const bottom = top - height + m.sectionGap;
      const h = top - bottom;
      // Totals.
      w.rect(left, top - m.blockTitle, totalsW, m.blockTitle, { fill: LIGHT });
      w.rect(left, bottom, totalsW, h, { stroke: RULE, lineWidth: 0.6 });
      w.text('TOTAUX ET RÉPARTITION (€)', left + 4, top - m.blockTitle + f.blockTitle * 0.45, { size: f.blockTitle, bold: true, color: ACCENT });
      const rows: [string, keyof Bordereau['totals'], boolean][] = [
        ['Prestations hospitalières', 'services', false],
        ['Honoraires', 'fees', false],
        ['Dispositifs médicaux (LPP)', 'lpp', false],
        ['Médicaments en sus (UCD)', 'drugs', false],
        ['TOTAL GÉNÉRAL', 'total', true],
        ['Part AMO (assurance maladie obligatoire)', 'amo', false],
        ['Part AMC (organisme complémentaire)', 'amc', false],
        ['Part assuré', 'patient', true],
      ];
      const lineH = Math.min(f.value * 1.55, (h - m.blockTitle - 6) / rows.length);
      rows.forEach(([label, key, strong], i) => {
        const baseline = top - m.blockTitle - 4 - lineH * (i + 1) + lineH * 0.3;
        if (key === 'total' || key === 'amo') w.line(left + 3, baseline + lineH * 0.78, left + totalsW - 3, baseline + lineH * 0.78, RULE, 0.4);
        w.textIn(label, left + 4, baseline, totalsW * 0.62, { size: f.value, bold: strong });
        put(leaf(`totals.${key}`, b.totals[key]), left + totalsW * 0.62, baseline, totalsW * 0.38 - 6, { size: f.value, bold: strong }, 'right');
      });
      // Insured person and director.
      const boxes: [SlotId, string, number][] = [
        ['insured', 'SIGNATURE DE L’ASSURÉ(E) OU DU BÉNÉFICIAIRE', left + totalsW + gap],
        ['director', 'SIGNATURE DU DIRECTEUR OU DE SON DÉLÉGATAIRE', left + totalsW + gap + boxW + gap],
      ];
      for (const [id, title, x] of boxes) {
        w.rect(x, top - m.blockTitle, boxW, m.blockTitle, { fill: LIGHT });
        w.rect(x, bottom, boxW, h, { stroke: RULE, lineWidth: 0.6 });
        w.text(title, x + 4, top - m.blockTitle + f.blockTitle * 0.45, { size: f.blockTitle, bold: true, color: ACCENT });
        let ly = top - m.blockTitle - f.value - 3;
        if (id === 'insured') {
          w.text('Signataire :', x + 4, ly, { size: f.label, color: GREY });
          put(
            leaf('signatures.insured.signer', b.signatures.insured.signer),
            x + 4 + w.width('Signataire : ', { size: f.label }),
            ly,
            boxW * 0.4,
            { size: f.value },
            'left',
          );
          ly -= f.label * 1.5;
          for (const line of w.wrap(
            'Par sa signature, l’assuré(e) atteste son identité, le lieu et la durée du séjour et les conditions de prise en charge (art. R.161-43 CSS).',
            boxW - 8,
            { size: f.label },
          )) {
            w.text(line, x + 4, ly, { size: f.label, color: GREY });
            ly -= f.label * 1.25;
          }
        } else {
          w.text('Nom :', x + 4, ly, { size: f.label, color: GREY });
          put(
            leaf('signatures.director.name', b.signatures.director.name),
            x + 4 + w.width('Nom : ', { size: f.label }),
            ly,
            boxW * 0.5,
            { size: f.value },
            'left',
          );
          w.text('Délégataire :', x + boxW * 0.62, ly, { size: f.label, color: GREY });
          put(
            leaf('signatures.director.delegate', b.signatures.director.delegate),
            x + boxW * 0.62 + w.width('Délégataire : ', { size: f.label }),
            ly,
            boxW * 0.15,
            { size: f.value },
            'left',
          );
          ly -= f.label * 1.5;
          w.text('Journée comptable validée :', x + 4, ly, { size: f.label, color: GREY });
          put(
            leaf('signatures.accountingDay', b.signatures.accountingDay),
            x + 4 + w.width('Journée comptable validée : ', { size: f.label }),
            ly,
            boxW * 0.3,
            { size: f.value },
            'left',
          );
          ly -= f.label * 1.25;
        }
        const slotTop = ly - 2;
        const slotBottom = bottom + 3;
        w.rect(x + 4, slotBottom, boxW - 8, slotTop - slotBottom, { stroke: RULE, lineWidth: 0.3 });
        slots.push({ id, page: pageIndex, x: x + 5, y: slotBottom + 1, width: boxW - 10, height: slotTop - slotBottom - 2, mandate: false });
      }
    }
  });
  return { contents, fields, slots };
}
