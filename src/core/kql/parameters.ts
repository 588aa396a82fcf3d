// `let Name = "value";` string parameters of a query block, and safe substitution: a new value is always
// written as one escaped KQL string literal, so it can never change the query's structure.

export type ParameterShape = 'upn' | 'url' | 'ip' | 'guid' | 'text';

export interface BlockParameter {
  name: string;
  value: string;
  shape: ParameterShape;
  /** 0-based line of the literal in the document (block.startLine + offset). */
  line: number;
  /** 0-based columns of the literal including its quotes: [start, end). */
  start: number;
  end: number;
}

const LET_STRING = /^(\s*let\s+)([A-Za-z_][A-Za-z0-9_]*)(\s*=\s*)(@?"(?:[^"\\\n]|\\.)*"|@?'(?:[^'\\\n]|\\.)*')\s*;/;

/** Finds the string parameters declared in `text`; `firstLine` is the document line of text's first line. */
export function findParameters(text: string, firstLine = 0): BlockParameter[] {
  const result: BlockParameter[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = LET_STRING.exec(lines[i]);
    if (!m) continue;
    const start = m[1].length + m[2].length + m[3].length;
    const literal = m[4];
    const value = unquoteKqlString(literal);
    result.push({ name: m[2], value, shape: shapeOf(value), line: firstLine + i, start, end: start + literal.length });
  }
  return result;
}

/** Writes `value` as a KQL string literal: double quotes, backslash escapes, no raw line breaks. */
export function quoteKqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      default: {
        const code = ch.codePointAt(0)!;
        out += code < 0x20 || code === 0x2028 || code === 0x2029 ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
      }
    }
  }
  return out + '"';
}

/** Reads a KQL string literal ("…", '…', @"…", @'…'). */
export function unquoteKqlString(literal: string): string {
  if (literal.startsWith('@')) {
    const q = literal[1];
    return literal
      .slice(2, -1)
      .split(q + q)
      .join(q);
  }
  const body = literal.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, c: string) => {
    if (c.length === 5) return String.fromCharCode(parseInt(c.slice(1), 16));
    return ({ n: '\n', r: '\r', t: '\t', '0': '\0' } as Record<string, string>)[c] ?? c;
  });
}

/** Replaces one parameter's literal in the block text with the quoted new value. */
export function substituteParameter(text: string, firstLine: number, param: BlockParameter, newValue: string): string {
  const lines = text.split('\n');
  const i = param.line - firstLine;
  const line = lines[i];
  if (line === undefined) throw new Error(`Parameter ${param.name} is not in this text`);
  lines[i] = line.slice(0, param.start) + quoteKqlString(newValue) + line.slice(param.end);
  return lines.join('\n');
}

const UPN = /^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
const URL_RE = /^https?:\/\/[^\s/$.?#][^\s]*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/;
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export function shapeOf(value: string): ParameterShape {
  if (UPN.test(value)) return 'upn';
  if (URL_RE.test(value)) return 'url';
  if (IPV4.test(value) || (IPV6.test(value) && value.includes(':'))) return 'ip';
  if (GUID.test(value)) return 'guid';
  return 'text';
}

const SHAPE_NAMES: Record<ParameterShape, string> = {
  upn: 'a user principal name (name@domain)',
  url: 'an http(s) URL',
  ip: 'an IP address',
  guid: 'a GUID',
  text: 'text',
};

/** A parameter keeps its shape: a UPN parameter only takes UPNs, and so on. Returns an error message or undefined. */
export function validateParameterValue(shape: ParameterShape, value: string): string | undefined {
  if (value.length > 2048) return 'The value is too long (2,048 characters at most).';
  if (/[\r\n]/.test(value)) return 'The value must be on one line.';
  if (shape === 'text') return undefined;
  const trimmed = value.trim();
  if (shapeOf(trimmed) !== shape || trimmed !== value) return `Enter ${SHAPE_NAMES[shape]}.`;
  return undefined;
}
