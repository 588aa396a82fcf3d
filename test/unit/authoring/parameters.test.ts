import * as assert from 'assert';
import {
  findParameters,
  quoteKqlString,
  shapeOf,
  substituteParameter,
  unquoteKqlString,
  validateParameterValue,
} from '../../../src/core/kql/parameters';
import { BASELINE_TEMPLATES, renderTemplate, templatesFor } from '../../../src/core/kql/templates';

describe('block parameters', () => {
  const block =
    'let TargetUpn = "megan.bowen@contoso.com";\nlet Site = \'https://evil.example/x\';\nlet Lookback = 7d;\nSigninLogs | where UserPrincipalName == TargetUpn';

  it('finds let string parameters with their shapes and positions', () => {
    const params = findParameters(block, 10);
    assert.deepStrictEqual(
      params.map((p) => [p.name, p.value, p.shape, p.line]),
      [
        ['TargetUpn', 'megan.bowen@contoso.com', 'upn', 10],
        ['Site', 'https://evil.example/x', 'url', 11],
      ],
    );
    assert.strictEqual(block.split('\n')[0].slice(params[0].start, params[0].end), '"megan.bowen@contoso.com"');
  });

  it('recognises IPs and GUIDs', () => {
    assert.strictEqual(shapeOf('10.1.2.3'), 'ip');
    assert.strictEqual(shapeOf('2001:db8::1'), 'ip');
    assert.strictEqual(shapeOf('6f1c2a77-3b1e-4c2a-9a43-0f5d2f7a1b20'), 'guid');
    assert.strictEqual(shapeOf('hello world'), 'text');
  });

  it('substitutes a hostile value as one escaped literal that cannot change the query', () => {
    const [p] = findParameters(block);
    const hostile = 'x" | take 1000000 //';
    const out = substituteParameter(block, 0, p, hostile);
    const firstLine = out.split('\n')[0];
    assert.strictEqual(firstLine, 'let TargetUpn = "x\\" | take 1000000 //";');
    // Reading the literal back gives exactly the value, and the rest of the block is untouched.
    const [again] = findParameters(out);
    assert.strictEqual(again.value, hostile);
    assert.strictEqual(out.split('\n').slice(1).join('\n'), block.split('\n').slice(1).join('\n'));
  });

  it('escapes backslashes, quotes and line breaks', () => {
    assert.strictEqual(quoteKqlString('a\\b"c\nd'), '"a\\\\b\\"c\\nd"');
    assert.strictEqual(unquoteKqlString(quoteKqlString('a\\b"c\nd\te')), 'a\\b"c\nd\te');
    assert.strictEqual(unquoteKqlString('@"C:\\temp ""x"""'), 'C:\\temp "x"');
  });

  it('keeps a parameter to its shape', () => {
    assert.strictEqual(validateParameterValue('upn', 'alex.wilber@contoso.com'), undefined);
    assert.match(validateParameterValue('upn', 'not a upn') ?? '', /user principal name/);
    assert.match(validateParameterValue('url', 'x" | take 1000000 //') ?? '', /URL/);
    assert.match(validateParameterValue('ip', '999.1.1.1') ?? '', /IP address/);
    assert.match(validateParameterValue('text', 'two\nlines') ?? '', /one line/);
    assert.strictEqual(validateParameterValue('text', 'x" | take 1000000 //'), undefined);
  });
});

describe('baseline templates', () => {
  it('offers at least eight baselines, each with a parameter', () => {
    assert.ok(BASELINE_TEMPLATES.length >= 8);
    for (const t of BASELINE_TEMPLATES) assert.ok(findParameters(t.text).length >= 1, t.id);
    assert.strictEqual(new Set(BASELINE_TEMPLATES.map((t) => t.id)).size, BASELINE_TEMPLATES.length);
  });

  it('renders a template for an entity as a safe literal', () => {
    const [t] = templatesFor('upn');
    const text = renderTemplate(t, 'o"brien@contoso.com');
    assert.ok(text.includes('let TargetUpn = "o\\"brien@contoso.com";'));
  });

  it('finds templates for each entity kind an analyst right-clicks', () => {
    assert.ok(templatesFor('upn').length >= 4);
    assert.ok(templatesFor('url').length >= 2);
    assert.ok(templatesFor('ip').length >= 1);
  });
});
