// parse_user_agent: a basic user-agent reader for the common desktop and mobile browsers, operating
// systems and devices, in the shape Kusto returns (Browser / OperatingSystem / Device objects with
// ua-parser field names). Anything it does not recognise reads as Family "Other" with empty versions.
import { KqlError } from '../../errors';
import { defineFunctions } from './define';
import { argType, str } from './helpers';

interface Rule {
  re: RegExp;
  family: string | ((m: RegExpExecArray) => string);
}

// Order matters: browsers that also claim to be Chrome/Safari come first.
const BROWSERS: Rule[] = [
  { re: /\bEdg(?:e|A|iOS)?\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Edge' },
  { re: /\b(?:OPR|Opera)\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Opera' },
  { re: /\bSamsungBrowser\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Samsung Internet' },
  { re: /\bCriOS\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Chrome Mobile iOS' },
  { re: /\bFxiOS\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Firefox iOS' },
  { re: /\bAndroid\b.*\bChrome\/(\d+)\.(\d+)(?:\.(\d+))?.*\bMobile\b/, family: 'Chrome Mobile' },
  { re: /\bHeadlessChrome\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'HeadlessChrome' },
  { re: /\bChrome\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Chrome' },
  { re: /\bFirefox\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Firefox' },
  { re: /\b(?:iPhone|iPad|iPod)\b.*\bVersion\/(\d+)\.(\d+)(?:\.(\d+))?.*\bMobile\b/, family: 'Mobile Safari' },
  { re: /\bVersion\/(\d+)\.(\d+)(?:\.(\d+))?.*\bSafari\//, family: 'Safari' },
  { re: /\bTrident\/7\.0;.*\brv:(\d+)\.(\d+)/, family: 'IE' },
  { re: /\bMSIE (\d+)\.(\d+)/, family: 'IE' },
  { re: /\bcurl\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'curl' },
  { re: /\bpython-requests\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'Python Requests' },
  { re: /\bPowerShell\/(\d+)\.(\d+)(?:\.(\d+))?/, family: 'PowerShell' },
];

const WINDOWS_NT: Record<string, [string, string]> = {
  '10.0': ['10', ''], '6.3': ['8', '1'], '6.2': ['8', ''], '6.1': ['7', ''], '6.0': ['Vista', ''], '5.1': ['XP', ''], '5.2': ['XP', ''],
};

function versions(m: RegExpExecArray, count: number): string[] {
  return Array.from({ length: count }, (_, i) => m[i + 1] ?? '');
}

function browser(ua: string): Record<string, string> {
  for (const rule of BROWSERS) {
    const m = rule.re.exec(ua);
    if (m) {
      const [MajorVersion, MinorVersion, Patch] = versions(m, 3);
      return { Family: typeof rule.family === 'string' ? rule.family : rule.family(m), MajorVersion, MinorVersion, Patch };
    }
  }
  return { Family: 'Other', MajorVersion: '', MinorVersion: '', Patch: '' };
}

function os(ua: string): Record<string, string> {
  const make = (Family: string, v: string[] = []) => ({ Family, MajorVersion: v[0] ?? '', MinorVersion: v[1] ?? '', Patch: v[2] ?? '', PatchMinor: v[3] ?? '' });
  let m = /\bWindows NT (\d+\.\d+)/.exec(ua);
  if (m) {
    const v = WINDOWS_NT[m[1]];
    return v ? make('Windows', v[1] ? [v[0], v[1]] : [v[0]]) : make('Windows');
  }
  m = /\b(?:iPhone|CPU) OS (\d+)_(\d+)(?:_(\d+))?/.exec(ua);
  if (m) return make('iOS', versions(m, 3));
  m = /\bAndroid (\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(ua);
  if (m) return make('Android', versions(m, 3));
  m = /\bMac OS X (\d+)[_.](\d+)(?:[_.](\d+))?/.exec(ua);
  if (m) return make('Mac OS X', versions(m, 3));
  if (/\bCrOS\b/.test(ua)) return make('Chrome OS');
  if (/\bUbuntu\b/.test(ua)) return make('Ubuntu');
  if (/\bLinux\b/.test(ua)) return make('Linux');
  if (/\bWindows\b/.test(ua)) return make('Windows');
  return make('Other');
}

function device(ua: string): Record<string, string> {
  if (/\biPhone\b/.test(ua)) return { Family: 'iPhone', Brand: 'Apple', Model: 'iPhone' };
  if (/\biPad\b/.test(ua)) return { Family: 'iPad', Brand: 'Apple', Model: 'iPad' };
  if (/\bMacintosh\b/.test(ua)) return { Family: 'Mac', Brand: 'Apple', Model: 'Mac' };
  if (/\bAndroid\b.*\bMobile\b/.test(ua)) return { Family: 'Generic Smartphone', Brand: 'Generic', Model: 'Smartphone' };
  if (/\bAndroid\b/.test(ua)) return { Family: 'Generic Tablet', Brand: 'Generic', Model: 'Tablet' };
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
      const target = TARGETS[String(typeof w === 'string' ? w : '').toLowerCase()];
      if (!target) throw new KqlError(`parse_user_agent: look-for must be "browser", "os" or "device", not ${JSON.stringify(w)}`, undefined, 'KqlRuntime');
      out[target[0]] = target[1](text);
    }
    return out;
  },
});
