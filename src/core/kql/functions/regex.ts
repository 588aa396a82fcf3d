// KQL regular expressions use RE2 syntax; this translates them to JavaScript RegExp.
// RE2 has no backreferences or lookaround, so every RE2 pattern has a JS equivalent except a few
// spellings: `(?P<name>`, leading inline flags `(?i)`, `\A`, `\z`, `\Q…\E`, POSIX classes `[[:alpha:]]`,
// `\pL` and `\p{Greek}`, and the ungreedy flag `U` (which swaps greedy and lazy quantifiers).
// A pattern that cannot be translated raises a clear error.
import { KqlError } from '../../errors';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9', graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z', word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

function escapeLiteral(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export interface TranslatedRegex {
  source: string;
  flags: string;
}

const QUANTIFIER = /^\{\d+(?:,\d*)?\}/;

/**
 * Translates an RE2 pattern to a JS RegExp source and flags. `extraFlags` may hold i, s, m and U
 * (ungreedy). Throws KqlError when the pattern cannot be translated.
 */
export function translateRe2(pattern: string, extraFlags = ''): TranslatedRegex {
  const flags = new Set(extraFlags.split('').filter(Boolean));
  let i = 0;
  // Leading inline flags: (?i) (?s) (?m) (?U).
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(pattern.slice(i));
    if (!m) break;
    for (const f of m[1]) flags.add(f);
    i += m[0].length;
  }
  const ungreedy = flags.delete('U');
  let out = '';
  let unicode = false;
  let inClass = false;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === '\\') {
      const n = pattern[i + 1];
      if (n === undefined) throw new KqlError(`invalid regular expression '${pattern}': trailing backslash`, undefined, 'KqlRuntime');
      if (n === 'Q') {
        const end = pattern.indexOf('\\E', i + 2);
        const literal = pattern.slice(i + 2, end < 0 ? undefined : end);
        out += escapeLiteral(literal);
        i = end < 0 ? pattern.length : end + 2;
        continue;
      }
      if (!inClass && n === 'A') { out += '(?<![\\s\\S])'; i += 2; continue; }
      if (!inClass && n === 'z') { out += '(?![\\s\\S])'; i += 2; continue; }
      if (n === 'p' || n === 'P') {
        unicode = true;
        if (pattern[i + 2] === '{') {
          const end = pattern.indexOf('}', i + 3);
          if (end < 0) throw new KqlError(`invalid regular expression '${pattern}'`, undefined, 'KqlRuntime');
          const name = pattern.slice(i + 3, end);
          const prop = name.length <= 2 ? name : `Script=${name}`;
          out += `\\${n}{${prop}}`;
          i = end + 1;
        } else {
          out += `\\${n}{${pattern[i + 2]}}`;
          i += 3;
        }
        continue;
      }
      if (n === 'C') { out += '[\\s\\S]'; i += 2; continue; }
      if (/[0-9]/.test(n) && n !== '0') throw new KqlError('backreferences are not supported in KQL regular expressions', undefined, 'KqlRuntime');
      out += c + n;
      i += 2;
      continue;
    }
    if (inClass) {
      if (c === '[' && pattern[i + 1] === ':') {
        const end = pattern.indexOf(':]', i + 2);
        if (end > 0) {
          let name = pattern.slice(i + 2, end);
          const negated = name.startsWith('^');
          if (negated) name = name.slice(1);
          const cls = POSIX[name];
          if (!cls) throw new KqlError(`invalid POSIX class [:${name}:] in regular expression`, undefined, 'KqlRuntime');
          if (negated) throw new KqlError('negated POSIX classes are not supported by the local engine', undefined, 'KqlUnsupported');
          out += cls;
          i = end + 2;
          continue;
        }
      }
      if (c === '[') { out += '\\['; i++; continue; }
      if (c === ']') inClass = false;
      out += c;
      i++;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      i++;
      if (pattern[i] === '^') { out += '^'; i++; }
      // A `]` right after `[` or `[^` is a literal in RE2.
      if (pattern[i] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (ungreedy && (c === '*' || c === '+' || c === '?' || (c === '{' && QUANTIFIER.test(pattern.slice(i))))) {
      const q = c === '{' ? QUANTIFIER.exec(pattern.slice(i))![0] : c;
      i += q.length;
      // Under U a plain quantifier is lazy and a `?`-suffixed one is greedy.
      if (pattern[i] === '?') {
        out += q;
        i++;
      } else {
        out += q + '?';
      }
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      if (pattern[i + 2] === 'P' && pattern[i + 3] === '<') { out += '(?<'; i += 4; continue; }
      if (pattern[i + 2] === '<' || pattern[i + 2] === ':') { out += pattern.slice(i, i + 3); i += 3; continue; }
      throw new KqlError(`regular expression group '${pattern.slice(i, i + 6)}…' is not supported by the local engine`, undefined, 'KqlUnsupported');
    }
    out += c;
    i++;
  }
  if (unicode) {
    // In Unicode mode JS rejects identity escapes that RE2 accepts (e.g. `\-` outside a class, `\_`).
    out = out.replace(/\\([^A-Za-z0-9\\^$.*+?()[\]{}|/-])/g, (_m, ch: string) => escapeLiteral(ch) === ch ? ch : `\\${ch}`);
    flags.add('u');
  }
  return { source: out, flags: [...flags].sort().join('') };
}

const cache = new Map<string, RegExp>();

/**
 * A compiled JS RegExp for a KQL (RE2) pattern. `flags` may add `g` (global), `i`, `s`, `m`.
 * Cached by pattern and flags; the returned object is shared, so callers reset lastIndex.
 */
export function kqlRegex(pattern: string, flags = ''): RegExp {
  const key = flags + '\u0000' + pattern;
  let re = cache.get(key);
  if (!re) {
    const t = translateRe2(pattern, flags);
    try {
      re = new RegExp(t.source, t.flags);
    } catch (e) {
      throw new KqlError(`invalid regular expression '${pattern}': ${(e as Error).message}`, undefined, 'KqlRuntime');
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** Converts an RE2 rewrite (`\1`, `$1`, `${name}`) into a JS replacement string. */
export function translateRewrite(rewrite: string): string {
  let out = '';
  for (let i = 0; i < rewrite.length; i++) {
    const c = rewrite[i];
    if (c === '\\' && /[0-9]/.test(rewrite[i + 1] ?? '')) {
      // \0 is the whole match ($& in JS), \1..\9 the groups.
      out += rewrite[i + 1] === '0' ? '$&' : '$' + rewrite[i + 1];
      i++;
    } else if (c === '\\' && rewrite[i + 1] === '\\') {
      out += '\\';
      i++;
    } else if (c === '$' && /[0-9{]/.test(rewrite[i + 1] ?? '')) {
      if (rewrite[i + 1] === '{') {
        const end = rewrite.indexOf('}', i);
        const name = rewrite.slice(i + 2, end);
        out += /^\d+$/.test(name) ? '$' + name : '$<' + name + '>';
        i = end;
      } else {
        out += '$' + rewrite[i + 1];
        i++;
      }
    } else if (c === '$') {
      out += '$$';
    } else {
      out += c;
    }
  }
  return out;
}
