/** Fake personal data for tests: valid in form (check digits right), belonging to nobody. */
export const APPLICANT = {
  name: '张三',
  idType: 'resident-id' as const,
  idNumber: '11010519491231002X',
  phone: '13800001234',
};

export const OTHER_APPLICANT = {
  name: '李四',
  idType: 'resident-id' as const,
  idNumber: '440524188001010014',
  phone: '13900005678',
};

/** A submission of the EIA report form item with every material (codes from the catalog). */
export function fullSubmission(itemCode: string, materials: string[], applicant = APPLICANT) {
  return { itemCode, applicant, materials, delivery: 'pickup' as const };
}
