/**
 * A report as CSV for a spreadsheet: UTF-8 with a byte-order mark (so Excel reads the
 * Chinese headers correctly), CRLF line ends, RFC 4180 quoting. One row per department, one
 * per window, then the hall total. Rates are percentages with 2 decimals ("91.94%"); a rate
 * with no denominator is an empty cell. Pure: no I/O.
 */
import { figureValue, FORMULAS, type Figures } from './report-figures';
import type { Report } from './reports';
import { UNASSIGNED_WINDOW } from './reports';

const BOM = '\uFEFF';
const CRLF = '\r\n';

type Column = { header: string; value: (f: Figures) => number | null; rate: boolean };

/** One column per figure, in the order of FIGURES (the order halls publish them), headed by its Chinese name. */
const COLUMNS: Column[] = FORMULAS.map((f) => ({
  header: f.zh,
  value: (figures: Figures) => figureValue(figures, f.key),
  rate: f.kind === 'rate',
}));

export const CSV_HEADERS: readonly string[] = [
  '类型',
  '部门/窗口',
  '所属部门',
  ...COLUMNS.map((c) => c.header),
  '排名',
  '得分',
  '红旗窗口',
];

/**
 * One CSV field. Text that a spreadsheet would run as a formula (starting with = + - @, tab
 * or CR) gets a leading apostrophe; a field with a comma, a quote or a line break is quoted,
 * its quotes doubled.
 */
export function csvField(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A rate (0..1) as a percentage with 2 decimals, or '' when there is none. */
export function percent(rate: number | null): string {
  return rate === null ? '' : `${(rate * 100).toFixed(2)}%`;
}

function figureCells(f: Figures): string[] {
  return COLUMNS.map((c) => {
    const v = c.value(f);
    return c.rate ? percent(v) : String(v ?? '');
  });
}

function windowName(window: string): string {
  return window === UNASSIGNED_WINDOW ? '未分配窗口' : window;
}

/** The report as CSV text: BOM, header row, departments, windows, total; CRLF after every row. */
export function reportToCsv(report: Report): string {
  const ranks = new Map(report.ranking.ranked.map((r) => [r.window, r]));
  const rows: string[][] = [CSV_HEADERS.map(csvField)];
  for (const d of report.departments) {
    rows.push(['部门', csvField(d.department), '', ...figureCells(d), '', '', '']);
  }
  for (const w of report.windows) {
    const r = ranks.get(w.window);
    rows.push([
      '窗口',
      csvField(windowName(w.window)),
      csvField(w.departments.join('、')),
      ...figureCells(w),
      r ? String(r.rank) : '',
      r ? r.score.toFixed(2) : '',
      r?.redFlag ? '是' : '',
    ]);
  }
  rows.push(['合计', '全部', '', ...figureCells(report.total), '', '', '']);
  return BOM + rows.map((cells) => cells.join(',')).join(CRLF) + CRLF;
}
