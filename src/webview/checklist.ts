// The migration checklist page: phases and items with checkboxes, notes, deadlines from the cutover
// time, "Run check" buttons with results inline, progress, exports. Every piece of data is set with
// textContent or attributes; the page never builds HTML from strings. State lives in the host.
import { formatTime, TimeFormat } from '../core/timeFormat';
import css from './checklist.css';
import type { ChecklistItem, CheckId } from '../core/migration/checklist';
import { deadlines, Deadline, nextDeadline } from '../core/migration/deadlines';
import type { CheckRun, ChecklistState } from '../core/migration/state';
import { GAP_LABEL } from '../core/migration/rbac';
import type { ChecklistPageState, ChecklistSnapshot, ChecklistToHost, HostToChecklist } from './_checklistProtocol';

declare function acquireVsCodeApi(): {
  postMessage(m: ChecklistToHost): void;
  getState(): ChecklistPageState | undefined;
  setState(s: ChecklistPageState): void;
};

const vscode = acquireVsCodeApi();
const send = (m: ChecklistToHost) => vscode.postMessage(m);

let snapshot: ChecklistSnapshot | undefined;
const running = new Set<CheckId>();
/** Per-check signature of the last rendered result, so unchanged results are not rebuilt. */
const rendered = new Map<HTMLElement, string>();

// --- DOM helpers (text only) ---------------------------------------------------------------------------

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string> = {},
  ...children: (Node | string | undefined | false)[]
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const c of children)
    if (c !== undefined && c !== false) e.append(typeof c === 'string' ? document.createTextNode(c) : c);
  return e;
}

function button(label: string, onClick: () => void, cls = '', title?: string): HTMLButtonElement {
  const b = el('button', { type: 'button', class: cls }, label);
  if (title) b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function fileLink(file: string, line: number | undefined, label?: string): HTMLElement {
  const text = label ?? (line ? `${file}:${line}` : file);
  if (!line || file.startsWith('alertRules (') || file.startsWith('<')) return el('span', { class: 'mono' }, text);
  const b = button(text, () => send({ type: 'openFile', file, line }), 'link mono', `Open ${file} at line ${line}`);
  b.dataset.file = file;
  b.dataset.line = String(line);
  return b;
}

function table(headers: string[], rows: (Node | string)[][], cls = ''): HTMLTableElement {
  return el(
    'table',
    { class: cls },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))),
  );
}

function badge(text: string, cls: string): HTMLElement {
  return el('span', { class: `badge ${cls}` }, text);
}

/** The one time format of the workbench (UTC ISO unless the user chose local time). */
let timeFormat: TimeFormat = 'utc';

function time(iso: string): string {
  return formatTime(iso, timeFormat);
}

/** datetime-local value for an ISO time, in local time. */
function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// --- skeleton ------------------------------------------------------------------------------------------

interface ItemView {
  item: ChecklistItem;
  li: HTMLLIElement;
  checkbox: HTMLInputElement;
  deadline: HTMLElement;
  note: HTMLTextAreaElement;
  noteDetails: HTMLDetailsElement;
  runButton?: HTMLButtonElement;
  result?: HTMLElement;
}

const views = new Map<string, ItemView>();
let built = false;
const app = () => document.getElementById('app')!;

