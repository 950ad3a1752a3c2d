import type { Bordereau } from '../../model/bordereau.js';
import type { LayoutTemplate } from '../layout/template.js';
import { headerBlocks, type Block } from './blocks.js';
import type { Cell } from './cells.js';
import { COLUMNS, TABLE_ORDER, type ColumnDef, type TableKey } from './columns.js';
import type { ContentWriter, TextStyle } from './content-writer.js';

/** Vertical metrics shared by planning and drawing. */
export function metrics(t: LayoutTemplate) {
  const f = t.fonts;
  return {
    firstHeader: f.title * 1.2 + f.subtitle * 1.3 + 16,
    nextHeader: f.title * 0.9 + 12,
    footer: f.footer * 2.6 + 8,
    blockTitle: f.blockTitle * 1.6 + 3,
    blockLine: f.value * 1.3,
    blockPad: 3,
    blockGap: 6,
    tableTitle: f.blockTitle * 1.6 + 5,
    tableHeaderLine: f.tableHeader * 1.2,
    tableHeaderPad: 5,
    tableLine: f.table * 1.25,
    tablePad: 4,
    sectionGap: 7,
  };
}

/** A laid-out table column: its definition and horizontal extent. */
export interface PlacedColumn {
  readonly key: string;
  readonly def: ColumnDef;
  readonly x: number;
  readonly width: number;
}

/** A header block with its measured rows (wrapped value lines). */
export interface PlacedBlock {
  readonly block: Block;
  readonly lines: readonly (readonly string[])[];
}

export type Item =
  | { readonly kind: 'blocks'; readonly height: number; readonly row: readonly PlacedBlock[] }
  | { readonly kind: 'title'; readonly height: number; readonly table: TableKey; readonly continued: boolean }
  | { readonly kind: 'header'; readonly height: number; readonly table: TableKey; readonly lines: readonly (readonly string[])[] }
  | {
      readonly kind: 'row';
      readonly height: number;
      readonly table: TableKey;
      readonly index: number;
      readonly cells: readonly (Cell | null)[];
      readonly lines: readonly (readonly string[])[];
    }
  | { readonly kind: 'empty'; readonly height: number; readonly table: TableKey }
  | { readonly kind: 'gap'; readonly height: number }
  | { readonly kind: 'closing'; readonly height: number };

/** The whole document: items per page, and the columns of each table. */
export interface PagePlan {
  readonly pages: readonly (readonly Item[])[];
  readonly columns: Record<TableKey, readonly PlacedColumn[]>;
}

/** Places the template's columns across the content width. */
export function placeColumns(t: LayoutTemplate, table: TableKey): PlacedColumn[] {
  const width = t.page.width - 2 * t.page.margin;
  const specs = t.tables[table];
  const total = specs.reduce((s, c) => s + c.weight, 0);
  let x = t.page.margin;
  return specs.map((c) => {
    const placed = { key: c.key, def: COLUMNS[table][c.key]!, x, width: (c.weight / total) * width };
    x += placed.width;
    return placed;
  });
}

const CELL_PAD = 2;

/**
 * Lays the bordereau out into pages (FORM-4): blocks on page 1, then the four
 * tables — lines never cut, the title and header repeated on continuation
 * pages — and the closing zone (totals, signatures) on the last page.
 */
