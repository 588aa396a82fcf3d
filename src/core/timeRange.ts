// Baseline time ranges: presets relative to the backend's clock, and custom ranges typed by the analyst.
import { UserError } from './errors';
import type { TimeRange } from './types';

export interface RangePreset {
  label: string;
  hours: number;
}

export const RANGE_PRESETS: readonly RangePreset[] = [
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 7 * 24 },
  { label: 'Last 14 days', hours: 14 * 24 },
  { label: 'Last 30 days', hours: 30 * 24 },
];

export function lastHours(now: Date, hours: number): TimeRange {
  return { start: new Date(now.getTime() - hours * 3600_000), end: now };
}

const RELATIVE = /^\s*(\d+(?:\.\d+)?)\s*(h|d)\s*$/i;

/**
 * Parses a custom range: `3d` / `12h` (relative to now), or `START .. END` / `START to END` with ISO-8601
 * dates or date-times (UTC when no zone is given).
 */
export function parseCustomRange(text: string, now: Date): TimeRange {
  const rel = RELATIVE.exec(text);
  if (rel) {
    const hours = Number(rel[1]) * (rel[2].toLowerCase() === 'd' ? 24 : 1);
    if (hours <= 0) throw new UserError('The range must be longer than zero.');
    return lastHours(now, hours);
  }
  const parts = text.split(/\s*(?:\.\.|\bto\b)\s*/i).filter(Boolean);
  if (parts.length !== 2) throw new UserError('Enter a range like "3d", "12h" or "2026-11-01 .. 2026-11-08T12:00".');
  const [start, end] = parts.map(parseUtc);
  if (end <= start) throw new UserError('The end of the range must be after its start.');
  return { start, end };
}

function parseUtc(text: string): Date {
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? `${text}T00:00:00Z`
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text)
      ? text
      : `${text.replace(' ', 'T')}Z`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime()))
    throw new UserError(`"${text}" is not a date. Use ISO-8601, e.g. 2026-11-01 or 2026-11-01T08:00.`);
  return d;
}

/** "2026-11-13 12:00 → 2026-11-20 12:00 UTC" */
export function describeRange(range: TimeRange): string {
  const f = (d: Date) => d.toISOString().slice(0, 16).replace('T', ' ');
  return `${f(range.start)} → ${f(range.end)} UTC`;
}
