/**
 * The local runtime's clock. With ONEWINDOW_CLOCK (an ISO instant) time starts there and
 * runs on; unset, it is the real time. Tests and demos may also move it forward (time travel).
 */
import type { Clock } from '../../shared/adapters/ports';

export class LocalClock implements Clock {
  private offsetMs: number;
  private readonly listeners: (() => void)[] = [];

  constructor(
    start?: string,
    private readonly real: () => number = Date.now,
  ) {
    if (start !== undefined && Number.isNaN(Date.parse(start))) {
      throw new Error(`ONEWINDOW_CLOCK must be an ISO instant such as 2026-09-28T09:00:00+08:00, not "${start}"`);
    }
    this.offsetMs = start === undefined ? 0 : Date.parse(start) - real();
  }

  now(): Date {
    return new Date(this.real() + this.offsetMs);
  }

  /** Moves time forward (or to an instant); never backward. */
  advance(ms: number): void {
    if (ms < 0) throw new Error('the clock only moves forward');
    this.offsetMs += ms;
    for (const listener of this.listeners) listener();
  }

  /** Called whenever time is moved forward (e.g. so waiting public notices look at the clock again). */
  onMove(listener: () => void): void {
    this.listeners.push(listener);
  }

  set(instant: string): void {
    const target = Date.parse(instant);
    if (Number.isNaN(target)) throw new Error(`not an ISO instant: ${instant}`);
    this.advance(Math.max(0, target - this.now().getTime()));
  }
}
