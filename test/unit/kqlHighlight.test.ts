// Evidence KQL on the verdict page is highlighted with the extension's own grammar, and stays inert text.
import * as assert from 'assert';
import { highlightKql } from '../../src/webview/_kqlHighlight';

describe('KQL highlighting with our grammar', () => {
  it('marks operators, functions, strings, numbers and comments', () => {
    const html = highlightKql(
      '// spray\nSigninLogs\n| where TimeGenerated > ago(7d) and ResultType == "50126"\n| summarize Failures = count() by IPAddress\n| take 10',
    );
    assert.match(html, /<span class="tok-comment">\/\/ spray<\/span>/);
    assert.match(html, /<span class="tok-control">where<\/span>/);
    assert.match(html, /<span class="tok-control">summarize<\/span>/);
    assert.match(html, /<span class="tok-function">ago<\/span>/);
    assert.match(html, /<span class="tok-number">7d<\/span>/);
    assert.match(html, /<span class="tok-operator">and<\/span>/);
    assert.match(html, /<span class="tok-string">[^<]*50126/);
    assert.strictEqual(
      html
        .replace(/<[^>]+>/g, '')
        .replace(/&quot;/g, '"')
        .replace(/&gt;/g, '>'),
      '// spray\nSigninLogs\n| where TimeGenerated > ago(7d) and ResultType == "50126"\n| summarize Failures = count() by IPAddress\n| take 10',
    );
  });

  it('never lets query text become markup', () => {
    const html = highlightKql('print x = "<img src=x onerror=alert(1)>" // </span><script>alert(2)</script>');
    assert.ok(!/<img|<script|<\/span><script/.test(html.replace(/<span class="tok-[a-z]+">|<\/span>/g, '')), html);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });
});
