// Reading the fields of untyped records — lake rows, ARM and MCP answers, rule files — with one set of helpers.
// None of them trusts the shape: anything unexpected reads as absent.

export type Obj = Record<string, unknown>;

/** A plain object, else an empty one (null and arrays are not records). */
export function obj(v: unknown): Obj {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** A string with some non-blank text, as it is (a query keeps its spacing); a finite number as its text. */
export function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() ? v : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
}

/** A field's value as trimmed text: a non-blank string, or a number or boolean. */
export function trimmed(v: unknown): string | undefined {
  if (typeof v === 'boolean') return String(v);
  return str(v)?.trim();
}

/** A list of names: an array's strings and numbers, or one string separated by commas or semicolons. */
export function strList(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
  if (typeof v === 'string' && v.trim()) return v.split(/[,;]\s*/).filter(Boolean);
  return [];
}
