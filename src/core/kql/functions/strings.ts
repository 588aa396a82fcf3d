// String functions. Kusto strings are never null: a null argument reads as ''.
import { hasTerm } from '../scalarops';
import { newBag, parseDynamic, toDynamicValue, valueToString } from '../../columnar/values';
import { defineFunctions, type CallContext, type Value } from './define';
import { checkString } from '../limits';
import { argType, int, isNull, str } from './helpers';
import { kqlRegex } from './regex';

function s(args: Value[], ctx: CallContext, i: number): string {
  return str(args[i], argType(ctx, i));
}

function substring(source: string, start: number, length?: number | null): string {
  let from = start < 0 ? Math.max(0, source.length + start) : start;
  if (from > source.length) from = source.length;
  if (length === undefined || length === null) return source.slice(from);
  if (length <= 0) return '';
  return source.slice(from, from + length);
}

/**
 * Kusto's indexof: start may be negative (from the end); length -1 means to the end; occurrence is
 * 1-based. A match must end within start + length + 1 (`indexof("abcdefg","cde",1,2)` is -1 while
 * `indexof("abcdefgabcdefg","cde",1,10,2)` is 9, as documented).
 */
function indexOf(source: string, lookup: string, start = 0, length = -1, occurrence = 1): number | null {
  if (occurrence <= 0) return null;
  const from = start < 0 ? Math.max(0, source.length + start) : start;
  if (from > source.length) return -1;
  const end = length < 0 ? source.length : Math.min(source.length, from + length + 1);
  let found = -1;
  let at = from;
  for (let n = 0; n < occurrence; n++) {
    found = source.indexOf(lookup, at);
    if (found < 0 || found + lookup.length > end) return -1;
    at = found + 1;
  }
  return found;
}

function countOverlapping(text: string, search: string): number {
  if (search === '') return 0;
  let count = 0;
  for (let i = text.indexOf(search); i >= 0; i = text.indexOf(search, i + 1)) count++;
  return count;
}

