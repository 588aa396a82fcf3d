// Deadline maths: a cutover time turns timed checklist items into deadlines ("due in 1 h 20 m",
// "overdue by 35 m"). The clock is always passed in.
import type { ChecklistItem } from './checklist';

export type DeadlineStatus = 'done' | 'overdue' | 'due' | 'notYet';

export interface Deadline {
  itemId: string;
  title: string;
  /** ISO-8601. */
  due: string;
  notBefore?: string;
  status: DeadlineStatus;
  /** Milliseconds until due (negative when overdue). */
  remainingMs: number;
  /** "due in 1 h 20 m", "overdue by 35 m", "done", "starts in 6 d". */
  label: string;
}

/** Parses a cutover time: ISO-8601 with an offset or Z, or a `datetime-local` value (taken as local time). */
export function parseCutover(value: string | undefined | null): Date | undefined {
  if (!value || !value.trim()) return undefined;
  const d = new Date(value.trim());
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "1 h 20 m", "3 d 4 h", "45 s": the two most significant units (seconds only under a minute). */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  if (abs < 60_000) return `${Math.floor(abs / 1000)} s`;
  const totalMinutes = Math.floor(abs / 60_000);
  const values: [number, string][] = [
    [Math.floor(totalMinutes / 1440), 'd'],
    [Math.floor(totalMinutes / 60) % 24, 'h'],
    [totalMinutes % 60, 'm'],
  ];
  const first = values.findIndex(([n]) => n > 0);
  return values
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, u]) => `${n} ${u}`)
    .join(' ');
}

export function deadlineFor(item: ChecklistItem, cutover: Date, now: Date, done: boolean): Deadline | undefined {
  if (item.deadlineOffsetMs === undefined) return undefined;
  const due = new Date(cutover.getTime() + item.deadlineOffsetMs);
  const notBefore =
    item.notBeforeOffsetMs !== undefined ? new Date(cutover.getTime() + item.notBeforeOffsetMs) : undefined;
  const remainingMs = due.getTime() - now.getTime();
  let status: DeadlineStatus;
  let label: string;
  if (done) {
    status = 'done';
    label = 'done';
  } else if (remainingMs < 0) {
    status = 'overdue';
    label = `overdue by ${formatDuration(remainingMs)}`;
  } else if (notBefore && now.getTime() < notBefore.getTime()) {
    status = 'notYet';
    label = `starts in ${formatDuration(notBefore.getTime() - now.getTime())}, due in ${formatDuration(remainingMs)}`;
  } else {
    status = 'due';
    label = `due in ${formatDuration(remainingMs)}`;
  }
  return {
    itemId: item.id,
    title: item.title,
    due: due.toISOString(),
    notBefore: notBefore?.toISOString(),
    status,
    remainingMs,
    label,
  };
}

/** Deadlines of all timed items, in due order. */
export function deadlines(
  items: ChecklistItem[],
  cutover: Date | undefined,
  now: Date,
  isDone: (id: string) => boolean,
): Deadline[] {
  if (!cutover) return [];
  return items
    .map((i) => deadlineFor(i, cutover, now, isDone(i.id)))
    .filter((d): d is Deadline => !!d)
    .sort((a, b) => a.due.localeCompare(b.due));
}

/**
 * The deadline the status bar shows: the earliest overdue open item, else the next open item that is
 * due (or about to start). Undefined when nothing is open.
 */
export function nextDeadline(all: Deadline[]): Deadline | undefined {
  const open = all.filter((d) => d.status !== 'done');
  return open.find((d) => d.status === 'overdue') ?? open.find((d) => d.status === 'due') ?? open[0];
}
