// The migration runbook as Markdown: cutover time, every item with its tick, deadline and note, the
// last result of each check with its timestamp, and the timeline. Text from files and servers is
// escaped so it cannot turn into HTML or links when the runbook is rendered.
import { mdText } from './automation';
import type { ChecklistModel } from './checklist';
import { deadlines } from './deadlines';
import { GAP_LABEL } from './rbac';
import { ChecklistState, CheckRun, progress } from './state';

export interface RunbookOptions {
  now: Date;
  /** Active backend, e.g. "local demo lake". */
  backend?: string;
  workspaceName?: string;
}

export function renderRunbook(model: ChecklistModel, state: ChecklistState, options: RunbookOptions): string {
  const out: string[] = [];
  const cutover = state.cutover ? new Date(state.cutover) : undefined;
  const { done, total } = progress(state);
  const dl = new Map(
    deadlines(model.items, cutover, options.now, (id) => !!state.items[id]?.done).map((d) => [d.itemId, d]),
  );

  out.push('# Sentinel → Defender portal migration runbook', '');
  if (options.workspaceName) out.push(`- Workspace: ${mdText(options.workspaceName)}`);
  if (options.backend) out.push(`- Backend: ${mdText(options.backend)}`);
  out.push(`- Cutover: ${cutover ? cutover.toISOString() : 'not set'}`);
  out.push(`- Progress: ${done} of ${total} items done`);
  out.push(`- Exported: ${options.now.toISOString()}`, '');

  for (const phase of model.phases) {
    out.push(`## ${mdText(phase.title)} (${mdText(phase.timing)})`, '');
    for (const item of model.items.filter((i) => i.phase === phase.id)) {
      const st = state.items[item.id];
      const d = dl.get(item.id);
      const when = d ? ` — due ${d.due}${d.status === 'done' ? '' : ` (${d.label})`}` : '';
      const doneAt = st?.done && st.doneAt ? ` — done ${st.doneAt}` : '';
      out.push(`- [${st?.done ? 'x' : ' '}] **${mdText(item.title)}**${when}${doneAt}`);
      out.push(`  ${mdText(item.guidance)}`);
      if (item.check) {
        const run = state.checks[item.check];
        out.push(`  Check: ${run ? `${run.status} at ${run.ranAt} — ${mdText(run.summary)}` : 'not run'}`);
      }
      if (st?.note) {
        for (const line of st.note.split(/\r?\n/)) out.push(`  > ${mdText(line)}`);
      }
    }
    out.push('');
  }

  out.push('## Check results', '');
  for (const check of model.checks) {
    const run = state.checks[check.id];
    out.push(`### ${mdText(check.title)}`, '');
    if (!run) {
      out.push('Not run.', '');
      continue;
    }
    out.push(
      `Ran ${run.ranAt}${run.source ? ` on ${mdText(run.source)}` : ''}: **${run.status}** — ${mdText(run.summary)}`,
      '',
    );
    if (run.status === 'error' && run.error) out.push(`Error: ${mdText(run.error)}`, '');
    out.push(...checkDetails(run, state), '');
  }

  out.push('## Timeline', '');
  if (!state.timeline.length) out.push('Nothing recorded yet.');
  for (const e of state.timeline) out.push(`- ${e.at} — ${mdText(e.event)}`);
  out.push('');
  return out.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  if (!rows.length) return [];
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(mdText).join(' | ')} |`),
  ];
}

function checkDetails(run: CheckRun, state: ChecklistState): string[] {
  const out: string[] = [];
  switch (run.checkId) {
    case 'duplicateIncidents': {
      const d = run.data;
      if (!d) break;
      out.push('```kql', d.query, '```', '');
      out.push(
        ...table(
          ['Title', 'Incidents'],
          d.rows.map((r) => [r.title, String(r.count)]),
        ),
      );
      if (d.rows.length) out.push('', `Cause: ${mdText(d.cause)}`, '', `Fix: ${mdText(d.fix)}`);
      if (d.incidentCreationRules?.length) {
        out.push('', 'Microsoft incident creation rules found:', '');
        out.push(
          ...table(
            ['Rule', 'Enabled', 'Source'],
            d.incidentCreationRules.map((r) => [r.title, r.enabled === false ? 'no' : 'yes', `${r.file}:${r.line}`]),
          ),
        );
      }
      break;
    }
    case 'connectors': {
      const d = run.data;
      if (!d) break;
      out.push(
        `Before: ${d.beforeCount} connected (${mdText(d.beforeSource)}); now: ${d.currentCount} connected (${mdText(d.currentSource)}).`,
        '',
      );
      out.push(
        ...table(
          ['Connector', 'Id', 'Auto-enables', 'Change', 'Note'],
          d.appeared.map((a) => [
            a.name || a.product || a.connectorId,
            a.connectorId,
            a.autoEnable,
            a.change === 'new' ? 'new' : 'switched on',
            a.note,
          ]),
        ),
      );
      if (d.disappeared.length)
        out.push(
          '',
          `Gone or off since the cutover: ${d.disappeared.map((r) => mdText(r.name || r.connectorId)).join(', ')}`,
        );
      break;
    }
    case 'ruleTitles': {
      const r = run.data?.report;
      if (!r) break;
      out.push(
        ...table(
          ['Duplicate title', 'Rules'],
          r.duplicateTitles.map((d) => [d.title, d.rules.map((x) => `${x.id} (${x.file}:${x.line})`).join('; ')]),
        ),
      );
      if (r.copiedRules?.length) {
        out.push('');
        out.push(
          ...table(
            ['Copies of one rule', 'Files'],
            r.copiedRules.map((c) => [`${c.title} (${c.id})`, c.rules.map((x) => `${x.file}:${x.line}`).join('; ')]),
          ),
        );
      }
      if (r.nearDuplicateTitles.length) out.push('');
      out.push(
        ...table(
          ['Near-duplicate titles', 'Rules'],
          r.nearDuplicateTitles.map((d) => [
            d.titles.join(' ~ '),
            d.rules.map((x) => `${x.id} (${x.file}:${x.line})`).join('; '),
          ]),
        ),
      );
      if (r.namingViolations.length) out.push('');
      out.push(
        ...table(
          ['Title', 'Rule', 'Naming problem'],
          r.namingViolations.map((v) => [v.title, `${v.id} (${v.file}:${v.line})`, v.reason]),
        ),
      );
      if (r.errors.length) out.push('');
      out.push(
        ...table(
          ['File', 'Error'],
          r.errors.map((e) => [`${e.file}${e.line ? `:${e.line}` : ''}`, e.message]),
        ),
      );
      break;
    }
    case 'rbac': {
      const m = run.data?.mappings ?? [];
      out.push(
        ...table(
          ['Confirmed', 'Sentinel role', 'Defender portal role', 'Gap', 'What to do'],
          m.map((x) => [
            state.rbac[x.id]?.done ? 'yes' : 'no',
            x.sentinelRole,
            x.defenderRole,
            GAP_LABEL[x.gap],
            x.detail,
          ]),
        ),
      );
      break;
    }
    case 'automation': {
      const d = run.data;
      if (!d) break;
      out.push(
        ...table(
          ['Automation rule', 'Trigger', 'Conditions', 'Actions'],
          d.rules.map((r) => [
            r.displayName,
            r.trigger,
            r.conditions.join('; ') || 'none',
            r.actions.join('; ') || 'none',
          ]),
        ),
      );
      out.push('', `Reminder: ${mdText(d.reminder)}`);
      break;
    }
  }
  return out;
}
