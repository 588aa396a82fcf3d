// parse and parse-kv: columns extracted from text, and value conversion between types.
import type { KqlType } from '../../types';
import { ColBuilder, storageOf } from '../../columnar/columns';
import { Field, Rel, runtimeError } from '../eval';
import { ColumnDef, Plan } from '../ir';
import { kqlRegex, type KqlRegex } from '../functions/regex';
import { vget } from '../vec';
import { parseDatetime, parseTimespan } from '../../columnar/values';
import { SeriesRunner } from './series';
import { take } from './runner';

export abstract class ParseRunner extends SeriesRunner {
  protected parse(p: Extract<Plan, { k: 'parse' }>): Rel {
    const rel = this.run(p.input);
    const src = this.ev(rel).ev(p.source);
    let re: KqlRegex;
    try {
      re = kqlRegex(p.regex, p.flags);
    } catch (e) {
      throw runtimeError(this, `bad regular expression in parse: ${(e as Error).message}`, p.pos ?? 0);
    }
    const groupOf = p.outs.map((_, j) => re.groupNames.get('c' + j) ?? -1);
    const builders = p.outs.map((o) => new ColBuilder(storageOf(o.type), rel.n));
    const memo = new Map<string, unknown[] | null>();
    const extract = (s: string): unknown[] | null => {
      let r = memo.get(s);
      if (r === undefined) {
        const m = re.exec(s);
        r = m ? p.outs.map((o, j) => coerceTo(m.groups[groupOf[j]] ?? null, 'string', o.type)) : null;
        if (
          r &&
          p.kind !== 'relaxed' &&
          r.some((v, j) => v === null && p.outs[j].type !== 'string' && (m?.groups[groupOf[j]] ?? '') !== '')
        )
          r = null;
        if (memo.size < 100000) memo.set(s, r);
      }
      return r;
    };
    const matched = p.matchedOnly ? new Int32Array(rel.n) : undefined;
    let kept = 0;
    for (let i = 0; i < rel.n; i++) {
      const v = vget(src, i);
      const s = v === null ? null : typeof v === 'string' ? v : JSON.stringify(v);
      const r = s === null ? null : extract(s);
      builders.forEach((b, j) => b.push(r ? r[j] : null));
      if (matched && r) matched[kept++] = i;
    }
    const fields = [...rel.fields];
    p.outs.forEach((o, j) => {
      const f: Field = { name: o.name, type: o.type, col: builders[j].finish(), sel: null };
      // a name the input has (or an earlier capture) stays; the analyzer numbers the new column (Status1)
      fields.push(f);
    });
    const parsed = { n: rel.n, fields };
    return matched && kept < rel.n ? take(parsed, matched.subarray(0, kept)) : parsed;
  }
}

/** Converts a value of type `from` to type `to` (datatable cells, mv-expand to typeof, parse captures). */
export function coerceTo(v: unknown, from: KqlType, to: KqlType): unknown {
  if (v === null || v === undefined) return null;
  if (from === to) return v;
  switch (to) {
    case 'string':
      return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    case 'long':
    case 'int': {
      if (typeof v === 'string' && v.trim() === '') return null;
      const x = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(x) ? Math.trunc(x) : null;
    }
    case 'real':
    case 'decimal': {
      if (typeof v === 'number') return v;
      if (typeof v === 'string' && v.trim() === '') return null;
      const x = Number(v);
      return Number.isNaN(x) ? null : x;
    }
    case 'bool':
      return typeof v === 'boolean'
        ? v
        : typeof v === 'number'
          ? v !== 0
          : /^(true|1)$/i.test(String(v))
            ? true
            : /^(false|0)$/i.test(String(v))
              ? false
              : null;
    case 'datetime':
      return typeof v === 'number' ? v : parseDatetime(String(v).trim());
    case 'timespan':
      return typeof v === 'number' ? v : parseTimespan(String(v).trim());
    case 'guid':
      return String(v);
    default:
      return v;
  }
}

/** parse-kv: key/value pairs of a text (explicit delimiters, quotes, greedy values, a regex, or any delimiters). */
export function parseKvText(
  text: string,
  p: {
    keys: ColumnDef[];
    pair?: string;
    kv?: string;
    quote?: string;
    escape?: string;
    greedy: boolean;
    regex?: string;
  },
): Map<string, string> {
  const out = new Map<string, string>();
  if (p.regex) {
    for (const { groups: g } of kqlRegex(p.regex).matchAll(text))
      if (g[1] !== undefined && !out.has(g[1].trim())) out.set(g[1].trim(), (g[2] ?? '').trim());
    return out;
  }
  const open = p.quote?.[0],
    close = p.quote ? p.quote[p.quote.length - 1] : undefined;
  const readQuoted = (at: number): { value: string; end: number } | null => {
    if (!open || text[at] !== open) return null;
    let v = '';
    let i = at + 1;
    while (i < text.length && text[i] !== close) {
      if (p.escape && text[i] === p.escape && i + 1 < text.length) {
        v += text[i + 1];
        i += 2;
        continue;
      }
      v += text[i++];
    }
    return { value: v, end: i + 1 };
  };
  if (p.pair !== undefined && p.kv !== undefined) {
    const pd = p.pair,
      kd = p.kv;
    let i = 0;
    while (i < text.length) {
      let key: string;
      const qk = readQuoted(i);
      if (qk) {
        key = qk.value;
        i = qk.end;
        const k2 = text.indexOf(kd, i);
        if (k2 < 0) break;
        i = k2 + kd.length;
      } else {
        const k = text.indexOf(kd, i);
        if (k < 0) break;
        // the key is what follows the last pair delimiter before the key/value delimiter
        const lp = k > i ? text.lastIndexOf(pd, k - 1) : -1;
        key = text.slice(lp >= i ? lp + pd.length : i, k).trim();
        i = k + kd.length;
      }
      let value: string;
      const q = readQuoted(i);
      if (q) {
        value = q.value;
        i = q.end;
        const nx = text.indexOf(pd, i);
        i = nx < 0 ? text.length : nx + pd.length;
      } else if (p.greedy) {
        // the value runs to the pair delimiter before the next key
        const nextKv = text.indexOf(kd, i);
        const end = nextKv < 0 ? -1 : text.lastIndexOf(pd, nextKv);
        if (end < i) {
          value = text.slice(i);
          i = text.length;
        } else {
          value = text.slice(i, end);
          i = end + pd.length;
        }
      } else {
        const nx = text.indexOf(pd, i);
        if (nx < 0) {
          value = text.slice(i);
          i = text.length;
        } else {
          value = text.slice(i, nx);
          i = nx + pd.length;
        }
      }
      if (key && !out.has(key)) out.set(key, value.trim());
    }
    return out;
  }
  // no delimiters given: each key followed by any non-word delimiter, the value up to the next delimiter
  for (const k of p.keys) {
    const esc = k.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`(?:^|[^\\w])${esc}\\s*[:=]\\s*`).exec(text);
    if (!m) continue;
    const at = m.index + m[0].length;
    const q = readQuoted(at);
    if (q) {
      out.set(k.name, q.value);
      continue;
    }
    const v = /^[^\s,;|]+/.exec(text.slice(at));
    out.set(k.name, v ? v[0] : '');
  }
  return out;
}