function build(s: ChecklistSnapshot): void {
  const root = app();
  root.replaceChildren();
  views.clear();
  rendered.clear();

  const cutoverInput = el('input', {
    type: 'datetime-local',
    id: 'cutover',
    'aria-label': 'Cutover time (local time)',
  });
  const header = el(
    'header',
    { class: 'top' },
    el('h1', {}, 'Sentinel → Defender portal migration'),
    el('div', { class: 'muted', id: 'backend' }),
    el(
      'div',
      { class: 'toolbar' },
      el(
        'span',
        { id: 'progress-wrap' },
        el('progress', { id: 'progress', max: '1', value: '0', 'aria-label': 'Checklist progress' }),
        ' ',
        el('span', { id: 'progress-text' }),
      ),
      el('label', { for: 'cutover' }, 'Cutover', cutoverInput),
      button(
        'Set',
        () => {
          const v = cutoverInput.value;
          if (!v) return;
          const d = new Date(v);
          if (Number.isNaN(d.getTime())) return;
          send({ type: 'setCutover', cutover: d.toISOString() });
        },
        'secondary',
        'Use this time as the cutover: timed items become deadlines',
      ),
      button('Clear', () => send({ type: 'setCutover', cutover: null }), 'secondary', 'Forget the cutover time'),
      el('span', { id: 'next-deadline', role: 'status' }),
      button(
        'Export runbook',
        () => send({ type: 'exportRunbook' }),
        '',
        'Save the checklist, check results and timeline as Markdown',
      ),
      el('span', { id: 'notice', role: 'status', 'aria-live': 'polite' }),
    ),
  );
  cutoverInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') (cutoverInput.nextElementSibling as HTMLElement | null)?.click();
  });
  cutoverInput.id = 'cutover';
  root.append(header);

  for (const phase of s.model.phases) {
    const list = el('ul', { class: 'items' });
    root.append(
      el(
        'section',
        { 'data-phase': phase.id },
        el('h2', {}, phase.title, el('span', { class: 'timing' }, phase.timing)),
        list,
      ),
    );
    for (const item of s.model.items.filter((i) => i.phase === phase.id)) list.append(buildItem(item, s));
  }
  root.append(
    el(
      'section',
      { id: 'timeline-section' },
      el('h2', {}, 'Timeline'),
      el('ol', { id: 'timeline', class: 'timeline' }),
    ),
  );
  root.setAttribute('aria-busy', 'false');
  built = true;
}

function buildItem(item: ChecklistItem, s: ChecklistSnapshot): HTMLLIElement {
  const id = `item-${item.id.replace(/[^\w-]/g, '-')}`;
  const checkbox = el('input', { type: 'checkbox', id });
  checkbox.addEventListener('change', () => send({ type: 'setDone', itemId: item.id, done: checkbox.checked }));
  const deadline = el('span', { class: 'deadline' });
  const note = el('textarea', {
    'aria-label': `Notes for ${item.title}`,
    placeholder: 'Notes (saved for this workspace, included in the runbook)',
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const saveNote = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    send({ type: 'setNote', itemId: item.id, note: note.value });
  };
  note.addEventListener('input', () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(saveNote, 600);
  });
  note.addEventListener('blur', () => {
    if (timer) saveNote();
  });
  const noteDetails = el('details', { class: 'note' }, el('summary', {}, 'Notes'), note);
  const li = el(
    'li',
    { class: 'item', 'data-item': item.id },
    el('div', { class: 'item-head' }, checkbox, el('label', { for: id }, item.title), deadline),
    el('div', { class: 'item-body' }, el('p', { class: 'guidance' }, item.guidance)),
  );
  const body = li.querySelector('.item-body')!;
  const view: ItemView = { item, li, checkbox, deadline, note, noteDetails };
  if (item.check) {
    const info = s.model.checks.find((c) => c.id === item.check)!;
    const checkId = item.check;
    view.runButton = button(
      'Run check',
      () => send({ type: 'runCheck', checkId }),
      'secondary run-check',
      info.description,
    );
    view.runButton.dataset.check = checkId;
    view.result = el('div', { class: 'check-result-slot', 'data-check': checkId });
    body.append(
      el(
        'div',
        { class: 'check' },
        el('div', { class: 'check-bar' }, view.runButton, el('span', { class: 'muted' }, info.title)),
        view.result,
      ),
    );
  }
  body.append(noteDetails);
  views.set(item.id, view);
  return li;
}

// --- update --------------------------------------------------------------------------------------------

