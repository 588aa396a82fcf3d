// Regex extraction and JSON-path functions: extract, extract_all, extract_json.
import { KqlError } from '../../errors';
import { bagHas, fromExternal, isPlainObject, parseDynamic, valueToString } from '../../columnar/values';
import { defineAlias, defineFunctions, type CallContext, type Value } from './define';
import { argType, int, isNull, str } from './helpers';
import { checkArray } from '../limits';
import { kqlRegex, type KqlRegex } from './regex';

function convertMatch(text: string | undefined, ctx: CallContext): Value {
  if (ctx.resultType === 'string') return text ?? '';
  if (text === undefined) return null;
  return fromExternal(text, ctx.resultType);
}

/** Group selectors of extract_all: numbers (1-based groups) or group names. */
function groupIndexes(selectors: unknown, re: KqlRegex): number[] {
  const list = Array.isArray(selectors) ? selectors : [selectors];
  return list.map((sel) => {
    if (typeof sel === 'number' && Number.isInteger(sel) && sel >= 0 && sel <= re.groupCount) return sel;
    if (typeof sel === 'string' && re.groupNames.has(sel)) return re.groupNames.get(sel)!;
    throw new KqlError(
      `extract_all: capture group '${JSON.stringify(sel)}' does not exist in the regular expression`,
      undefined,
      'KqlRuntime',
    );
  });
}

/** Follows a JSONPath (`$.a.b[0]['c d']`) into a dynamic value; undefined when a step is missing. */
export function followJsonPath(root: unknown, path: string): unknown {
  const p = path.trim();
  if (!p.startsWith('$'))
    throw new KqlError(`invalid JSONPath '${path}': it must start with $`, undefined, 'KqlRuntime');
  const steps: (string | number)[] = [];
  const re = /\.([^.[\]]+)|\[\s*(\d+)\s*\]|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]/gy;
  re.lastIndex = 1;
  while (re.lastIndex < p.length) {
    const start = re.lastIndex;
    const m = re.exec(p);
    if (!m || m.index !== start)
      throw new KqlError(`invalid or unsupported JSONPath '${path}'`, undefined, 'KqlUnsupported');
    steps.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : (m[3] ?? m[4])));
  }
  let cur: unknown = root;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(cur) || step >= cur.length) return undefined;
      cur = cur[step];
    } else {
      if (!isPlainObject(cur) || !bagHas(cur, step)) return undefined;
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
    return convertMatch(m ? m.groups[g] : undefined, ctx);
  },
  extract_all: (args, ctx) => {
    const hasGroups = args.length >= 3;
    const re = kqlRegex(str(args[0], argType(ctx, 0)));
    const source = str(args[hasGroups ? 2 : 1], argType(ctx, hasGroups ? 2 : 1));
    const groupCount = re.groupCount;
    const indexes = hasGroups
      ? groupIndexes(args[1], re)
      : groupCount === 0
        ? [0]
        : Array.from({ length: groupCount }, (_, i) => i + 1);
    const out: unknown[] = [];
    for (const m of re.matchAll(source)) {
      const values = indexes.map((i) => m.groups[i] ?? '');
      out.push(indexes.length === 1 ? values[0] : values);
      if ((out.length & 1023) === 0) checkArray('extract_all', out.length);
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
