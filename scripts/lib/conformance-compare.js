// Compares a local-engine result with the output the KQL reference docs print for an example.
// The docs print untyped text: datetimes as `2016-02-17 08:39:00.0000000` or ISO, timespans as
// `d.hh:mm:ss`, dynamic values as (sometimes loose) JSON, booleans as true/True, nulls as empty
// cells. Comparison is by the actual column's type; numbers use a small relative tolerance.
'use strict';

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);

/** Strips the markdown/HTML decoration the docs tables add around a cell. */
function cleanCell(text) {
  let s = String(text ?? '');
  s = s.replace(/<br\s*\/?>/gi, '\n').trim();
  if (s.length >= 2 && s.startsWith('`') && s.endsWith('`')) s = s.slice(1, -1).trim();
  if (s.length >= 4 && s.startsWith('**') && s.endsWith('**')) s = s.slice(2, -2).trim();
  // Markdown autolinks: <https://bing.com>
  const link = /^<((?:https?|ftp):[^>\s]*)>$/.exec(s);
  if (link) s = link[1];
  // A Markdown link whose text is its own address: [https://x](https://x)
  const mdLink = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(s);
  if (mdLink && mdLink[1] === mdLink[2]) s = mdLink[1];
  return s;
}

function cleanHeader(name) {
  return cleanCell(name)
    .replace(/^\[['"](.*)['"]\]$/, '$1')
    .toLowerCase();
}

function isNullText(s) {
  return s === '' || s === '(null)' || s.toLowerCase() === 'null';
}

function parseNumber(s) {
  const t = s.replace(/\s/g, '');
  if (/^-?∞$/.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?infinity$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return Number(t.replace(/,/g, ''));
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  return undefined;
}

/** Equal within 1e-6 relative, or within half a unit of the last digit the docs printed (`32.667`). */
function numbersClose(a, b, printedDecimals = 0) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  const diff = Math.abs(a - b);
  const printed = printedDecimals > 0 ? 0.5 * 10 ** -printedDecimals + 1e-12 : 0;
  return diff <= 1e-9 || diff <= 1e-6 * Math.max(Math.abs(a), Math.abs(b)) || diff <= printed;
}

function decimalsOf(text) {
  const m = /\.(\d+)(?:[eE]|$)/.exec(String(text).trim());
  return m && !/[eE]/.test(String(text)) ? m[1].length : 0;
}

function parseBoolText(s) {
  const t = s.toLowerCase();
  if (t === 'true' || t === '1') return true;
  if (t === 'false' || t === '0') return false;
  return undefined;
}

const NUMBER_MARK = '\u0001';

/** Wraps every number outside strings as a marked string, so its printed precision survives parsing. */
function markNumbers(json) {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (inString) {
      out += c;
      if (c === '\\') out += json[++i] ?? '';
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(json.slice(i));
    if (m && !/[\w.]/.test(json[i - 1] ?? '')) {
      out += `"\\u0001${m[0]}"`; // JSON escape of NUMBER_MARK
      i += m[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** Parses loose JSON as the docs print it (single quotes, trailing commas); numbers keep their printed text. */
function parseLooseJson(s) {
  const attempts = [
    s,
    s.replace(/'/g, '"'),
    s.replace(/,\s*([\]}])/g, '$1'),
    s.replace(/'/g, '"').replace(/,\s*([\]}])/g, '$1'),
  ];
  for (const a of attempts) {
    try {
      JSON.parse(a);
    } catch {
      continue;
    }
    return { ok: true, v: JSON.parse(markNumbers(a)) };
  }
  return { ok: false };
}

function dynamicEqual(expected, actual, values) {
  if (typeof expected === 'string' && expected.startsWith(NUMBER_MARK)) {
    const text = expected.slice(1);
    const a = typeof actual === 'number' ? actual : typeof actual === 'string' ? parseNumber(actual) : undefined;
    return a !== undefined && numbersClose(Number(text), a, decimalsOf(text));
  }
  if (expected === actual) return true;
  if (expected === null || actual === null || expected === undefined || actual === undefined) {
    return (
      (expected ?? null) === (actual ?? null) ||
      (expected === '' && actual === null) ||
      (actual === '' && expected === null)
    );
  }
  if (typeof expected === 'number' && typeof actual === 'number') return numbersClose(expected, actual);
  if (typeof expected === 'number' && typeof actual === 'string') {
    const n = parseNumber(actual);
    return n !== undefined && numbersClose(expected, n);
  }
  if (typeof expected === 'string' && typeof actual === 'string') {
    if (expected === actual) return true;
    // Datetimes inside dynamic values print with 7 fractional digits or without.
    const de = values.parseDatetime(expected);
    const da = values.parseDatetime(actual);
    return de !== null && da !== null && Math.abs(de - da) <= 1;
  }
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((e, i) => dynamicEqual(e, actual[i], values))
    );
  }
  if (typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(actual)) {
    const ke = Object.keys(expected);
    const ka = Object.keys(actual);
    return (
      ke.length === ka.length &&
      ke.every((k) => Object.prototype.hasOwnProperty.call(actual, k) && dynamicEqual(expected[k], actual[k], values))
    );
  }
  return false;
}

function unquoted(s) {
  return s.replace(/["'\s]/g, '');
}

function collapse(s) {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Does a docs cell (text) match an engine wire value of the given type?
 * `values` is the engine's value module (parseDatetime, parseTimespan).
 */
function cellMatches(expectedText, actual, type, values) {
  const s = cleanCell(expectedText);
  if (actual === null || actual === undefined) return isNullText(s);
  if (NUMERIC.has(type)) {
    if (isNullText(s)) return false;
    const e = parseNumber(s);
    const a = typeof actual === 'number' ? actual : parseNumber(String(actual));
    return e !== undefined && a !== undefined && numbersClose(e, a, decimalsOf(s));
  }
  switch (type) {
    case 'bool': {
      const e = parseBoolText(s);
      return e !== undefined && e === actual;
    }
    case 'datetime': {
      if (isNullText(s)) return false;
      const e = values.parseDatetime(s);
      const a = values.parseDatetime(String(actual));
      return e !== null && a !== null && Math.abs(e - a) <= 1;
    }
    case 'timespan': {
      if (isNullText(s)) return false;
      const e = values.parseTimespan(s);
      const a = values.parseTimespan(String(actual));
      return e !== null && a !== null && Math.abs(e - a) <= 1;
    }
    case 'guid':
      return s.toLowerCase() === String(actual).toLowerCase();
    case 'dynamic': {
      if (isNullText(s) && (actual === '' || actual === null)) return true;
      const parsed = parseLooseJson(s);
      if (parsed.ok) return dynamicEqual(parsed.v, actual, values);
      if (typeof actual === 'string') return collapse(actual) === collapse(s);
      // The docs sometimes print arrays of strings without quotes: [yes, no, yes].
      return unquoted(JSON.stringify(actual)) === unquoted(s);
    }
    default: {
      const a = typeof actual === 'string' ? actual : JSON.stringify(actual);
      if (a === s || collapse(a) === collapse(s)) return true;
      // A string column holding JSON (e.g. tostring(dynamic)) may print with other spacing.
      if (/^[[{]/.test(s)) {
        const pe = parseLooseJson(s);
        let pa;
        try {
          pa = JSON.parse(a);
        } catch {
          return false;
        }
        if (pe.ok) return dynamicEqual(pe.v, pa, values);
      }
      return false;
    }
  }
}

function rowMatches(expectedRow, actualRow, columns, values) {
  if (expectedRow.length !== actualRow.length) return false;
  return expectedRow.every((cell, i) => cellMatches(cell, actualRow[i], columns[i].type, values));
}

/** True when the query fixes the row order (`sort`, `order`, `top`, or an ordered operator last). */
function queryIsOrdered(query) {
  return /\b(sort|order)\s+by\b|\|\s*top\s+\d/.test(query) || /\|\s*(top-nested|top-hitters)\b/.test(query);
}

/**
 * Compares a result with an example's expected output.
 * Returns { ok: true } or { ok: false, reason }.
 */
function compareResult(example, result, values) {
  const expected = example.expected;
  const expCols = expected.columns.map(cleanHeader);
  const actCols = result.columns.map((c) => c.name.toLowerCase());
  if (expCols.length !== actCols.length) {
    return {
      ok: false,
      reason: `columns: expected [${expected.columns.join(', ')}], got [${result.columns.map((c) => c.name).join(', ')}]`,
    };
  }
  const nameMismatch = expCols.findIndex((c, i) => c !== actCols[i]);
  if (nameMismatch >= 0) {
    return {
      ok: false,
      reason: `column ${nameMismatch + 1}: expected '${expected.columns[nameMismatch]}', got '${result.columns[nameMismatch].name}'`,
    };
  }
  if (example.nondeterministic) return { ok: true, loose: true };
  const rows = result.rows;
  if (expected.rows.length !== rows.length) {
    return { ok: false, reason: `rows: expected ${expected.rows.length}, got ${rows.length}` };
  }
  if (queryIsOrdered(example.query)) {
    for (let i = 0; i < rows.length; i++) {
      if (!rowMatches(expected.rows[i], rows[i], result.columns, values)) {
        return {
          ok: false,
          reason: `row ${i + 1}: expected ${JSON.stringify(expected.rows[i])}, got ${JSON.stringify(rows[i])}`,
        };
      }
    }
    return { ok: true };
  }
  const used = new Array(rows.length).fill(false);
  for (let i = 0; i < expected.rows.length; i++) {
    let found = -1;
    for (let j = 0; j < rows.length; j++) {
      if (!used[j] && rowMatches(expected.rows[i], rows[j], result.columns, values)) {
        found = j;
        break;
      }
    }
    if (found < 0) {
      const closest = rows.find((_, j) => !used[j]);
      return {
        ok: false,
        reason: `no row matches expected ${JSON.stringify(expected.rows[i])}${closest ? ` (e.g. got ${JSON.stringify(closest)})` : ''}`,
      };
    }
    used[found] = true;
  }
  return { ok: true };
}

/** The construct named in a "local engine does not support X" message. */
function unsupportedConstruct(message) {
  const m = /does not support (.*?)(?: \(line \d+, col \d+\))?$/s.exec(message);
  if (!m) return message.slice(0, 80);
  return m[1].replace(/^the (function|operator|plugin) /, '').trim();
}

/** The family a refused construct belongs to, so related gaps rank together (`geo_union_polygons_array()` →
 *  `geo_* functions`, `evaluate ipv4_lookup` → `evaluate plugins`, `` `scan` `` → `tabular operators`). */
function constructFamily(construct) {
  const fn = /^`([a-z][a-z0-9]*_)?[a-z0-9_]*\(\)`/.exec(construct);
  if (fn)
    return fn[1] && ['geo_', 'series_', 'binary_', 'hll_', 'tdigest_'].includes(fn[1])
      ? `${fn[1]}* functions`
      : 'other functions';
  if (/^\S*`?evaluate\b/.test(construct)) return 'evaluate plugins';
  if (/^`[a-z][a-z-]*`$/.test(construct)) return 'tabular operators';
  if (/^(geo_|series_)\w*\(\)/.test(construct)) return `${construct.split('_')[0]}_* functions`;
  return 'other shapes of supported constructs';
}

module.exports = {
  compareResult,
  cellMatches,
  cleanCell,
  queryIsOrdered,
  unsupportedConstruct,
  constructFamily,
  parseLooseJson,
};
