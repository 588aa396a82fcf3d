import * as assert from 'assert';
import { CHECKLIST } from '../../../src/core/migration/checklist';
import { runCheck } from '../../../src/core/migration/checks';
import { deadlines, formatDuration, nextDeadline, parseCutover } from '../../../src/core/migration/deadlines';
import { renderRunbook } from '../../../src/core/migration/runbook';
import { applyChange, ChecklistState, emptyState, progress, sanitizeState } from '../../../src/core/migration/state';
import type { QueryResult } from '../../../src/core/types';

const cutover = new Date('2026-01-10T10:00:00Z');
const at = (iso: string) => new Date(iso);

describe('migration: deadlines', () => {
  it('formats durations with the two largest units', () => {
    assert.strictEqual(formatDuration(80 * 60_000), '1 h 20 m');
    assert.strictEqual(formatDuration(-35 * 60_000), '35 m');
    assert.strictEqual(formatDuration((3 * 24 + 4) * 3_600_000 + 59_000), '3 d 4 h');
    assert.strictEqual(formatDuration(2 * 3_600_000 + 30_000), '2 h');
    assert.strictEqual(formatDuration(45_000), '45 s');
  });

  it('turns timed items into due/overdue deadlines from the cutover and the clock', () => {
    const now = at('2026-01-10T10:40:00Z');
    const all = deadlines(CHECKLIST.items, cutover, now, (id) => id === 'pre.communicate');
    const by = (id: string) => all.find((d) => d.itemId === id)!;
    assert.strictEqual(by('cutover.connectors').label, 'due in 1 h 20 m');
    assert.strictEqual(by('cutover.connectors').due, '2026-01-10T12:00:00.000Z');
    assert.strictEqual(by('cutover.duplicate-incidents').label, 'due in 3 h 20 m');
    assert.strictEqual(by('pre.rule-titles').status, 'overdue');
    assert.strictEqual(by('pre.communicate').status, 'done');
    assert.match(by('post.retire-legacy').label, /^starts in 6 d 23 h, due in 13 d 23 h$/);
    // The status bar shows the earliest overdue open item first.
    assert.strictEqual(nextDeadline(all)!.itemId.startsWith('pre.'), true);
    const later = deadlines(CHECKLIST.items, cutover, at('2026-01-10T12:35:00Z'), (id) => id.startsWith('pre.'));
    assert.deepStrictEqual(
      [nextDeadline(later)!.itemId, nextDeadline(later)!.label],
      ['cutover.connectors', 'overdue by 35 m'],
    );
    assert.deepStrictEqual(
      deadlines(CHECKLIST.items, undefined, now, () => false),
      [],
    );
  });

  it('parses cutover input and rejects garbage', () => {
    assert.strictEqual(parseCutover('2026-01-10T10:00:00Z')!.toISOString(), '2026-01-10T10:00:00.000Z');
    assert.strictEqual(parseCutover('not a date'), undefined);
    assert.strictEqual(parseCutover(''), undefined);
  });
});

describe('migration: state', () => {
  it('records ticks, notes and the cutover in the timeline without mutating the input', () => {
    const s0 = emptyState();
    const s1 = applyChange(
      s0,
      { kind: 'setDone', itemId: 'cutover.connectors', done: true },
      at('2026-01-10T11:00:00Z'),
    );
    assert.deepStrictEqual(s0.items, {});
    assert.deepStrictEqual(s1.items['cutover.connectors'], { done: true, doneAt: '2026-01-10T11:00:00.000Z' });
    const s2 = applyChange(
      s1,
      { kind: 'setNote', itemId: 'cutover.connectors', note: 'MDE appeared, expected' },
      at('2026-01-10T11:01:00Z'),
    );
    const s3 = applyChange(s2, { kind: 'setCutover', cutover: '2026-01-10T10:00:00Z' }, at('2026-01-10T11:02:00Z'));
    assert.strictEqual(s3.cutover, '2026-01-10T10:00:00.000Z');
    assert.deepStrictEqual(
      s3.timeline.map((e) => e.event),
      [
        'Ticked "Audit connectors that auto-enabled"',
        'Note on "Audit connectors that auto-enabled" updated',
        'Cutover set to 2026-01-10T10:00:00.000Z',
      ],
    );
    assert.strictEqual(applyChange(s3, { kind: 'setDone', itemId: 'no.such.item', done: true }, cutover), s3);
    assert.strictEqual(applyChange(s3, { kind: 'setCutover', cutover: 'garbage' }, cutover), s3);
    assert.deepStrictEqual(progress(s3), { done: 1, total: CHECKLIST.items.length });
  });

  it('sanitises whatever was stored', () => {
    assert.deepStrictEqual(sanitizeState(undefined), emptyState());
    const s = sanitizeState({
      cutover: 'x',
      items: { a: { done: 'yes', note: 5 }, b: { done: true } },
      checks: { bogus: {}, rbac: { checkId: 'rbac', ranAt: '2026-01-01T00:00:00Z', status: 'ok', summary: '' } },
      timeline: [{ at: 'a', event: 'b' }, 7],
    });
    assert.strictEqual(s.cutover, undefined);
    assert.deepStrictEqual(s.items, {
      a: { done: false, doneAt: undefined, note: undefined },
      b: { done: true, doneAt: undefined, note: undefined },
    });
    assert.deepStrictEqual(Object.keys(s.checks), ['rbac']);
    assert.deepStrictEqual(s.timeline, [{ at: 'a', event: 'b' }]);
  });
});

