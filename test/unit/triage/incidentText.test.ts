// Text the incident views show: one time format, comments as plain first lines, verdicts read back from comments.
import * as assert from 'assert';
import { parseVerdictComment, verdictToMarkdown } from '../../../src/core/analyzer/markdown';
import { entityKindName, ENTITY_KIND_NAMES } from '../../../src/core/entities/kindNames';
import { formatTime } from '../../../src/core/timeFormat';
import { commentPreview, KIND_LABELS } from '../../../src/extension/triage/model';
import { result, userRequest } from '../analyzer-client/fixtures';

describe('incident text', () => {
  it('formats times as UTC ISO by default and as local time with its offset on request', () => {
    assert.strictEqual(formatTime('2026-11-20T14:05:09.123Z'), '2026-11-20 14:05 UTC');
    assert.strictEqual(formatTime('2026-11-20T14:05:09Z', 'utc', { seconds: true }), '2026-11-20 14:05:09 UTC');
    assert.match(formatTime('2026-11-20T14:05:09Z', 'local'), /^2026-11-2\d \d\d:\d\d [+-]\d\d:\d\d$/);
    assert.strictEqual(formatTime('not a time'), 'not a time');
  });

  it('shows a Markdown comment as its first line of plain text', () => {
    assert.strictEqual(
      commentPreview('### Entity Analyzer: Compromised (High confidence)\n\n**User:** megan\\.bowen@contoso\\.com'),
      'Entity Analyzer: Compromised (High confidence)',
    );
    assert.strictEqual(
      commentPreview('\n\n**Contained:** sessions [revoked](https://x.example) `now`'),
      'Contained: sessions revoked now',
    );
    assert.strictEqual(commentPreview('first_last@contoso.com looked fine'), 'first_last@contoso.com looked fine');
    assert.ok(commentPreview('x'.repeat(300)).length <= 120);
  });

  it('reads the verdict back from a comment written by "Add as incident comment"', () => {
    const r = result(userRequest('megan.bowen@contoso.com'), Date.parse('2026-01-15T12:00:00Z'));
    const v = parseVerdictComment(verdictToMarkdown(r, { now: Date.now() }));
    assert.deepStrictEqual(
      [v?.verdict, v?.confidence, v?.entityType, v?.entity],
      [r.verdict, r.confidence, 'User', 'megan.bowen@contoso.com'],
    );
    assert.deepStrictEqual(v?.window, { startTime: r.window.startTime, endTime: r.window.endTime });
    assert.strictEqual(parseVerdictComment('Looked at it, fine.'), undefined);
  });

  it('names entity kinds the same in both trees', () => {
    assert.strictEqual(entityKindName('Ip'), 'IP address');
    assert.strictEqual(KIND_LABELS.Ip, 'IP addresses');
    for (const [kind, names] of Object.entries(ENTITY_KIND_NAMES))
      assert.strictEqual(KIND_LABELS[kind as keyof typeof KIND_LABELS], names.many);
  });
});
