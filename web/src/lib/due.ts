/** How near a due date is, for the worklist's marks: red once passed, yellow within 2 days. */
import { chinaToday, daysBetween } from './words';

export type Colour = 'red' | 'yellow' | undefined;

export function dueColour(due: string | null | undefined, today = chinaToday()): Colour {
  if (!due) return undefined;
  const left = daysBetween(today, due.slice(0, 10));
  if (left < 0) return 'red';
  if (left <= 2) return 'yellow';
  return undefined;
}

export const COLOUR_TEXT: Record<'red' | 'yellow', string> = { red: '已超期', yellow: '临近期限' };
