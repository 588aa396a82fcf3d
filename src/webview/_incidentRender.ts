// Renders an incident to an HTML string. All text from the backend is escaped; the description and the
// comments are Markdown rendered with raw HTML disabled (renderMarkdown). Buttons carry data-action.
import type { VerdictMention } from '../core/analyzer/markdown';
import { entityKindName } from '../core/entities/kindNames';
import type { Alert, Entity, IncidentComment } from '../core/backends/types';
import { MAX_COMMENT_CHARS } from '../core/backends/limits';
import { formatTime, TimeFormat } from '../core/timeFormat';
import type { IncidentView } from './_incidentProtocol';
import { escapeHtml, renderMarkdown, verdictTone } from './_verdictRender';

const ANALYZABLE = new Set(['Account', 'Url']);

function time(iso: string | undefined, format: TimeFormat): string {
  if (!iso) return '<span class="muted">—</span>';
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(formatTime(iso, format))}</time>`;
}

function chip(text: string, cls = ''): string {
  return `<span class="chip ${cls}">${escapeHtml(text)}</span>`;
}

function verdictBadge(v: VerdictMention): string {
  return (
    `<span class="verdict-badge ${verdictTone(v.verdict)}" title="${escapeHtml(`${v.entityType === 'User' ? 'User' : 'URL'} ${v.entity}: ${v.verdict} (${v.confidence} confidence)${v.analyzedAt ? `, analyzed ${v.analyzedAt}` : ''}`)}">` +
    `<span class="verdict-entity">${escapeHtml(v.entity)}</span> ${escapeHtml(v.verdict)}</span>`
  );
}

function actions(view: IncidentView): string {
  const i = view.details.incident;
  const mine = !!view.me && (i.owner ?? '').toLowerCase() === view.me.toLowerCase();
  // One primary button: the next step of triage.
  const primary = i.status === 'Closed' ? 'reopen' : mine ? 'close' : 'assignToMe';
  const button = (action: string, label: string) =>
    `<button data-action="${action}" class="${action === primary ? '' : 'secondary'}">${escapeHtml(label)}</button>`;
  const parts = [
    i.status !== 'Closed' && !mine ? button('assignToMe', 'Assign to me') : '',
    button('assign', 'Assign to…'),
    button('status', 'Change status…'),
    button('severity', 'Change severity…'),
    i.status === 'Closed' ? button('reopen', 'Reopen') : button('close', 'Close incident…'),
    i.url && /^https:\/\//i.test(i.url) ? button('portal', 'Open in portal') : '',
    button('refresh', 'Refresh'),
  ];
  return `<div class="actions" role="toolbar" aria-label="Incident actions">${parts.join('')}</div>`;
}

function facts(view: IncidentView): string {
  const i = view.details.incident;
  const f = view.timeFormat;
  const row = (k: string, v: string) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`;
  const classification = i.classification
    ? `${escapeHtml(i.classification)}${i.classificationReason ? ` · ${escapeHtml(i.classificationReason)}` : ''}${i.classificationComment ? `<div class="muted">${escapeHtml(i.classificationComment)}</div>` : ''}`
    : '<span class="muted">—</span>';
  return `<dl class="facts">${[
    row('Severity', `<span class="sev sev-${escapeHtml(i.severity.toLowerCase())}">${escapeHtml(i.severity)}</span>`),
    row('Status', `<span class="status" data-field="status">${escapeHtml(i.status)}</span>`),
    row(
      'Owner',
      i.owner
        ? `<span data-field="owner">${escapeHtml(i.owner)}</span>`
        : '<span class="muted" data-field="owner">Unassigned</span>',
    ),
    row('Classification', `<span data-field="classification">${classification}</span>`),
    row('Created', time(i.createdTime, f)),
    row('Last modified', time(i.lastModifiedTime, f)),
    row('First activity', time(i.firstActivityTime, f)),
    row('Last activity', time(i.lastActivityTime, f)),
    row('Tactics', i.tactics.length ? i.tactics.map((t) => chip(t)).join(' ') : '<span class="muted">—</span>'),
    row('Alerts', escapeHtml(String(i.alertsCount || view.details.alerts.length))),
    row('Backend', escapeHtml(view.backendLabel)),
  ].join('')}</dl>`;
}

