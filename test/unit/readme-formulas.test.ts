import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FORMULAS } from '../../shared/domain/reports';

describe('the README', () => {
  it('writes every report formula next to its Chinese name, as shared/domain/reports.ts defines it', () => {
    // Arrange
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    // Act
    const missing = FORMULAS.filter(
      (f) =>
        !readme.includes(
          `| ${f.zh} | ${f.en} | \`${f.key}\` | ${f.kind === 'rate' ? 'rate (0..1)' : 'count'} | ${f.formula.replace(/\|/g, '\\|')} |`,
        ),
    );
    // Assert
    expect(missing.map((f) => f.key)).toEqual([]);
  });
});
