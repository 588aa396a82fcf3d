// KQL highlighting for webviews with the extension's own TextMate grammar (syntaxes/kql.tmLanguage.json):
// its match and begin/end rules run as JavaScript regexes, line by line, and each token gets a class named
// after its scope's kind, coloured from theme variables in the page CSS. The text is escaped, always.
import grammar from '../../syntaxes/kql.tmLanguage.json';

interface GrammarRule {
  include?: string;
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Record<string, { name?: string }>;
  beginCaptures?: Record<string, { name?: string }>;
  patterns?: GrammarRule[];
}

interface MatchRule {
  kind: 'match';
  re: RegExp;
  scope?: string;
  captures?: Record<string, { name?: string }>;
}
interface SpanRule {
  kind: 'span';
  begin: RegExp;
  end: RegExp;
  scope: string;
}
type Rule = MatchRule | SpanRule;

const source = grammar as unknown as { patterns: GrammarRule[]; repository: Record<string, GrammarRule> };
const repository = source.repository;

function compile(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'dy');
  } catch {
    return undefined; // an Oniguruma-only construct: that rule does not highlight here
  }
}

function flatten(rules: GrammarRule[], out: Rule[], seen: Set<string>): Rule[] {
  for (const r of rules) {
    if (r.include?.startsWith('#')) {
      const key = r.include.slice(1);
      if (!seen.has(key) && repository[key]?.patterns) {
        seen.add(key);
        flatten(repository[key].patterns!, out, seen);
      }
    } else if (r.match) {
      const re = compile(r.match);
      if (re) out.push({ kind: 'match', re, scope: r.name, captures: r.captures });
    } else if (r.begin && r.end) {
      const begin = compile(r.begin);
      const end = compile(r.end.replace(/\\z/g, '$'));
      if (begin && end) out.push({ kind: 'span', begin, end: new RegExp(end.source, 'dg'), scope: r.name ?? '' });
    }
  }
  return out;
}

let rules: Rule[] | undefined;

/** The CSS class for a TextMate scope, or undefined for plain text. */
export function tokenClass(scope: string | undefined): string | undefined {
  if (!scope) return undefined;
  if (scope.startsWith('comment')) return 'tok-comment';
  if (scope.startsWith('string') || scope.startsWith('punctuation.definition.string')) return 'tok-string';
  if (scope.startsWith('constant.numeric')) return 'tok-number';
  if (scope.startsWith('constant')) return 'tok-constant';
  if (scope.startsWith('keyword.control')) return 'tok-control';
  if (scope.startsWith('keyword.other.operator') || scope.startsWith('keyword.operator')) return 'tok-operator';
  if (scope.startsWith('keyword') || scope.startsWith('storage')) return 'tok-keyword';
  if (scope.startsWith('support.function') || scope.startsWith('entity.name.function')) return 'tok-function';
  if (scope.startsWith('variable')) return 'tok-variable';
  return undefined;
}

function escape(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

type Token = [cls: string | undefined, text: string];

/** Pieces of one match: captured groups with their own scope (or the rule's), the text between with the rule's. */
function matchTokens(m: RegExpExecArray, rule: MatchRule): Token[] {
  const cls = tokenClass(rule.scope);
  const caps = rule.captures;
  const indices = (m as RegExpExecArray & { indices?: ([number, number] | undefined)[] }).indices;
  if (!caps || !indices) return [[cls, m[0]]];
  const start = m.index;
  let pos = start;
  const out: Token[] = [];
  const groups = Object.keys(caps)
    .map(Number)
    .filter((g) => g > 0 && indices[g])
    .sort((a, b) => indices[a]![0] - indices[b]![0]);
  for (const g of groups) {
    const [a, b] = indices[g]!;
    if (a < pos) continue;
    out.push([cls, m.input.slice(pos, a)], [tokenClass(caps[g].name) ?? cls, m.input.slice(a, b)]);
    pos = b;
  }
  out.push([cls, m.input.slice(pos, start + m[0].length)]);
  return out;
}

/** Joins tokens into HTML, merging neighbours of one class. */
function render(tokens: Token[]): string {
  let html = '';
  let cls: string | undefined;
  let text = '';
  const flush = () => {
    if (text) html += cls ? `<span class="${cls}">${escape(text)}</span>` : escape(text);
    text = '';
  };
  for (const [c, t] of tokens) {
    if (!t) continue;
    if (c !== cls) {
      flush();
      cls = c;
    }
    text += t;
  }
  flush();
  return html;
}

/** KQL as HTML: escaped text in token spans. */
export function highlightKql(query: string): string {
  rules ??= flatten(source.patterns, [], new Set());
  const lines = String(query ?? '').split('\n');
  const out: string[] = [];
  let open: SpanRule | undefined;
  for (const line of lines) {
    const tokens: Token[] = [];
    let pos = 0;
    while (pos < line.length) {
      if (open) {
        open.end.lastIndex = pos;
        const e = open.end.exec(line);
        const stop = e ? e.index + e[0].length : line.length;
        tokens.push([tokenClass(open.scope), line.slice(pos, stop)]);
        pos = stop;
        if (e) open = undefined;
        continue;
      }
      let matched = false;
      for (const rule of rules) {
        const re = rule.kind === 'match' ? rule.re : rule.begin;
        re.lastIndex = pos;
        const m = re.exec(line);
        if (!m || m[0].length === 0) continue;
        if (rule.kind === 'match') {
          tokens.push(...matchTokens(m, rule));
        } else {
          tokens.push([tokenClass(rule.scope), m[0]]);
          open = rule;
        }
        pos += m[0].length;
        matched = true;
        break;
      }
      if (!matched) tokens.push([undefined, line[pos++]]);
    }
    // A single-line span (a "…" string) ends with its line; multi-line ones (```…```) carry on.
    if (open && open.end.source.includes('$')) open = undefined;
    out.push(render(tokens));
  }
  return out.join('\n');
}
