// Reads the text of a KQL `dynamic(...)` literal: JSON plus single-quoted and verbatim strings and typed
// scalar literals (datetime(...), timespan(...), long(...), guid(...), …) as elements.
import { formatDatetime, formatTimespan } from '../columnar/convert';
import { newBag, parseDatetime, parseTimespan } from '../columnar/values';

export function parseDynamicLiteral(text: string): unknown {
  let i = 0;
  const s = text;
  // white space and `//` comments (a literal spread over lines may comment its items)
  const ws = () => {
    for (;;) {
      while (i < s.length && /\s/.test(s[i])) i++;
      if (s[i] !== '/' || s[i + 1] !== '/') return;
      while (i < s.length && s[i] !== '\n') i++;
    }
  };
  const fail = (): never => {
    throw new Error(`cannot read dynamic literal near '${s.slice(i, i + 20)}'`);
  };
  const str = (): string => {
    let verbatim = false;
    if (s[i] === '@' || s[i] === 'h' || s[i] === 'H') {
      if (s[i] !== '@') i++;
      if (s[i] === '@') {
        verbatim = true;
        i++;
      }
    }
    const q = s[i];
    if (q !== '"' && q !== "'") fail();
    i++;
    let out = '';
    while (i < s.length && s[i] !== q) {
      if (s[i] === '\\' && !verbatim) {
        const c = s[i + 1];
        const map: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          '\\': '\\',
          '"': '"',
          "'": "'",
          '/': '/',
          b: '\b',
          f: '\f',
        };
        if (c === 'u') {
          out += String.fromCharCode(parseInt(s.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        out += map[c] ?? c;
        i += 2;
        continue;
      }
      if (verbatim && s[i] === q && s[i + 1] === q) {
        out += q;
        i += 2;
        continue;
      }
      out += s[i++];
    }
    if (s[i] !== q) fail();
    i++;
    return out;
  };
  const value = (): unknown => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      const o = newBag();
      ws();
      if (s[i] === '}') {
        i++;
        return o;
      }
      for (;;) {
        ws();
        let key: string;
        if (s[i] === '"' || s[i] === "'" || s[i] === '@') key = str();
        else {
          const m = /^[A-Za-z_$][\w$]*/.exec(s.slice(i));
          if (!m) fail();
          key = m![0];
          i += key.length;
        }
        ws();
        if (s[i] !== ':') fail();
        i++;
        o[key] = value();
        ws();
        if (s[i] === ',') {
          i++;
          ws();
          if (s[i] === '}') {
            i++;
            return o;
          }
          continue;
        }
        if (s[i] === '}') {
          i++;
          return o;
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      const a: unknown[] = [];
      ws();
      if (s[i] === ']') {
        i++;
        return a;
      }
      for (;;) {
        a.push(value());
        ws();
        if (s[i] === ',') {
          i++;
          ws();
          if (s[i] === ']') {
            i++;
            return a;
          }
          continue;
        }
        if (s[i] === ']') {
          i++;
          return a;
        }
        fail();
      }
    }
    if (c === '"' || c === "'" || ((c === '@' || c === 'h' || c === 'H') && /["'@]/.test(s[i + 1] ?? ''))) {
      // adjacent string literals are one string, as in KQL ("a" "b" is "ab")
      let out = str();
      for (;;) {
        const at = i;
        ws();
        if (s[i] === '"' || s[i] === "'" || (s[i] === '@' && /["']/.test(s[i + 1] ?? ''))) out += str();
        else {
          i = at;
          return out;
        }
      }
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s.slice(i));
    if (num) {
      i += num[0].length;
      // a timespan shorthand like 1d / 2h
      const unit = /^(d|h|m|s|ms|tick|ticks|min|sec)\b/.exec(s.slice(i));
      if (unit) {
        i += unit[0].length;
        const us = parseTimespan(num[0] + unit[0]);
        return us === null ? null : formatTimespan(us);
      }
      return Number(num[0]);
    }
    const word = /^[A-Za-z_][\w]*/.exec(s.slice(i));
    if (!word) fail();
    const w = word![0];
    i += w.length;
    if (w === 'true') return true;
    if (w === 'false') return false;
    if (w === 'null') return null;
    ws();
    if (s[i] !== '(') fail();
    const close = s.indexOf(')', i);
    if (close < 0) fail();
    let inner = s.slice(i + 1, close).trim();
    i = close + 1;
    if (/^["']/.test(inner)) inner = inner.slice(1, -1);
    if (inner.toLowerCase() === 'null') return null;
    switch (w.toLowerCase()) {
      case 'datetime':
      case 'date': {
        const us = parseDatetime(inner);
        return us === null ? null : formatDatetime(us);
      }
      case 'timespan':
      case 'time': {
        const us = parseTimespan(inner);
        return us === null ? null : formatTimespan(us);
      }
      case 'long':
      case 'int':
      case 'real':
      case 'double':
      case 'decimal':
        return Number(inner);
      case 'bool':
      case 'boolean':
        return /^(true|1)$/i.test(inner);
      case 'guid':
        return inner;
      case 'dynamic':
        return parseDynamicLiteral(inner);
      default:
        return fail();
    }
  };
  const v = value();
  ws();
  if (i < s.length) fail();
  return v;
}