function trimRegex(pattern: string, text: string, start: boolean, end: boolean): string {
  let out = text;
  if (start) {
    const m = kqlRegex(`^(?:${pattern})`).exec(out);
    if (m) out = out.slice(m.end);
  }
  if (end) {
    const m = kqlRegex(`(?:${pattern})$`).exec(out);
    if (m) out = out.slice(0, m.index);
  }
  return out;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function translate(searchList: string, replacementList: string, source: string): string {
  const map = new Map<string, string>();
  const search = [...searchList];
  const repl = [...replacementList];
  search.forEach((ch, i) => {
    if (!map.has(ch)) map.set(ch, repl.length === 0 ? '' : repl[Math.min(i, repl.length - 1)]);
  });
  return [...source].map((ch) => map.get(ch) ?? ch).join('');
}

const ASCII_RE = /^[^\u0080-\uffff]*$/;

defineFunctions({
  tolower: (a, ctx) => s(a, ctx, 0).toLowerCase(),
  toupper: (a, ctx) => s(a, ctx, 0).toUpperCase(),
  strlen: (a, ctx) => s(a, ctx, 0).length,
  string_size: (a, ctx) => utf8Length(s(a, ctx, 0)),
  strcat: (a, ctx) => {
    const parts = a.map((v, i) => str(v, argType(ctx, i)));
    checkString(
      'strcat',
      parts.reduce((n, p) => n + p.length, 0),
    );
    return parts.join('');
  },
  strcat_delim: (a, ctx) => {
    const delim = s(a, ctx, 0);
    const parts = a.slice(1).map((v, i) => str(v, argType(ctx, i + 1)));
    checkString(
      'strcat_delim',
      parts.reduce((n, p) => n + p.length + delim.length, 0),
    );
    return parts.join(delim);
  },
  strcat_array: ([arr, delim], ctx) => {
    if (!Array.isArray(arr)) return '';
    return arr
      .map((v) => (isNull(v) ? '' : typeof v === 'string' ? v : valueToString(v, 'dynamic')))
      .join(str(delim, argType(ctx, 1)));
  },
  substring: (a, ctx) => {
    const start = int(a[1]);
    if (start === null) return '';
    const length = a.length > 2 ? int(a[2]) : undefined;
    if (a.length > 2 && length === null) return '';
    return substring(s(a, ctx, 0), start, length);
  },
  indexof: (a, ctx) => {
    const source = s(a, ctx, 0);
    const lookup = s(a, ctx, 1);
    const start = a.length > 2 ? int(a[2]) : 0;
    const length = a.length > 3 ? int(a[3]) : -1;
    const occurrence = a.length > 4 ? int(a[4]) : 1;
    if (start === null || length === null || occurrence === null) return null;
    return indexOf(source, lookup, start, length, occurrence);
  },
  indexof_regex: (a, ctx) => {
    const source = s(a, ctx, 0);
    const re = kqlRegex(s(a, ctx, 1));
    const from = a.length > 2 ? int(a[2]) : 0;
    if (from === null || from < 0) return null;
    const length = a.length > 3 ? (int(a[3]) ?? -1) : -1;
    const occurrence = a.length > 4 ? (int(a[4]) ?? 1) : 1;
    if (occurrence <= 0) return -1;
    const end = length < 0 ? source.length : Math.min(source.length, from + length);
    let n = 0;
    for (const m of re.matchAll(source, from)) {
      if (m.end > end) return -1;
      if (++n === occurrence) return m.index;
    }
    return -1;
  },
  replace_string: (a, ctx) => {
    const lookup = s(a, ctx, 1);
    const text = s(a, ctx, 0);
    return lookup === '' ? text : text.split(lookup).join(s(a, ctx, 2));
  },
  replace_strings: ([text, lookups, rewrites], ctx) => {
    const source = str(text, argType(ctx, 0));
    if (!Array.isArray(lookups) || !Array.isArray(rewrites)) return source;
    // Lookups apply in list order; text produced by an earlier replacement is not searched again.
    // A lookup whose replacement is not a string keeps its matches unchanged (and protects them).
    let segments: { text: string; done: boolean }[] = [{ text: source, done: false }];
    lookups.forEach((lookup, i) => {
      if (typeof lookup !== 'string' || lookup === '') return;
      const rewrite = typeof rewrites[i] === 'string' ? (rewrites[i] as string) : lookup;
      segments = segments.flatMap((seg) => {
        if (seg.done || !seg.text.includes(lookup)) return [seg];
        const parts = seg.text.split(lookup);
        return parts.flatMap((p, j) =>
          j === 0
            ? [{ text: p, done: false }]
            : [
                { text: rewrite, done: true },
                { text: p, done: false },
              ],
        );
      });
    });
    return segments.map((seg) => seg.text).join('');
  },
  replace_regex: (a, ctx) => kqlRegex(s(a, ctx, 1)).replaceAll(s(a, ctx, 0), s(a, ctx, 2)),
  // Legacy argument order: replace(regex, rewrite, text).
  replace: (a, ctx) => kqlRegex(s(a, ctx, 0)).replaceAll(s(a, ctx, 2), s(a, ctx, 1)),
  trim: (a, ctx) => trimRegex(s(a, ctx, 0), s(a, ctx, 1), true, true),
  trim_start: (a, ctx) => trimRegex(s(a, ctx, 0), s(a, ctx, 1), true, false),
  trim_end: (a, ctx) => trimRegex(s(a, ctx, 0), s(a, ctx, 1), false, true),
  reverse: (a, ctx) => [...s(a, ctx, 0)].reverse().join(''),
  countof: (a, ctx) => {
    const text = s(a, ctx, 0);
    const search = s(a, ctx, 1);
    const kind = a.length > 2 ? s(a, ctx, 2) : 'normal';
    if (kind === 'regex') {
      let count = 0;
      for (const _ of kqlRegex(search).matchAll(text)) count++;
      return count;
    }
    return countOverlapping(text, search);
  },
  strrep: (a, ctx) => {
    const n = int(a[1]);
    if (n === null) return '';
    const count = Math.min(Math.max(n, 0), 1024);
    const text = s(a, ctx, 0);
    const delim = a.length > 2 ? s(a, ctx, 2) : '';
    checkString('strrep', count * (text.length + delim.length));
    return Array.from({ length: count }, () => text).join(delim);
  },
  strcmp: (a, ctx) => {
    const x = s(a, ctx, 0);
    const y = s(a, ctx, 1);
    return x < y ? -1 : x > y ? 1 : 0;
  },
  translate: (a, ctx) => translate(s(a, ctx, 0), s(a, ctx, 1), s(a, ctx, 2)),
  isascii: (a, ctx) => ASCII_RE.test(s(a, ctx, 0)),
  // Position in the lookup array of the first lookup that is a term of the text (`has` semantics), or -1.
  has_any_index: ([text, lookups], ctx) => {
    if (!Array.isArray(lookups)) return null;
    const source = str(text, argType(ctx, 0));
    return lookups.findIndex(
      (l) => !isNull(l) && hasTerm(source, typeof l === 'string' ? l : valueToString(l, 'dynamic'), false),
    );
  },
  split: (a, ctx) => {
    const source = s(a, ctx, 0);
    const delim = s(a, ctx, 1);
    const parts = delim === '' ? [source] : source.split(delim);
    if (a.length > 2) {
      const index = int(a[2]);
      if (index === null || index < 0 || index >= parts.length) return [];
      return [parts[index]];
    }
    return parts;
  },
  unicode_codepoints_from_string: (a, ctx) => [...s(a, ctx, 0)].map((ch) => ch.codePointAt(0)),
  unicode_codepoints_to_string: (a) => {
    const codes = a.flatMap((v) => (Array.isArray(v) ? v : [v]));
    try {
      return codes.map((c) => (typeof c === 'number' ? String.fromCodePoint(c) : '')).join('');
    } catch {
      return null;
    }
  },
  regex_quote: (a, ctx) => s(a, ctx, 0).replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'),
  parse_csv: (a, ctx) => parseCsvLine(s(a, ctx, 0)),
  make_string: (a) => {
    const codes = a.flatMap((v) => (Array.isArray(v) ? v : [v]));
    try {
      return codes.map((c) => (typeof c === 'number' ? String.fromCodePoint(c) : '')).join('');
    } catch {
      return null;
    }
  },
  // The 2-arg dynamic form: converts a value to JSON text (not a parse).
  dynamic_to_json: ([v], ctx) =>
    JSON.stringify(
      sortKeys(
        argType(ctx, 0) === 'string' && typeof v === 'string' ? parseDynamic(v) : toDynamicValue(v, argType(ctx, 0)),
      ),
    ),
});

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out = newBag();
    for (const k of Object.keys(v as object).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v ?? null;
}

/** Splits one CSV record (RFC 4180 quotes) into its fields; a record with a newline gives the first record only. */
export function parseCsvLine(text: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') break;
    else field += c;
  }
  fields.push(field);
  return fields;
}