function alertsTimeline(alerts: Alert[], f: TimeFormat): string {
  if (!alerts.length) return '<p class="muted">No alerts.</p>';
  const sorted = [...alerts].sort(
    (a, b) => (Date.parse(a.startTime ?? '') || 0) - (Date.parse(b.startTime ?? '') || 0),
  );
  return `<ol class="timeline">${sorted
    .map(
      (a) => `<li class="sev-${escapeHtml(a.severity.toLowerCase())}">
<div class="when">${time(a.startTime, f)}${a.endTime && a.endTime !== a.startTime ? ` <span class="muted">→ ${escapeHtml(formatTime(a.endTime, f))}</span>` : ''}</div>
<div class="what"><strong>${escapeHtml(a.name)}</strong> ${chip(a.severity)}${a.productName ? ` <span class="muted">${escapeHtml(a.productName)}</span>` : ''}</div>
${a.tactics.length ? `<div class="muted">${a.tactics.map(escapeHtml).join(', ')}</div>` : ''}
${a.description ? `<div class="desc">${escapeHtml(a.description)}</div>` : ''}
</li>`,
    )
    .join('')}</ol>`;
}

function entitiesTable(entities: Entity[]): string {
  if (!entities.length) return '<p class="muted">No entities.</p>';
  const rows = entities.map((e) => {
    const key = escapeHtml(e.key);
    const buttons = [
      ANALYZABLE.has(e.kind)
        ? `<button class="secondary" data-entity-action="analyze" data-key="${key}">Analyze</button>`
        : '',
      `<button class="secondary" data-entity-action="baseline" data-key="${key}">Baseline</button>`,
      `<button class="secondary" data-entity-action="copy" data-key="${key}">Copy</button>`,
    ].join('');
    return `<tr><td class="muted">${escapeHtml(entityKindName(e.kind))}</td><td class="entity-name">${escapeHtml(e.displayName)}</td><td class="entity-actions">${buttons}</td></tr>`;
  });
  return `<table class="entities"><tbody>${rows.join('')}</tbody></table>`;
}

function comments(list: IncidentComment[], f: TimeFormat): string {
  const items = list.map(
    (c) => `<article class="comment">
<header><strong>${escapeHtml(c.author ?? 'Unknown author')}</strong> <span class="muted">${time(c.createdTime, f)}</span></header>
<div class="md">${renderMarkdown(c.message)}</div>
</article>`,
  );
  return `${items.length ? items.join('') : '<p class="muted">No comments yet.</p>'}
<form class="add-comment" data-form="comment">
<label for="comment-text">Add a comment</label>
<textarea id="comment-text" rows="4" maxlength="${MAX_COMMENT_CHARS}" placeholder="What you found or did (Markdown)"></textarea>
<div><button type="submit" class="secondary" data-action="comment">Add comment</button></div>
</form>`;
}

export function renderIncident(view: IncidentView): string {
  const { incident: i, alerts, entities } = view.details;
  const comments_ = view.details.comments ?? [];
  return `<header class="top">
<div><div class="muted kind">Incident #${escapeHtml(String(i.number))}</div><h1 class="title">${escapeHtml(i.title)}</h1></div>
<div class="badges">${chip(i.severity, `sev sev-${i.severity.toLowerCase()}`)} ${chip(i.status, 'status')}${i.classification ? ` ${chip(i.classification, 'classification')}` : ''}</div>
</header>
${view.verdicts.length ? `<div class="verdicts" aria-label="Verdicts">${view.verdicts.map(verdictBadge).join(' ')}</div>` : ''}
${actions(view)}
${facts(view)}
<section><h2>Description</h2>${i.description ? `<div class="md">${renderMarkdown(i.description)}</div>` : '<p class="muted">No description.</p>'}</section>
<section><h2>Alerts <span class="muted">${alerts.length}</span></h2>${alertsTimeline(alerts, view.timeFormat)}</section>
<section><h2>Entities <span class="muted">${entities.length}</span></h2>${entitiesTable(entities)}</section>
<section><h2>Comments <span class="muted">${comments_.length}</span></h2>${comments(comments_, view.timeFormat)}</section>`;
}
