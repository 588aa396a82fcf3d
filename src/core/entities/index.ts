// Entity detection, refanging, normalisation and validation: UPN, URL, domain, IP, GUID.
// Used by the editor's "Analyze Entity" (selection → entity), the CLI and the analyzers.
import { UserError } from '../errors';
/** The entities the Entity Analyzer takes. */
export type AnalysisEntityType = 'User' | 'Url';

export type DetectedEntityType = 'User' | 'Url' | 'Ip' | 'Guid' | 'Domain';

export interface DetectedEntity {
  type: DetectedEntityType;
  /** Refanged and normalised value (lower-case UPN/domain/GUID; URL with lower-case scheme and host). */
  value: string;
}

const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
// Labels: letters, digits, hyphens (not at either end); IDN allowed as punycode or Unicode letters.
const LABEL = '(?:[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]{0,61}[\\p{L}\\p{N}])?)';
const DOMAIN_RE = new RegExp(`^(?:${LABEL}\\.)+(?:[\\p{L}]{2,63}|xn--[a-z0-9-]{1,59})$`, 'iu');
const UPN_LOCAL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$/;

/**
 * Undoes the usual defanging of indicators: `hxxp(s)`, `[.]`, `(.)`, `{.}`, `[dot]`, `[:]`, `[://]`,
 * `[@]`/`[at]`, and surrounding quotes/brackets/whitespace.
 */
export function refang(text: string): string {
  let t = text.trim();
  // Strip one pair of surrounding quotes / angle brackets / backticks.
  const m = /^(["'`<([])([\s\S]*)(["'`>)\]])$/.exec(t);
  if (m && pairOf(m[1]) === m[3]) t = m[2].trim();
  t = t
    .replace(/^h(?:xx|XX|\*\*|\[xx\]|\[tt\])p(s?)(?=[:[])/i, (_s, s: string) => `http${s.toLowerCase()}`)
    .replace(/^fxp(?=[:[])/i, 'ftp')
    .replace(/\[:\/\/\]|\[:\]\/\//g, '://')
    .replace(/\[:\]/g, ':')
    .replace(/\s*(?:\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)|\{dot\}|\\\.)\s*/gi, '.')
    .replace(/\s*(?:\[@\]|\(@\)|\[at\]|\(at\))\s*/gi, '@');
  return t;
}

function pairOf(open: string): string {
  return ({ '<': '>', '(': ')', '[': ']' } as Record<string, string>)[open] ?? open;
}

export function isGuid(text: string): boolean {
  return GUID_RE.test(text);
}

export function isIpv4(text: string): boolean {
  return IPV4_RE.test(text);
}

export function isIpv6(text: string): boolean {
  if (!text.includes(':') || !/^[0-9a-f:.]+$/i.test(text)) return false;
  try {
    return new URL(`http://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

export function isDomain(text: string): boolean {
  return text.length <= 253 && DOMAIN_RE.test(text);
}

export function isUpn(text: string): boolean {
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) return false;
  return UPN_LOCAL_RE.test(text.slice(0, at)) && !text.slice(0, at).startsWith('.') && isDomain(text.slice(at + 1));
}

/** Parses an http(s) URL; a bare `host/path` gets `https://`. Returns undefined when it is not a web URL. */
export function parseWebUrl(text: string): URL | undefined {
  let t = text;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) {
    // A bare host with a path or port is a URL; a bare host alone is a domain.
    if (!/^[^/\s@]+[/:?#]/.test(t)) return undefined;
    t = `https://${t}`;
  }
  let u: URL;
  try {
    u = new URL(t);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  if (!(isDomain(host) || isIpv4(host) || isIpv6(host) || host === 'localhost')) return undefined;
  return u;
}

/**
 * Normalises a URL for analysis: lower-case scheme and host (punycode as the URL parser gives it),
 * no default port, path/query kept as written. The trailing slash of a bare origin is dropped so
 * `https://evil.com/` and `https://evil.com` agree.
 */
export function normalizeUrl(text: string): string | undefined {
  const u = parseWebUrl(refang(text));
  if (!u) return undefined;
  const s = u.toString();
  return u.pathname === '/' && !u.search && !u.hash && s.endsWith('/') ? s.slice(0, -1) : s;
}

/** What a piece of selected text is, after refanging; undefined when it is none of the supported kinds. */
export function detectEntity(text: string): DetectedEntity | undefined {
  if (typeof text !== 'string') return undefined;
  const t = refang(text);
  if (!t || t.length > 2048 || /\s/.test(t)) return undefined;
  if (isGuid(t)) return { type: 'Guid', value: t.toLowerCase() };
  if (isIpv4(t)) return { type: 'Ip', value: t };
  if (isIpv6(t)) return { type: 'Ip', value: t.toLowerCase() };
  const mailto = /^mailto:/i.test(t) ? t.slice(7) : t;
  if (isUpn(mailto)) return { type: 'User', value: mailto.toLowerCase() };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t) || /^[^/\s@]+\//.test(t)) {
    const url = normalizeUrl(t);
    return url ? { type: 'Url', value: url } : undefined;
  }
  if (isDomain(t)) return { type: 'Domain', value: t.toLowerCase().replace(/\.$/, '') };
  return undefined;
}

/**
 * Checks and normalises the target of an entity analysis. Users: a UPN or an Entra object id (GUID).
 * URLs: an http(s) URL, defanged or not; a bare domain is accepted as `https://domain`.
 * Throws UserError with a message a person can act on.
 */
export function validateAnalysisTarget(type: AnalysisEntityType | string, value: string): string {
  const raw = typeof value === 'string' ? value.trim() : '';
  if (!raw)
    throw new UserError(
      `Enter a ${type === 'Url' ? 'URL' : 'user principal name or Entra object id'} to analyze.`,
      'BadEntity',
    );
  if (type === 'User') {
    const t = refang(raw).replace(/^mailto:/i, '');
    if (isGuid(t)) return t.toLowerCase();
    if (isUpn(t)) return t.toLowerCase();
    throw new UserError(
      `'${clip(raw)}' is not a user principal name (name@domain) or an Entra object id (GUID).`,
      'BadEntity',
    );
  }
  if (type === 'Url') {
    const t = refang(raw);
    const url = normalizeUrl(t) ?? (isDomain(t) ? normalizeUrl(`https://${t}`) : undefined);
    if (url) return url;
    throw new UserError(`'${clip(raw)}' is not an http or https URL.`, 'BadEntity');
  }
  throw new UserError(`Unknown entity type '${clip(String(type))}': use 'user' or 'url'.`, 'BadEntity');
}

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}

/** The registrable-ish host of a URL (lower-case, no `www.`), for domain-level lookups. */
export function urlHost(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return '';
  }
}
