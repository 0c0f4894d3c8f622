import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMULAS } from '../../shared/domain/report-figures';

/** The rows of the README's table of report formulas, as written. */
function readmeFormulaRows(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const header = '| 中文 | figure | key | kind | formula |\n|---|---|---|---|---|\n';
  const start = readme.indexOf(header);
  if (start < 0) return [];
  const rest = readme.slice(start + header.length);
  const end = rest.indexOf('\n\n');
  return (end < 0 ? rest : rest.slice(0, end)).split('\n');
}

describe('the README', () => {
  it('writes every report figure next to its Chinese name, in the order and words of FIGURES', () => {
    // Arrange
    const expected = FORMULAS.map(
      (f) =>
        `| ${f.zh} | ${f.en} | \`${f.key}\` | ${f.kind === 'rate' ? 'rate (0..1)' : 'count'} | ${f.formula.replace(/\|/g, '\\|')} |`,
    );

    // Act
    const rows = readmeFormulaRows();

    // Assert
    expect(rows).toEqual(expected);
  });
});
