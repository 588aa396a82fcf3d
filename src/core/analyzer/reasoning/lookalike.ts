// Look-alike and punycode domains: compares a host with the tenant's own domains and well-known brands
// after folding characters that look alike (0→o, 1→l, rn→m, Cyrillic а→a, …).
import { domainToUnicode } from 'url';

/** Domains phishing most often imitates (Microsoft first: the tenant signs in there). */
export const WELL_KNOWN_DOMAINS = [
  'microsoft.com',
  'microsoftonline.com',
  'office.com',
  'office365.com',
  'outlook.com',
  'live.com',
  'sharepoint.com',
  'onedrive.com',
  'azure.com',
  'windows.net',
  'skype.com',
  'xbox.com',
  'paypal.com',
  'apple.com',
  'google.com',
  'amazon.com',
  'docusign.com',
  'dropbox.com',
  'adobe.com',
  'linkedin.com',
];

const CONFUSABLES: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
  '9': 'g',
  $: 's',
  '@': 'a',
  '|': 'l',
  i: 'l',
  // Cyrillic and Greek letters that render like Latin ones.
  а: 'a',
  е: 'e',
  о: 'o',
  р: 'p',
  с: 'c',
  х: 'x',
  у: 'y',
  і: 'l',
  ј: 'j',
  ԁ: 'd',
  ѕ: 's',
  ɡ: 'g',
  ӏ: 'l',
  κ: 'k',
  ο: 'o',
  ν: 'v',
  α: 'a',
  ι: 'l',
  τ: 't',
  ρ: 'p',
};

/** A "skeleton" where characters that look alike are equal. */
export function skeleton(text: string): string {
  let s = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  s = s.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/cl/g, 'd');
  return [...s].map((c) => CONFUSABLES[c] ?? c).join('');
}

const SECOND_LEVEL = new Set(['co', 'com', 'org', 'net', 'ac', 'gov', 'edu', 'ne', 'or']);

/** `a.b.example.co.uk` → `example.co.uk`. */
export function registrableDomain(host: string): string {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length <= 2) return labels.join('.');
  const n = labels.length;
  const take = labels[n - 1].length === 2 && SECOND_LEVEL.has(labels[n - 2]) ? 3 : 2;
  return labels.slice(n - take).join('.');
}

function firstLabel(domain: string): string {
  return domain.split('.')[0];
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

export interface LookAlike {
  /** The domain being imitated. */
  imitates: string;
  kind: 'homoglyph' | 'typosquat' | 'brand-in-name' | 'punycode';
  /** The host as displayed (Unicode for punycode hosts). */
  displayHost: string;
  weight: number;
  explanation: string;
}

/**
 * Whether `host` imitates one of `targets` (tenant domains first, then well-known brands).
 * A host that is, or is a subdomain of, a target is genuine (e.g. contoso.sharepoint.com).
 */
export function findLookAlike(host: string, targets: string[]): LookAlike | undefined {
  const h = host.toLowerCase().replace(/\.$/, '');
  const unicode = h.includes('xn--') ? domainToUnicode(h) || h : h;
  const reg = registrableDomain(h);
  const regUnicode = registrableDomain(unicode);
  const uniq = [...new Set(targets.map((t) => t.toLowerCase()))].filter((t) => t.includes('.'));
  for (const t of uniq) if (h === t || h.endsWith('.' + t)) return undefined;
  const punycode = h !== unicode;
  const label = firstLabel(regUnicode);
  const labelSk = skeleton(label);
  const tokens = label.split(/[-_]/).filter(Boolean);
  for (const t of uniq) {
    const tl = firstLabel(registrableDomain(t));
    if (tl.length < 4) continue;
    const tSk = skeleton(tl);
    if (labelSk === tSk && label !== tl) {
      return {
        imitates: t,
        kind: punycode ? 'punycode' : 'homoglyph',
        displayHost: unicode,
        weight: punycode ? 40 : 35,
        explanation: `${unicode}${punycode ? ` (punycode ${h})` : ''} reads as ${t} but uses look-alike characters ('${label}' vs '${tl}').`,
      };
    }
    const tokenHit = tokens.find((tok) => skeleton(tok) === tSk);
    if (tokenHit && tokens.length > 1) {
      const obfuscated = tokenHit !== tl;
      return {
        imitates: t,
        kind: obfuscated ? 'homoglyph' : 'brand-in-name',
        displayHost: unicode,
        weight: obfuscated ? 35 : 20,
        explanation: obfuscated
          ? `${unicode} embeds '${tokenHit}', a disguised '${tl}', in a domain that is not ${t}.`
          : `${unicode} puts the name '${tl}' in a domain that does not belong to ${t}.`,
      };
    }
    if (tl.length >= 5 && label !== tl && levenshtein(label, tl) === 1) {
      return {
        imitates: t,
        kind: 'typosquat',
        displayHost: unicode,
        weight: 30,
        explanation: `${unicode} differs from ${t} by one character ('${label}' vs '${tl}'): a typosquat.`,
      };
    }
  }
  // A brand as a subdomain of an unrelated domain (microsoft.com.evil.io).
  const sub = h.slice(0, Math.max(0, h.length - reg.length - 1));
  for (const t of uniq) {
    if (sub && (sub === t || sub.endsWith('.' + t) || sub.startsWith(t + '.') || sub.includes('.' + t + '.'))) {
      return {
        imitates: t,
        kind: 'brand-in-name',
        displayHost: unicode,
        weight: 20,
        explanation: `${unicode} starts with ${t} but the real domain is ${reg}.`,
      };
    }
  }
  if (punycode) {
    return {
      imitates: '',
      kind: 'punycode',
      displayHost: unicode,
      weight: 15,
      explanation: `${h} is an internationalised (punycode) domain displayed as ${unicode}; such names are often used to imitate others.`,
    };
  }
  return undefined;
}
