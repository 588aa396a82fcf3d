// Building evidence queries safely: entity values go in as escaped string literals, windows as datetime literals.
// The queries are shown to analysts and re-run with `swb query`, so they must be exact and self-contained
// (no ago()/now(): they depend on the clock).

/** A KQL string literal for any text (double-quoted, backslash escapes). */
export function kqlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** A KQL datetime literal, to the second: `datetime(2026-01-02T03:04:05Z)`. */
export function kqlDatetime(d: Date): string {
  return `datetime(${isoSeconds(d)})`;
}

export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `TimeGenerated between (datetime(a) .. datetime(b))`. */
export function kqlBetween(column: string, start: Date, end: Date): string {
  return `${column} between (${kqlDatetime(start)} .. ${kqlDatetime(end)})`;
}

/** A KQL string list for `in (...)`. */
export function kqlList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

/** The tenant's own domains (from the UPNs in IdentityInfo), most accounts first: context for look-alike checks. */
export const TENANT_DOMAINS_QUERY = [
  'IdentityInfo',
  '| extend Domain = tolower(tostring(split(AccountUPN, "@")[1]))',
  '| where isnotempty(Domain)',
  '| summarize Accounts = dcount(AccountUPN) by Domain',
  '| sort by Accounts desc, Domain asc',
].join('\n');
