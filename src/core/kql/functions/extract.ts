// Regex extraction and JSON-path functions: extract, extract_all, extract_json.
import { KqlError } from '../../errors';
import { fromExternal, isPlainObject, parseDynamic, valueToString } from '../values';
import { defineAlias, defineFunctions, type CallContext, type Value } from './define';
import { argType, int, isNull, str } from './helpers';
import { kqlRegex } from './regex';

function convertMatch(text: string | undefined, ctx: CallContext): Value {
  if (ctx.resultType === 'string') return text ?? '';
  if (text === undefined) return null;
  return fromExternal(text, ctx.resultType);
}

/** Group selectors of extract_all: numbers (1-based groups) or group names. */
function groupIndexes(selectors: unknown, re: RegExp, groupCount: number): number[] {
  const list = Array.isArray(selectors) ? selectors : [selectors];
  const names = groupNames(re);
  return list.map((sel) => {
    if (typeof sel === 'number' && Number.isInteger(sel) && sel >= 0 && sel <= groupCount) return sel;
    if (typeof sel === 'string' && names.has(sel)) return names.get(sel)!;
    throw new KqlError(`extract_all: capture group '${JSON.stringify(sel)}' does not exist in the regular expression`, undefined, 'KqlRuntime');
  });
}

/** Maps named groups to their 1-based numbers by scanning the pattern's opening parentheses. */
function groupNames(re: RegExp): Map<string, number> {
  const out = new Map<string, number>();
  const src = re.source;
  let n = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c !== '(') continue;
    if (src[i + 1] !== '?') { n++; continue; }
    const named = /^\(\?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(src.slice(i));
    if (named) out.set(named[1], ++n);
  }
  return out;
}

function countGroups(re: RegExp): number {
  return new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')!.length - 1;
}

/** Follows a JSONPath (`$.a.b[0]['c d']`) into a dynamic value; undefined when a step is missing. */
export function followJsonPath(root: unknown, path: string): unknown {
  const p = path.trim();
  if (!p.startsWith('$')) throw new KqlError(`invalid JSONPath '${path}': it must start with $`, undefined, 'KqlRuntime');
  const steps: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[\s*(\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < p.length) {
    const start = re.lastIndex;
    const m = re.exec(p);
    if (!m || m.index !== start) throw new KqlError(`invalid or unsupported JSONPath '${path}'`, undefined, 'KqlUnsupported');
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : m[3] ?? m[4]));
  }
  let cur: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return undefined;
      cur = cur[step];
    } else {
      if (!isPlainObject(cur) || !(step in cur)) return undefined;
      cur = cur[step];
    }
  }
  return cur;
}

defineFunctions({
  extract: ([pattern, group, source], ctx) => {
    const text = str(source, argType(ctx, 2));
    const g = int(group);
    if (g === null || g < 0) return convertMatch(undefined, ctx);
    const m = kqlRegex(str(pattern, argType(ctx, 0))).exec(text);
    return convertMatch(m ? m[g] : undefined, ctx);
  },
  extract_all: (args, ctx) => {
    const hasGroups = args.length >= 3;
    const re = kqlRegex(str(args[0], argType(ctx, 0)), 'g');
    const source = str(args[hasGroups ? 2 : 1], argType(ctx, hasGroups ? 2 : 1));
    const groupCount = countGroups(re);
    const indexes = hasGroups ? groupIndexes(args[1], re, groupCount) : groupCount === 0 ? [0] : Array.from({ length: groupCount }, (_, i) => i + 1);
    const out: unknown[] = [];
    for (let m = re.exec(source); m; m = re.exec(source)) {
      if (m[0] === '') re.lastIndex++;
      const values = indexes.map((i) => m![i] ?? '');
      out.push(indexes.length === 1 ? values[0] : values);
    }
    return out.length === 0 ? null : out;
  },
  extract_json: ([path, source], ctx) => {
    if (isNull(source)) return convertMatch(undefined, ctx);
    const root = typeof source === 'string' ? parseDynamic(source) : source;
    const found = followJsonPath(root, str(path, argType(ctx, 0)));
    if (found === undefined || found === null) return ctx.resultType === 'string' ? '' : null;
    if (ctx.resultType === 'dynamic') return found;
    const text = typeof found === 'string' ? found : valueToString(found, 'dynamic');
    return convertMatch(text, ctx);
  },
});

defineAlias('extract_json', 'extractjson');
