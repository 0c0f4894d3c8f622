import { CSV_HEADERS, csvField, percent, reportToCsv } from '../../shared/domain/report-csv';
import { FORMULAS } from '../../shared/domain/report-figures';
import { computeReport, type ReportCase } from '../../shared/domain/reports';

const PERIOD = { from: '2026-10-01', to: '2026-10-31' };
const GENERATED_AT = '2026-11-01T01:00:00.000+08:00';

function approved(no: number, department: string, post: string | undefined, decided: string): ReportCase {
  return {
    caseNo: `C${no}`,
    department,
    post,
    kind: 'committed',
    channel: no % 2 === 0 ? 'online' : 'window',
    status: 'approved',
    receivedAt: '2026-10-05T09:00:00.000+08:00',
    acceptedAt: '2026-10-05T10:00:00.000+08:00',
    decidedAt: `${decided}T15:00:00.000+08:00`,
    decision: { outcome: 'approve' },
    deadlines: { committed: '2026-10-16' },
  };
}

function sampleCsv(): string {
  const cases = [
    approved(1, 'ENV', 'W-01', '2026-10-09'),
    approved(2, 'ENV', 'W-01', '2026-10-16'),
    approved(3, 'ENV', 'W-01', '2026-10-20'),
    {
      ...approved(4, 'CIV', undefined, '2026-10-09'),
      status: 'in-review' as const,
      decidedAt: undefined,
      decision: undefined,
    },
  ];
  return reportToCsv(computeReport({ period: PERIOD, generatedAt: GENERATED_AT, cases }));
}

/** Splits CSV text into rows of fields (RFC 4180), for reading back what was written. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += ch;
  }
  return rows;
}

describe('reportToCsv', () => {
  it('starts with a UTF-8 byte-order mark so a spreadsheet reads the Chinese correctly', () => {
    // Arrange / Act
    const csv = sampleCsv();

    // Assert
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it('ends every line with CRLF and has no bare LF', () => {
    // Arrange / Act
    const csv = sampleCsv();

    // Assert
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes Chinese headers in the order halls publish them', () => {
    // Arrange / Act
    const [header] = parseCsv(sampleCsv().slice(1));

    // Assert
    expect(header).toEqual([...CSV_HEADERS]);
    expect(header.slice(0, 4)).toEqual(['类型', '部门/窗口', '所属部门', '收件']);
    expect(header.slice(3, -3)).toEqual(FORMULAS.map((f) => f.zh));
    for (const name of ['网上申报', '窗口受理', '受理', '办结', '不予许可', '提前办结', '按时办结', '超期', '在办']) {
      expect(header).toContain(name);
    }
    for (const name of [
      '办结率',
      '提前办结率',
      '即时办结率',
      '当日办结率',
      '按时办结率',
      '满意率',
      '差评',
      '差评整改率',
    ]) {
      expect(header).toContain(name);
    }
  });

  it('writes one row per department, one per window, then the total, rates as percentages with 2 decimals', () => {
    // Arrange
    const rows = parseCsv(sampleCsv().slice(1));
    const header = rows[0];
    const col = (name: string) => header.indexOf(name);

    // Act
    const body = rows.slice(1);

    // Assert
    expect(body.map((r) => [r[0], r[1], r[2]])).toEqual([
      ['部门', 'CIV', ''],
      ['部门', 'ENV', ''],
      ['窗口', 'W-01', 'ENV'],
      ['窗口', '未分配窗口', 'CIV'],
      ['合计', '全部', ''],
    ]);
    const env = body[1];
    expect([env[col('收件')], env[col('办结')], env[col('提前办结')], env[col('超期')]]).toEqual(['3', '3', '1', '1']);
    expect(env[col('办结率')]).toBe('100.00%');
    expect(env[col('提前办结率')]).toBe('33.33%');
    expect(env[col('按时办结率')]).toBe('66.67%');
    const total = body[4];
    expect([total[col('收件')], total[col('在办')], total[col('办结率')]]).toEqual(['4', '1', '75.00%']);
  });

  it('leaves a rate with no denominator empty rather than writing NaN or 0%', () => {
    // Arrange
    const rows = parseCsv(sampleCsv().slice(1));
    const col = rows[0].indexOf('满意率');

    // Act
    const values = rows.slice(1).map((r) => r[col]);

    // Assert
    expect(values).toEqual(['', '', '', '', '']);
  });

  it('quotes a field with a comma or a quote, doubling the quote', () => {
    // Arrange
    const cases = [approved(1, 'ENV, "WATER"', 'W-01', '2026-10-09')];

    // Act
    const csv = reportToCsv(computeReport({ period: PERIOD, generatedAt: GENERATED_AT, cases }));

    // Assert
    expect(csv).toContain('\r\n部门,"ENV, ""WATER""",');
    expect(parseCsv(csv.slice(1))[1][1]).toBe('ENV, "WATER"');
  });

  it('marks the rank, score and red flag on window rows', () => {
    // Arrange
    const cases = [approved(1, 'ENV', 'W-01', '2026-10-09'), approved(2, 'ENV', 'W-02', '2026-10-20')];

    // Act
    const rows = parseCsv(reportToCsv(computeReport({ period: PERIOD, generatedAt: GENERATED_AT, cases })).slice(1));

    // Assert
    const [rank, score, flag] = ['排名', '得分', '红旗窗口'].map((h) => rows[0].indexOf(h));
    const w1 = rows.find((r) => r[1] === 'W-01')!;
    const w2 = rows.find((r) => r[1] === 'W-02')!;
    expect([w1[rank], w1[score], w1[flag]]).toEqual(['1', '100.00', '是']);
    expect([w2[rank], w2[flag]]).toEqual(['2', '']);
  });
});

describe('csvField', () => {
  it('leaves plain text as it is', () => {
    // Arrange / Act / Assert
    expect(csvField('环保厅窗口')).toBe('环保厅窗口');
  });

  it('quotes line breaks', () => {
    // Arrange / Act / Assert
    expect(csvField('a\nb')).toBe('"a\nb"');
  });

  it('defuses text a spreadsheet would run as a formula', () => {
    // Arrange / Act / Assert
    expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});

describe('percent', () => {
  it('writes a fraction as a percentage with 2 decimals', () => {
    // Arrange / Act / Assert
    expect(percent(0.9194)).toBe('91.94%');
    expect(percent(0.9994)).toBe('99.94%');
    expect(percent(1)).toBe('100.00%');
    expect(percent(null)).toBe('');
  });
});
