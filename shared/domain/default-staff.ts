/** The staff directory shipped with the product (catalog/staff.json: FAKE numbers), validated once and cached. */
import staff from '../../catalog/staff.json';
import { StaffDirectory } from './staff';

let cached: StaffDirectory | undefined;

export function loadDefaultStaff(): StaffDirectory {
  cached ??= StaffDirectory.fromData(staff);
  return cached;
}
