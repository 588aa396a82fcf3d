// Where a KQL text is code: the offsets of its comments and string literals, so a text search (a time
// filter, an `ago(…)` look-back) never matches inside them. Covers `// …` comments, "…" and '…' with
// backslash escapes, verbatim @"…" / @'…' (a doubled quote is the quote), ``` multi-line strings and the
// h / H (obfuscated) prefix of each.

/** [start, end) offsets of comments and string literals, in order. An unterminated literal ends at the line's end. */
export function commentAndStringRegions(text: string): [number, number][] {
  const regions: [number, number][] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      const end = lineEnd(text, i);
      regions.push([i, end]);
      i = end;
    } else if (c === '`' && text.startsWith('```', i)) {
      const close = text.indexOf('```', i + 3);
      const end = close < 0 ? text.length : close + 3;
      regions.push([i, end]);
      i = end;
    } else if (c === '"' || c === "'" || (c === '@' && (text[i + 1] === '"' || text[i + 1] === "'"))) {
      const end = c === '@' ? verbatimEnd(text, i + 1) : quotedEnd(text, i);
      // An h/H right before the literal obfuscates it; it belongs to the literal.
      const start = i > 0 && /[hH]/.test(text[i - 1]) && !/[\w]/.test(text[i - 2] ?? '') ? i - 1 : i;
      regions.push([start, end]);
      i = end;
    } else {
      i++;
    }
  }
  return regions;
}

/** The text with every comment and string literal blanked to spaces (offsets and line breaks kept). */
export function codeOnly(text: string): string {
  let out = '';
  let from = 0;
  for (const [a, b] of commentAndStringRegions(text)) {
    out += text.slice(from, a) + text.slice(a, b).replace(/[^\n]/g, ' ');
    from = b;
  }
  return out + text.slice(from);
}

function lineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end < 0 ? text.length : end;
}

/** End (exclusive) of a "…" or '…' literal starting at `open`. */
function quotedEnd(text: string, open: number): number {
  const q = text[open];
  let j = open + 1;
  while (j < text.length && text[j] !== q && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
  return j < text.length && text[j] === q ? j + 1 : Math.min(j, text.length);
}

/** End (exclusive) of a verbatim literal whose quote is at `open` (after the @). */
function verbatimEnd(text: string, open: number): number {
  const q = text[open];
  let j = open + 1;
  while (j < text.length && text[j] !== '\n') {
    if (text[j] === q) {
      if (text[j + 1] === q) j += 2;
      else return j + 1;
    } else j++;
  }
  return j;
}