export function planPages(b: Bordereau, t: LayoutTemplate, w: ContentWriter): PagePlan {
  const m = metrics(t);
  const f = t.fonts;
  const contentWidth = t.page.width - 2 * t.page.margin;
  const columns = {} as Record<TableKey, PlacedColumn[]>;
  for (const key of TABLE_ORDER) columns[key] = placeColumns(t, key);

  const valueStyle: TextStyle = { size: f.value };
  const tableStyle: TextStyle = { size: f.table };
  const headerStyle: TextStyle = { size: f.tableHeader, bold: true };

  // ---- header blocks, in rows of `blocksPerRow` --------------------------------
  const items: Item[][] = [];
  const first: Item[] = [];
  const blocks = headerBlocks(b);
  const blockWidth = (contentWidth - (t.blocksPerRow - 1) * m.blockGap) / t.blocksPerRow;
  const labelWidth = blockWidth * 0.38;
  const valueWidth = blockWidth - labelWidth - 2 * m.blockPad;
  for (let i = 0; i < blocks.length; i += t.blocksPerRow) {
    const row = blocks.slice(i, i + t.blocksPerRow).map((block) => ({
      block,
      lines: block.rows.map((r) => {
        const text = r.cells
          .map((c) => c.text)
          .filter((s) => s !== '')
          .join(' · ');
        return text === '' ? [''] : w.wrap(text, r.label === '' ? blockWidth - 2 * m.blockPad : valueWidth, valueStyle);
      }),
    }));
    const inner = Math.max(...row.map((pb) => pb.lines.reduce((s, l) => s + l.length, 0)));
    first.push({ kind: 'blocks', height: m.blockTitle + inner * m.blockLine + 2 * m.blockPad + m.sectionGap, row });
  }

  // ---- tables --------------------------------------------------------------------
  const flow: Item[] = [...first];
  for (const table of TABLE_ORDER) {
    const cols = columns[table];
    const headerLines = cols.map((c) => w.wrap(c.def.header, c.width - 2 * CELL_PAD, headerStyle));
    const headerHeight = Math.max(...headerLines.map((l) => l.length)) * m.tableHeaderLine + m.tableHeaderPad;
    flow.push({ kind: 'title', height: m.tableTitle, table, continued: false });
    flow.push({ kind: 'header', height: headerHeight, table, lines: headerLines });
    const lines = b[table] as readonly unknown[];
    if (lines.length === 0) flow.push({ kind: 'empty', height: m.tableLine + m.tablePad, table });
    lines.forEach((line, index) => {
      const prefix = `${table}.${index}`;
      const cells = cols.map((c) => c.def.cell(line as never, prefix, index));
      const cellLines = cells.map((cell, ci) => {
        if (cell === null || cell.text === '') return [];
        const col = cols[ci]!;
        const width = col.width - 2 * CELL_PAD;
        return col.def.wrap === true ? w.wrap(cell.text, width, tableStyle) : [cell.text];
      });
      const count = Math.max(1, ...cellLines.map((l) => l.length));
      const min = table === 'fees' && cols.some((c) => c.key === 'signature') ? t.signatureRowHeight : 0;
      flow.push({ kind: 'row', height: Math.max(min, count * m.tableLine + m.tablePad), table, index, cells, lines: cellLines });
    });
    flow.push({ kind: 'gap', height: m.sectionGap });
  }
  flow.push({ kind: 'closing', height: t.closingHeight });

  // ---- pagination -------------------------------------------------------------
  const available = (pageIndex: number): number => t.page.height - 2 * t.page.margin - (pageIndex === 0 ? m.firstHeader : m.nextHeader) - m.footer;
  let page: Item[] = [];
  let used = 0;
  const newPage = (): void => {
    items.push(page);
    page = [];
    used = 0;
  };
  for (let i = 0; i < flow.length; i++) {
    const item = flow[i]!;
    if (item.kind === 'gap') {
      // A gap never opens a page; at the bottom of a page it is dropped.
      if (used + item.height <= available(items.length)) {
        page.push(item);
        used += item.height;
      }
      continue;
    }
    // A table title keeps its header and first line with it.
    let need = item.height;
    if (item.kind === 'title') need += flow[i + 1]!.height + flow[i + 2]!.height;
    if (used + need > available(items.length) && page.length > 0) {
      newPage();
      if (item.kind === 'row') {
        const title = flow.find((x) => x.kind === 'title' && x.table === item.table)!;
        const header = flow.find((x) => x.kind === 'header' && x.table === item.table)!;
        page.push({ kind: 'title', height: title.height, table: item.table, continued: true }, header);
        used += title.height + header.height;
      }
    }
    page.push(item);
    used += item.height;
  }
  items.push(page);
  return { pages: items, columns };
}
