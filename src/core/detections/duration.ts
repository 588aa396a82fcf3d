// Rule durations as the two rule formats write them: `1h`, `14d`, `5m` (Azure-Sentinel YAML) and
// ISO-8601 `PT1H`, `P1D`, `P1DT12H` (ARM). Returns milliseconds, or undefined for anything else.

const SHORT = /^(\d+(?:\.\d+)?)\s*(d|h|m|s)$/i;
// Lenient like Sentinel's exports, which also write days after the T (`PT1D`).
const ISO =
  /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)D)?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const UNIT_MS: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };

export function parseRuleDuration(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.trim();
  const short = SHORT.exec(s);
  if (short) return Number(short[1]) * UNIT_MS[short[2].toLowerCase()];
  const iso = ISO.exec(s);
  if (iso && s !== 'P' && !s.endsWith('T')) {
    const [, d, td, h, m, sec] = iso;
    return (
      (Number(d ?? 0) + Number(td ?? 0)) * UNIT_MS.d +
      Number(h ?? 0) * UNIT_MS.h +
      Number(m ?? 0) * UNIT_MS.m +
      Number(sec ?? 0) * UNIT_MS.s
    );
  }
  return undefined;
}

/** `90m` → "1h 30m": durations in messages. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n) parts.push(`${n}${unit}`);
    rest -= n * size;
  }
  return parts.join(' ') || '0s';
}