function update(): void {
  const s = snapshot;
  if (!s) return;
  if (!built) build(s);
  const state = s.state;
  const done = s.model.items.filter((i) => state.items[i.id]?.done).length;
  const progress = document.getElementById('progress') as HTMLProgressElement;
  progress.max = s.model.items.length;
  progress.value = done;
  document.getElementById('progress-text')!.textContent = `${done} of ${s.model.items.length} done`;
  document.getElementById('backend')!.textContent = `Checks run on: ${s.backend}`;
  const cutover = document.getElementById('cutover') as HTMLInputElement;
  if (document.activeElement !== cutover) cutover.value = toLocalInput(state.cutover);

  const all = deadlines(
    s.model.items,
    state.cutover ? new Date(state.cutover) : undefined,
    new Date(),
    (id) => !!state.items[id]?.done,
  );
  const byItem = new Map<string, Deadline>(all.map((d) => [d.itemId, d]));
  const next = nextDeadline(all);
  const nextEl = document.getElementById('next-deadline')!;
  nextEl.replaceChildren();
  if (!state.cutover)
    nextEl.append(el('span', { class: 'muted' }, 'Set the cutover time to turn timed items into deadlines.'));
  else if (next) nextEl.append('Next: ', next.title, ' ', badge(next.label, next.status));
  else nextEl.append(el('span', { class: 'muted' }, 'All timed items done.'));

  for (const v of views.values()) {
    const st = state.items[v.item.id];
    v.checkbox.checked = !!st?.done;
    v.li.classList.toggle('done', !!st?.done);
    if (document.activeElement !== v.note) v.note.value = st?.note ?? '';
    if (st?.note && !v.noteDetails.open && !v.noteDetails.dataset.touched) v.noteDetails.open = true;
    const d = byItem.get(v.item.id);
    v.deadline.replaceChildren();
    if (d) {
      const b = badge(d.label, d.status);
      b.title = `Due ${time(d.due)}${d.notBefore ? `, not before ${time(d.notBefore)}` : ''}`;
      v.deadline.append(b);
    }
    if (v.runButton && v.result && v.item.check) {
      const isRunning = running.has(v.item.check);
      v.runButton.disabled = isRunning;
      v.runButton.textContent = isRunning ? 'Running…' : state.checks[v.item.check] ? 'Run again' : 'Run check';
      renderResult(v.result, state.checks[v.item.check], state);
    }
  }

  const timeline = document.getElementById('timeline')!;
  timeline.replaceChildren(
    ...state.timeline
      .slice(-30)
      .reverse()
      .map((e) => el('li', {}, el('span', { class: 'muted' }, time(e.at)), ' — ', e.event)),
  );
  if (!state.timeline.length) timeline.append(el('li', { class: 'muted' }, 'Nothing recorded yet.'));
}

function renderResult(slot: HTMLElement, run: CheckRun | undefined, state: ChecklistState): void {
  const signature = run ? `${run.ranAt}|${run.checkId === 'rbac' ? JSON.stringify(state.rbac) : ''}` : '';
  if (rendered.get(slot) === signature) return;
  rendered.set(slot, signature);
  slot.replaceChildren();
  if (!run) return;
  const box = el('div', {
    class: `check-result ${run.status}`,
    role: run.status === 'error' ? 'alert' : 'region',
    'aria-label': `Result of ${run.checkId}`,
  });
  box.append(
    el(
      'p',
      {},
      badge(run.status === 'ok' ? 'ok' : run.status === 'error' ? 'failed' : 'findings', run.status),
      ' ',
      el('strong', { class: 'summary' }, run.summary),
      ' ',
      el('span', { class: 'muted' }, `— ${time(run.ranAt)}${run.source ? ` on ${run.source}` : ''}`),
    ),
  );
  if (run.status === 'error') {
    box.append(el('p', { class: 'error-message' }, run.error ?? 'The check failed.'));
  } else {
    box.append(...resultBody(run, state));
  }
  slot.append(box);
}

