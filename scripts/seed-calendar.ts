/**
 * `npx tsx scripts/seed-calendar.ts`: writes catalog/official-calendar.json, the official
 * holidays and make-up working days (调休上班日) of every year the chinese-days package
 * covers. The functions read that file (a few KB) instead of bundling the package (43 KB);
 * test/unit/calendar.test.ts checks that the two agree on every day. Run it after upgrading
 * chinese-days; years it does not cover yet are added with PUT /calendar/{year}.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import data from 'chinese-days/dist/chinese-days.json';

const { holidays, workdays } = data as { holidays: Record<string, string>; workdays: Record<string, string> };
const byYear = new Map<number, { year: number; holidays: string[]; workdays: string[] }>();
const entry = (date: string) => {
  const year = Number(date.slice(0, 4));
  let y = byYear.get(year);
  if (!y) {
    y = { year, holidays: [], workdays: [] };
    byYear.set(year, y);
  }
  return y;
};
for (const date of Object.keys(holidays)) entry(date).holidays.push(date);
for (const date of Object.keys(workdays)) entry(date).workdays.push(date);
const years = [...byYear.values()]
  .sort((a, b) => a.year - b.year)
  .map((y) => ({ ...y, holidays: y.holidays.sort(), workdays: y.workdays.sort() }));
const file = join(__dirname, '..', 'catalog', 'official-calendar.json');
writeFileSync(file, JSON.stringify({ source: 'chinese-days', years }) + '\n');
console.log(`wrote ${years.length} years (${years[0].year}–${years[years.length - 1].year}) to ${file}`);