describe('migration: runbook', () => {
  async function state(): Promise<ChecklistState> {
    let s = emptyState();
    s = applyChange(s, { kind: 'setCutover', cutover: cutover.toISOString() }, at('2026-01-09T09:00:00Z'));
    s = applyChange(
      s,
      { kind: 'setDone', itemId: 'cutover.duplicate-incidents', done: true },
      at('2026-01-10T11:30:00Z'),
    );
    s = applyChange(
      s,
      {
        kind: 'setNote',
        itemId: 'cutover.duplicate-incidents',
        note: 'Turned off the MDE incident rule\n<script>alert(1)</script>',
      },
      at('2026-01-10T11:31:00Z'),
    );
    const qr: QueryResult = {
      columns: [
        { name: 'Title', type: 'string' },
        { name: 'IncidentCount', type: 'long' },
      ],
      rows: [['Password spray | <b>x</b>', 3]],
      stats: { rowsScanned: 1, rowsReturned: 1, elapsedMs: 1, truncated: false },
    };
    const run = await runCheck('duplicateIncidents', {
      now: () => at('2026-01-10T11:29:00Z'),
      source: 'local demo lake',
      runQuery: async () => qr,
    });
    s = applyChange(s, { kind: 'recordCheck', run }, at('2026-01-10T11:29:00Z'));
    return s;
  }

  it('renders ticks, deadlines, notes, check results with timestamps and the timeline', async () => {
    const md = renderRunbook(CHECKLIST, await state(), { now: at('2026-01-10T12:00:00Z'), backend: 'local demo lake' });
    assert.match(md, /^# Sentinel → Defender portal migration runbook/);
    assert.match(md, /- Cutover: 2026-01-10T10:00:00.000Z/);
    assert.match(md, /- Progress: 1 of \d+ items done/);
    assert.match(
      md,
      /- \[x\] \*\*Check for duplicate incidents\*\* — due 2026-01-10T14:00:00.000Z — done 2026-01-10T11:30:00.000Z/,
    );
    assert.match(
      md,
      /- \[ \] \*\*Audit connectors that auto-enabled\*\* — due 2026-01-10T12:00:00.000Z \(due in 0 s\)/,
    );
    assert.match(
      md,
      /- \[ \] \*\*Capture the data connector inventory\*\* — due 2026-01-03T10:00:00.000Z \(overdue by 7 d 2 h\)/,
    );
    assert.match(md, /Check: findings at 2026-01-10T11:29:00.000Z — 1 title raised more than once/);
    assert.match(md, /> Turned off the MDE incident rule/);
    assert.match(md, /> \\<script\\>alert\(1\)\\<\/script\\>/);
    assert.doesNotMatch(md, /<script>/);
    assert.match(md, /\| Password spray \\\| \\<b\\>x\\<\/b\\> \| 3 \|/);
    assert.match(md, /```kql\nSecurityIncident \| where TimeGenerated > ago\(7d\)/);
    assert.match(md, /## Timeline\n\n- 2026-01-09T09:00:00.000Z — Cutover set to/);
    assert.match(md, /### RBAC role mapping\n\nNot run\./);
  });
});