function resultBody(run: CheckRun, state: ChecklistState): Node[] {
  switch (run.checkId) {
    case 'duplicateIncidents': {
      const d = run.data;
      if (!d) return [];
      const out: Node[] = [
        el(
          'p',
          {},
          button(
            'Open query',
            () => send({ type: 'openQuery', query: d.query }),
            'link',
            'Open the query in a new KQL editor',
          ),
        ),
      ];
      if (d.rows.length) {
        out.push(
          table(
            ['Title', 'Incidents'],
            d.rows.map((r) => [r.title, el('span', { class: 'num' }, String(r.count))]),
            'duplicate-incidents',
          ),
        );
        out.push(el('p', {}, el('strong', {}, 'Cause: '), d.cause), el('p', {}, el('strong', {}, 'Fix: '), d.fix));
      }
      if (d.incidentCreationRules?.length) {
        out.push(
          el('h3', {}, `Microsoft incident creation rules in the rule files (${d.incidentCreationRules.length})`),
        );
        out.push(
          table(
            ['Rule', 'Enabled', 'Where'],
            d.incidentCreationRules.map((r) => [
              r.title,
              badge(r.enabled === false ? 'off' : 'on', r.enabled === false ? 'ok' : 'no'),
              fileLink(r.file, r.line),
            ]),
            'incident-creation-rules',
          ),
        );
      }
      return out;
    }
    case 'connectors': {
      const d = run.data;
      if (!d) return [];
      const out: Node[] = [
        el(
          'p',
          { class: 'muted' },
          `Before: ${d.beforeCount} connected (${d.beforeSource}). Now: ${d.currentCount} connected (${d.currentSource}).`,
        ),
      ];
      if (d.appeared.length) {
        out.push(
          table(
            ['Connector', 'Id', 'Auto-enables', 'Change', 'What to do'],
            d.appeared.map((a) => [
              a.name || a.product || a.connectorId,
              el('span', { class: 'mono' }, a.connectorId),
              badge(a.autoEnable, a.autoEnable),
              a.change === 'new' ? 'new' : 'switched on',
              a.note,
            ]),
            'connectors',
          ),
        );
      }
      if (d.disappeared.length)
        out.push(
          el(
            'p',
            {},
            el('strong', {}, 'Gone or off since the cutover: '),
            d.disappeared.map((r) => r.name || r.connectorId).join(', '),
          ),
        );
      if (d.expectedNotSeen.length)
        out.push(
          el(
            'p',
            { class: 'muted' },
            `Did not appear: ${d.expectedNotSeen.map((e) => `${e.product} (${e.autoEnable}; ${e.reason})`).join('; ')}`,
          ),
        );
      const links = el('p', { class: 'check-bar' });
      if (d.queries?.before) {
        const q = d.queries.before;
        links.append(button('Open query (before)', () => send({ type: 'openQuery', query: q }), 'link'));
      }
      if (d.queries?.current) {
        const q = d.queries.current;
        links.append(button('Open query (now)', () => send({ type: 'openQuery', query: q }), 'link'));
      }
      links.append(
        button(
          'Capture current inventory',
          () => send({ type: 'captureInventory' }),
          'secondary',
          'Store the current connector list as the before-cutover inventory (for Azure workspaces)',
        ),
      );
      out.push(links);
      return out;
    }
    case 'ruleTitles': {
      const d = run.data;
      if (!d) return [];
      const r = d.report;
      const out: Node[] = [];
      const ruleLinks = (rules: { id: string; file: string; line: number; title?: string }[]) =>
        el(
          'div',
          { class: 'links' },
          ...rules.map((x) =>
            el(
              'span',
              {},
              fileLink(x.file, x.line),
              ' ',
              el('span', { class: 'muted mono' }, x.id),
              x.title !== undefined ? ` “${x.title}”` : '',
            ),
          ),
        );
      out.push(el('h3', {}, `Duplicate titles (${r.duplicateTitles.length})`));
      if (r.duplicateTitles.length)
        out.push(
          table(
            ['Title', 'Rules'],
            r.duplicateTitles.map((g) => [g.title, ruleLinks(g.rules)]),
            'duplicate-titles',
          ),
        );
      if (r.copiedRules?.length) {
        out.push(el('h3', {}, `Copies of one rule (${r.copiedRules.length})`));
        out.push(el('p', { class: 'muted' }, 'The same rule id in several files: one rule, not a title collision.'));
        out.push(
          table(
            ['Title', 'Files'],
            r.copiedRules.map((g) => [g.title, ruleLinks(g.rules)]),
            'copied-rules',
          ),
        );
      }
      if (r.skipped?.length) {
        out.push(el('h3', {}, `Skipped: no query (${r.skipped.length})`));
        out.push(
          table(
            ['Title', 'File'],
            r.skipped.map((k) => [k.title, fileLink(k.file, k.line)]),
            'skipped-rules',
          ),
        );
      }
      out.push(el('h3', {}, `Near-duplicate titles (${r.nearDuplicateTitles.length})`));
      if (r.nearDuplicateTitles.length)
        out.push(
          table(
            ['Titles', 'Rules'],
            r.nearDuplicateTitles.map((g) => [g.titles.join(' ~ '), ruleLinks(g.rules)]),
            'near-duplicate-titles',
          ),
        );
      out.push(el('h3', {}, `Naming violations (${r.namingViolations.length})`));
      if (r.namingViolations.length)
        out.push(
          table(
            ['Title', 'Rule', 'Problem'],
            r.namingViolations.map((v) => [v.title, fileLink(v.file, v.line), v.reason]),
            'naming-violations',
          ),
        );
      if (r.errors.length) {
        out.push(el('h3', {}, `Files that could not be read (${r.errors.length})`));
        out.push(
          table(
            ['File', 'Error'],
            r.errors.map((e) => [fileLink(e.file, e.line ?? 1, e.line ? `${e.file}:${e.line}` : e.file), e.message]),
            'rule-errors',
          ),
        );
      }
      out.push(
        el(
          'p',
          { class: 'check-bar' },
          button('Export title → rule id map (CSV)', () => send({ type: 'exportTitleMap' }), 'secondary'),
          el(
            'span',
            { class: 'muted' },
            d.sources.length ? `From ${d.sources.join(', ')}` : 'No rule files found in the workspace.',
          ),
        ),
      );
      return out;
    }
    case 'rbac': {
      const m = run.data?.mappings ?? [];
      return [
        table(
          ['Confirmed', 'Sentinel role', 'Defender portal role', 'Gap', 'What to do'],
          m.map((x) => {
            const box = el('input', {
              type: 'checkbox',
              'aria-label': `Confirmed: ${x.sentinelRole} → ${x.defenderRole}`,
            });
            box.checked = !!state.rbac[x.id]?.done;
            box.addEventListener('change', () => send({ type: 'setRbac', mappingId: x.id, done: box.checked }));
            return [
              box,
              x.sentinelRole,
              x.defenderRole,
              badge(GAP_LABEL[x.gap], x.gap === 'none' ? 'ok' : x.gap === 'large' ? 'no' : 'conditional'),
              x.detail,
            ];
          }),
          'rbac',
        ),
      ];
    }
    case 'automation': {
      const d = run.data;
      if (!d) return [];
      const out: Node[] = [el('p', { class: 'callout' }, el('strong', {}, 'Parallel run: '), d.reminder)];
      if (d.rules.length) {
        out.push(
          table(
            ['Automation rule', 'Trigger', 'Conditions', 'Actions'],
            d.rules.map((r) => [
              el('span', {}, r.displayName, r.file ? el('br') : '', r.file ? fileLink(r.file, r.line) : ''),
              r.trigger,
              el(
                'div',
                { class: 'links' },
                ...(r.conditions.length ? r.conditions : ['none: every incident']).map((c) => el('span', {}, c)),
              ),
              el('div', { class: 'links' }, ...(r.actions.length ? r.actions : ['none']).map((a) => el('span', {}, a))),
            ]),
            'automation',
          ),
        );
      }
      for (const e of d.errors) out.push(el('p', { class: 'error-message' }, `${e.file}: ${e.message}`));
      out.push(
        el(
          'p',
          {},
          button('Export inventory (Markdown)', () => send({ type: 'exportAutomation' }), 'secondary'),
        ),
      );
      return out;
    }
  }
}

