// JSON text for any value a query can return, however deeply nested. JSON.stringify recurses and throws
// "Maximum call stack size exceeded" around a few thousand levels; a lake cell can be nested far deeper.

/** JSON.stringify(value) with the same output, also for values nested deeper than the call stack allows. */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    return stringifyDeep(value);
  }
}

type Frame =
  | { kind: 'array'; items: unknown[]; next: number }
  | { kind: 'object'; obj: Record<string, unknown>; keys: string[]; next: number; wrote: boolean };

/** An explicit-stack serializer: plain JSON semantics (toJSON, undefined and functions skipped, non-finite → null). */
function stringifyDeep(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  const seen = new Set<object>();
  const prepare = (v: unknown): unknown => {
    if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function')
      return (v as { toJSON(): unknown }).toJSON();
    return v;
  };
  const skippable = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  /** Writes a scalar, or opens a container (pushing a frame). */
  const open = (v: unknown): void => {
    if (v === null || skippable(v)) {
      out.push('null');
      return;
    }
    switch (typeof v) {
      case 'string':
        out.push(JSON.stringify(v));
        return;
      case 'number':
        out.push(Number.isFinite(v) ? String(v) : 'null');
        return;
      case 'boolean':
        out.push(v ? 'true' : 'false');
        return;
      case 'bigint':
        throw new TypeError('Do not know how to serialize a BigInt');
    }
    const o = v as object;
    if (seen.has(o)) throw new TypeError('Converting circular structure to JSON');
    seen.add(o);
    if (Array.isArray(o)) {
      out.push('[');
      stack.push({ kind: 'array', items: o, next: 0 });
    } else {
      out.push('{');
      stack.push({ kind: 'object', obj: o as Record<string, unknown>, keys: Object.keys(o), next: 0, wrote: false });
    }
  };
  open(prepare(root));
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.kind === 'array') {
      if (top.next >= top.items.length) {
        out.push(']');
        seen.delete(top.items);
        stack.pop();
        continue;
      }
      if (top.next > 0) out.push(',');
      open(prepare(top.items[top.next++]));
    } else {
      if (top.next >= top.keys.length) {
        out.push('}');
        seen.delete(top.obj);
        stack.pop();
        continue;
      }
      const key = top.keys[top.next++];
      const v = prepare(top.obj[key]);
      if (skippable(v)) continue;
      if (top.wrote) out.push(',');
      top.wrote = true;
      out.push(JSON.stringify(key), ':');
      open(v);
    }
  }
  return out.join('');
}

/** Deepest nesting a result cell may have to travel between threads and out as JSON (the MCP server's answers). */
export const MAX_TRANSFER_DEPTH = 1000;

/** The first cell nested deeper than `limit` levels (arrays and objects), if any; walks without recursion. */
export function tooDeepCell(
  rows: unknown[][],
  limit = MAX_TRANSFER_DEPTH,
): { row: number; column: number } | undefined {
  const stack: [unknown, number][] = [];
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      if (v === null || typeof v !== 'object') continue;
      stack.length = 0;
      stack.push([v, 1]);
      while (stack.length) {
        const [x, d] = stack.pop()!;
        if (d > limit) return { row: r, column: c };
        for (const child of Array.isArray(x) ? x : Object.values(x as object)) {
          if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
        }
      }
    }
  }
  return undefined;
}
