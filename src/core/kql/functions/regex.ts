// KQL regular expressions are RE2: linear-time matching, no backreferences or lookaround. Every
// pattern the engine evaluates goes through re2js (a pure-JS port of RE2), so no pattern and no input
// can backtrack for ever, and the syntax and errors are RE2's own.
import { RE2JS, RE2JSException } from 're2js';
import { KqlError } from '../../errors';
import { checkString } from '../limits';

export interface RegexMatch {
  /** UTF-16 offsets of the whole match. */
  index: number;
  end: number;
  /** Group 0 (the match) and each capture group; undefined for a group that did not take part. */
  groups: (string | undefined)[];
}

/** A pattern shown in an error: long patterns are cut so an error never echoes a huge text. */
function shown(pattern: string): string {
  return pattern.length > 200 ? `${pattern.slice(0, 200)}…` : pattern;
}

function compileError(pattern: string, e: unknown): KqlError {
  const raw = e instanceof RE2JSException ? (e as RE2JSException & { error?: string }).message : String(e);
  const detail = raw.replace(/^error parsing regexp: /, '');
  const hint = /`\\[1-9]|`\(\?[=!<]/.test(detail)
    ? ' (KQL regular expressions are RE2: no backreferences or lookaround)'
    : '';
  return new KqlError(`invalid regular expression '${shown(pattern)}': ${detail}${hint}`, undefined, 'KqlRuntime');
}

/** The width in UTF-16 units of the code point at `i` (1 past the end too, so empty matches advance). */
function codePointWidth(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

export class KqlRegex {
  private named?: Map<string, number>;

  constructor(
    readonly pattern: string,
    private readonly re: RE2JS,
  ) {}

  /** Number of capture groups (group 0 not counted). */
  get groupCount(): number {
    return this.re.groupCount();
  }

  /** Named groups and their 1-based numbers. */
  get groupNames(): Map<string, number> {
    this.named ??= new Map(Object.entries(this.re.namedGroups()));
    return this.named;
  }

  test(text: string): boolean {
    return this.re.test(text);
  }

  /** The first match at or after `from`, or null. */
  exec(text: string, from = 0): RegexMatch | null {
    if (from > text.length) return null;
    const m = this.re.matcher(text);
    return m.find(from) ? this.toMatch(m) : null;
  }

  /**
   * Every match from `from` on, left to right. After an empty match the search moves on by one whole
   * code point (never into the middle of a surrogate pair), so the iteration always ends.
   */
  *matchAll(text: string, from = 0): Generator<RegexMatch> {
    const m = this.re.matcher(text);
    let pos = from;
    while (pos <= text.length && m.find(pos)) {
      const match = this.toMatch(m);
      yield match;
      pos = match.end > match.index ? match.end : match.end + codePointWidth(text, match.end);
    }
  }

  /** Replaces every match by the expansion of `rewrite` (see parseRewrite). */
  replaceAll(text: string, rewrite: string): string {
    const parts = parseRewrite(rewrite);
    let out = '';
    let last = 0;
    for (const match of this.matchAll(text)) {
      out += text.slice(last, match.index);
      for (const p of parts)
        out +=
          typeof p === 'string'
            ? p
            : typeof p === 'number'
              ? (match.groups[p] ?? '')
              : (match.groups[this.groupNames.get(p.name) ?? -1] ?? '');
      last = match.end;
      checkString('replace_regex', out.length);
    }
    return out + text.slice(last);
  }

  private toMatch(m: ReturnType<RE2JS['matcher']>): RegexMatch {
    const groups: (string | undefined)[] = [];
    for (let g = 0; g <= this.groupCount; g++) groups.push(m.group(g) ?? undefined);
    return { index: m.start(), end: m.end(), groups };
  }
}

/**
 * Parses an RE2 rewrite: `\0`–`\9` are the match and its groups and `\\` a backslash (as the KQL docs
 * say); `$1`, `${1}` and `${name}` are accepted too. A reference to a group the pattern does not have
 * is empty; anything else — a lone `$`, a `${` without `}` — is literal text.
 */
export function parseRewrite(rewrite: string): (string | number | { name: string })[] {
  const parts: (string | number | { name: string })[] = [];
  let lit = '';
  const flush = () => {
    if (lit) parts.push(lit);
    lit = '';
  };
  for (let i = 0; i < rewrite.length; i++) {
    const c = rewrite[i];
    const n = rewrite[i + 1] ?? '';
    if (c === '\\' && n >= '0' && n <= '9') {
      flush();
      parts.push(Number(n));
      i++;
    } else if (c === '\\' && n === '\\') {
      lit += '\\';
      i++;
    } else if (c === '$' && n >= '0' && n <= '9') {
      flush();
      parts.push(Number(n));
      i++;
    } else if (c === '$' && n === '{') {
      const end = rewrite.indexOf('}', i + 2);
      const name = end < 0 ? '' : rewrite.slice(i + 2, end);
      if (!/^(\d+|[A-Za-z_][A-Za-z0-9_]*)$/.test(name)) {
        lit += c;
        continue;
      }
      flush();
      parts.push(/^\d+$/.test(name) ? Number(name) : { name });
      i = end;
    } else lit += c;
  }
  flush();
  return parts;
}

const cache = new Map<string, KqlRegex>();

/**
 * The compiled RE2 pattern; `flags` may hold i, m, s and U (ungreedy), applied as RE2 inline flags.
 * Cached by pattern and flags. A pattern RE2 rejects raises a KqlError naming it.
 */
export function kqlRegex(pattern: string, flags = ''): KqlRegex {
  const inline = [...new Set(flags.replace(/[^imsU]/g, ''))].sort().join('');
  const key = inline + '\u0000' + pattern;
  let re = cache.get(key);
  if (!re) {
    try {
      re = new KqlRegex(pattern, RE2JS.compile(inline ? `(?${inline})${pattern}` : pattern));
    } catch (e) {
      throw compileError(pattern, e);
    }
    if (cache.size > 500) cache.clear();
    cache.set(key, re);
  }
  return re;
}