// --- messages ------------------------------------------------------------------------------------------

window.addEventListener('message', (event: MessageEvent<HostToChecklist>) => {
  const m = event.data;
  switch (m?.type) {
    case 'state':
      snapshot = m.snapshot;
      timeFormat = m.snapshot.timeFormat ?? 'utc';
      running.clear();
      for (const id of m.snapshot.running) running.add(id);
      update();
      break;
    case 'running':
      if (m.running) running.add(m.checkId);
      else running.delete(m.checkId);
      update();
      break;
    case 'notice': {
      const n = document.getElementById('notice');
      if (n) {
        n.textContent = m.text;
        n.className = m.kind === 'error' ? 'error' : '';
      }
      break;
    }
  }
});

function init(): void {
  const style = document.createElement('style');
  style.nonce = document.body.dataset.nonce ?? '';
  style.textContent = css;
  document.head.append(style);
  document.addEventListener(
    'toggle',
    (e) => {
      const t = e.target as HTMLElement;
      if (t instanceof HTMLDetailsElement) t.dataset.touched = '1';
    },
    true,
  );
  let scrollTimer: ReturnType<typeof setTimeout> | undefined;
  window.addEventListener('scroll', () => {
    if (scrollTimer) clearTimeout(scrollTimer);
    scrollTimer = setTimeout(() => vscode.setState({ scrollY: window.scrollY }), 200);
  });
  // Deadlines move with the clock.
  setInterval(update, 30_000);
  send({ type: 'ready' });
  const saved = vscode.getState();
  if (saved?.scrollY) setTimeout(() => window.scrollTo(0, saved.scrollY ?? 0), 50);
}

init();
