// One way to show a point in time everywhere: UTC ISO ("2026-11-20 14:05 UTC") by default, or the machine's
// local time with its offset ("2026-11-20 15:05 +01:00") when the user asks for it.
export type TimeFormat = 'utc' | 'local';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Formats an ISO time (or epoch ms); text that is not a time comes back as is. */
export function formatTime(
  value: string | number | undefined,
  format: TimeFormat = 'utc',
  options: { seconds?: boolean } = {},
): string {
  if (value === undefined || value === '') return '';
  const t = typeof value === 'number' ? value : Date.parse(value);
  if (!Number.isFinite(t)) return String(value);
  const d = new Date(t);
  const secs = options.seconds ? `:${pad(format === 'utc' ? d.getUTCSeconds() : d.getSeconds())}` : '';
  if (format === 'utc') {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}${secs} UTC`;
  }
  const offset = -d.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}${secs} ${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

export function parseTimeFormat(value: unknown): TimeFormat {
  return value === 'local' ? 'local' : 'utc';
}
