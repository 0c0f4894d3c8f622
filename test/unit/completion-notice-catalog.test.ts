/**
 * Every completion notice the catalog can cause fits one SMS segment (70 characters): each
 * item × outcome × delivery, with the longest case number its department can be given in a
 * day (a 5-digit sequence, 99,999 cases) on a real date.
 */
import { DELIVERIES } from '../../shared/domain/case';
import { formatCaseNo } from '../../shared/domain/case-number';
import { loadDefaultCatalog } from '../../shared/domain/default-catalog';
import { completionNotice, SMS_SEGMENT_CHARS, smsSegments } from '../../shared/domain/sms-templates';

const catalog = loadDefaultCatalog();
const OUTCOMES = ['approve', 'deny'] as const;
const cases = catalog
  .items()
  .flatMap((item) =>
    OUTCOMES.flatMap((outcome) =>
      DELIVERIES.map((delivery) => ({ item: item.code, department: item.department, outcome, delivery })),
    ),
  );

describe('the completion notice of every catalog item', () => {
  it('covers every item, both outcomes and every delivery', () => {
    expect(cases).toHaveLength(catalog.items().length * OUTCOMES.length * DELIVERIES.length);
    expect(catalog.items().length).toBeGreaterThan(0);
  });

  it.each(cases)('fits one segment for $item, $outcome, $delivery', ({ department, outcome, delivery }) => {
    // Arrange
    const caseNo = formatCaseNo(department, '2026-12-31', 99_999);
    // Act
    const text = completionNotice({ caseNo, outcome, delivery });
    // Assert
    expect(text.length).toBeLessThanOrEqual(SMS_SEGMENT_CHARS);
    expect(smsSegments(text)).toBe(1);
    expect(text).toContain(caseNo);
    expect(text).toContain('1非常满意');
  });
});
