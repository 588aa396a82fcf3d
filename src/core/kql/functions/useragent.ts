// parse_user_agent: a basic user-agent reader for the common desktop and mobile browsers, operating
// systems and devices, in the shape Kusto returns (Browser / OperatingSystem / Device objects with
// ua-parser field names). Anything it does not recognise reads as Family "Other" with empty versions.
import { KqlError } from '../../errors';
import { defineFunctions } from './define';
import { argType, str } from './helpers';
import { kqlRegex, type KqlRegex } from './regex';

// The patterns run on RE2 too: a long hostile user agent cannot make `.*….*` backtrack.
const re = (pattern: string): KqlRegex => kqlRegex(pattern);
const match = (r: KqlRegex, text: string): (string | undefined)[] | null => r.exec(text)?.groups ?? null;
const test = (r: KqlRegex, text: string): boolean => r.test(text);

interface Rule {
  re: KqlRegex;
  family: string;
}

// Order matters: browsers that also claim to be Chrome/Safari come first.
const BROWSERS: Rule[] = [
  { re: re(String.raw`\bEdg(?:e|A|iOS)?\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Edge' },
  { re: re(String.raw`\b(?:OPR|Opera)\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Opera' },
  { re: re(String.raw`\bSamsungBrowser\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Samsung Internet' },
  { re: re(String.raw`\bCriOS\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Chrome Mobile iOS' },
  { re: re(String.raw`\bFxiOS\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Firefox iOS' },
  { re: re(String.raw`\bAndroid\b.*\bChrome\/(\d+)\.(\d+)(?:\.(\d+))?.*\bMobile\b`), family: 'Chrome Mobile' },
  { re: re(String.raw`\bHeadlessChrome\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'HeadlessChrome' },
  { re: re(String.raw`\bChrome\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Chrome' },
  { re: re(String.raw`\bFirefox\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Firefox' },
  {
    re: re(String.raw`\b(?:iPhone|iPad|iPod)\b.*\bVersion\/(\d+)\.(\d+)(?:\.(\d+))?.*\bMobile\b`),
    family: 'Mobile Safari',
  },
  { re: re(String.raw`\bVersion\/(\d+)\.(\d+)(?:\.(\d+))?.*\bSafari\/`), family: 'Safari' },
  { re: re(String.raw`\bTrident\/7\.0;.*\brv:(\d+)\.(\d+)`), family: 'IE' },
  { re: re(String.raw`\bMSIE (\d+)\.(\d+)`), family: 'IE' },
  { re: re(String.raw`\bcurl\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'curl' },
  { re: re(String.raw`\bpython-requests\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'Python Requests' },
  { re: re(String.raw`\bPowerShell\/(\d+)\.(\d+)(?:\.(\d+))?`), family: 'PowerShell' },
];

const WINDOWS_NT: Record<string, [string, string]> = {
  '10.0': ['10', ''],
  '6.3': ['8', '1'],
  '6.2': ['8', ''],
  '6.1': ['7', ''],
  '6.0': ['Vista', ''],
  '5.1': ['XP', ''],
  '5.2': ['XP', ''],
};

function versions(m: (string | undefined)[], count: number): string[] {
  return Array.from({ length: count }, (_, i) => m[i + 1] ?? '');
}

function browser(ua: string): Record<string, string> {
  for (const rule of BROWSERS) {
    const m = match(rule.re, ua);
    if (m) {
      const [MajorVersion, MinorVersion, Patch] = versions(m, 3);
      return { Family: rule.family, MajorVersion, MinorVersion, Patch };
    }
  }
  return { Family: 'Other', MajorVersion: '', MinorVersion: '', Patch: '' };
}

function os(ua: string): Record<string, string> {
  const make = (Family: string, v: string[] = []) => ({
    Family,
    MajorVersion: v[0] ?? '',
    MinorVersion: v[1] ?? '',
    Patch: v[2] ?? '',
    PatchMinor: v[3] ?? '',
  });
  let m = match(re(String.raw`\bWindows NT (\d+\.\d+)`), ua);
  if (m) {
    const v = Object.prototype.hasOwnProperty.call(WINDOWS_NT, m[1] ?? '') ? WINDOWS_NT[m[1]!] : undefined;
    return v ? make('Windows', v[1] ? [v[0], v[1]] : [v[0]]) : make('Windows');
  }
  m = match(re(String.raw`\b(?:iPhone|CPU) OS (\d+)_(\d+)(?:_(\d+))?`), ua);
  if (m) return make('iOS', versions(m, 3));
  m = match(re(String.raw`\bAndroid (\d+)(?:\.(\d+))?(?:\.(\d+))?`), ua);
  if (m) return make('Android', versions(m, 3));
  m = match(re(String.raw`\bMac OS X (\d+)[_.](\d+)(?:[_.](\d+))?`), ua);
  if (m) return make('Mac OS X', versions(m, 3));
  if (test(re(String.raw`\bCrOS\b`), ua)) return make('Chrome OS');
  if (test(re(String.raw`\bUbuntu\b`), ua)) return make('Ubuntu');
  if (test(re(String.raw`\bLinux\b`), ua)) return make('Linux');
  if (test(re(String.raw`\bWindows\b`), ua)) return make('Windows');
  return make('Other');
}

function device(ua: string): Record<string, string> {
  if (test(re(String.raw`\biPhone\b`), ua)) return { Family: 'iPhone', Brand: 'Apple', Model: 'iPhone' };
  if (test(re(String.raw`\biPad\b`), ua)) return { Family: 'iPad', Brand: 'Apple', Model: 'iPad' };
  if (test(re(String.raw`\bMacintosh\b`), ua)) return { Family: 'Mac', Brand: 'Apple', Model: 'Mac' };
  if (test(re(String.raw`\bAndroid\b.*\bMobile\b`), ua))
    return { Family: 'Generic Smartphone', Brand: 'Generic', Model: 'Smartphone' };
  if (test(re(String.raw`\bAndroid\b`), ua)) return { Family: 'Generic Tablet', Brand: 'Generic', Model: 'Tablet' };
  return { Family: 'Other', Brand: '', Model: '' };
}

const TARGETS: Record<string, [string, (ua: string) => Record<string, string>]> = {
  browser: ['Browser', browser],
  os: ['OperatingSystem', os],
  device: ['Device', device],
};

defineFunctions({
  parse_user_agent: ([ua, lookFor], ctx) => {
    const text = str(ua, argType(ctx, 0));
    const wanted = Array.isArray(lookFor) ? lookFor : [lookFor];
    const out: Record<string, unknown> = {};
    for (const w of wanted) {
      const name = String(typeof w === 'string' ? w : '').toLowerCase();
      const target = Object.prototype.hasOwnProperty.call(TARGETS, name) ? TARGETS[name] : undefined;
      if (!target)
        throw new KqlError(
          `parse_user_agent: look-for must be "browser", "os" or "device", not ${JSON.stringify(w)}`,
          undefined,
          'KqlRuntime',
        );
      out[target[0]] = target[1](text);
    }
    return out;
  },
});
