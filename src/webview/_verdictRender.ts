// Renders a verdict to an HTML string. Every piece of server text is escaped; the narrative is Markdown
// rendered with raw HTML disabled, images off and links limited to http(s)/mailto. Buttons carry
// data-action attributes (no inline handlers: the CSP would block them anyway).
import MarkdownIt from 'markdown-it';
import { ANALYZER_DEFAULTS, type AnalysisResult, type EvidenceItem } from '../core/analyzer/types';
import { highlightKql } from './_kqlHighlight';
import type { VerdictMeta } from './_verdictProtocol';

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;

const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
md.disable(['image']);
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());
const defaultLinkOpen =
  md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Markdown with HTML disabled and only safe links. */
export function renderMarkdown(text: string): string {
  return md.render(String(text ?? ''));
}

export type VerdictTone = 'bad' | 'warn' | 'ok';

export function verdictTone(verdict: string): VerdictTone {
  if (verdict === 'Compromised' || verdict === 'Malicious') return 'bad';
  if (verdict.startsWith('Suspicious')) return 'warn';
  return 'ok';
}

/** "12 min ago" / "in 48 min". */
export function relativeTime(t: number, now: number): string {
  const diff = now - t;
  const abs = Math.abs(diff);
  const unit =
    abs < 60_000
      ? `${Math.round(abs / 1000)}s`
      : abs < 3600_000
        ? `${Math.round(abs / 60_000)} min`
        : `${(abs / 3600_000).toFixed(1)} h`;
  return diff >= 0 ? `${unit} ago` : `in ${unit}`;
}

function when(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return escapeHtml(iso);
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC'))}</time> <span class="muted rel" data-time="${t}">(${relativeTime(t, now)})</span>`;
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return escapeHtml(typeof value === 'object' ? JSON.stringify(value) : String(value));
}

const MAX_ROWS = 20;

/** The card opened at first: the strongest evidence (highest weight), else the first. */
export function strongestEvidence(items: EvidenceItem[]): number {
  let best = 0;
  items.forEach((e, i) => {
    if ((e.weight ?? -Infinity) > (items[best].weight ?? -Infinity)) best = i;
  });
  return best;
}

function evidenceCard(item: EvidenceItem, index: number, open: boolean): string {
  const columns: string[] = [];
  for (const row of item.rows.slice(0, MAX_ROWS))
    for (const k of Object.keys(row ?? {})) if (!columns.includes(k)) columns.push(k);
  const table = item.rows.length
    ? `<div class="rows"><table><thead><tr>${columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${item.rows
        .slice(0, MAX_ROWS)
        .map((r) => `<tr>${columns.map((c) => `<td>${cell((r ?? {})[c])}</td>`).join('')}</tr>`)
        .join(
          '',
        )}</tbody></table>${item.rows.length > MAX_ROWS ? `<p class="muted">${item.rows.length - MAX_ROWS} more rows — run the query to see them all.</p>` : ''}</div>`
    : '<p class="muted">No rows.</p>';
  // Cards fold: the strongest opens, the rest show their title line until clicked.
  return `<details class="evidence" data-index="${index}"${open ? ' open' : ''}>
<summary><h3>${escapeHtml(item.title)}</h3><span class="chip">${escapeHtml(item.table)}</span>${
    typeof item.weight === 'number'
      ? `<span class="chip weight" title="Contribution to the score">+${escapeHtml(item.weight)}</span>`
      : ''
  }<span class="chip">${item.rows.length} row${item.rows.length === 1 ? '' : 's'}</span></summary>
${item.detail ? `<p>${escapeHtml(item.detail)}</p>` : ''}
<pre class="kql"><code>${highlightKql(item.query)}</code></pre>
<div class="actions"><button type="button" class="secondary" data-action="openQuery" data-index="${index}">Open query</button><button type="button" class="secondary" data-action="runQuery" data-index="${index}">Run</button></div>
${table}
</details>`;
}

/** The whole verdict body. `now` for relative times. */
export function renderVerdict(result: AnalysisResult, meta: VerdictMeta, now: number): string {
  const tone = verdictTone(result.verdict);
  // The service's expiry when it sent one, else the documented one-hour lifetime after the run.
  const expiresAt =
    result.expiresAt ?? new Date(Date.parse(result.completedAt) + ANALYZER_DEFAULTS.resultLifetimeMs).toISOString();
  const expired = Date.parse(expiresAt) <= now;
  const parts: string[] = [];
  parts.push(`<header class="top">
<div class="entity"><span class="kind">${result.entity.type === 'User' ? 'User' : 'URL'}</span> <span class="id">${escapeHtml(result.entity.id)}</span></div>
<div class="verdict ${tone}" role="status"><span class="badge">${escapeHtml(result.verdict)}</span>${result.confidence ? `<span class="confidence">${escapeHtml(result.confidence)} confidence</span>` : ''}</div>
</header>`);
  if (result.source === 'sentinel') {
    parts.push(
      '<p class="ai-note" role="note">AI-generated content from Microsoft Sentinel\'s Entity Analyzer may be incorrect. Check the evidence before acting.</p>',
    );
  }
  if (meta.fromCache)
    parts.push(
      `<p class="cache-note">Cached result from an earlier run${expired ? ' — it has expired; re-run for a current verdict' : ''}.</p>`,
    );
  else if (expired) parts.push('<p class="cache-note">This result has expired; re-run for a current verdict.</p>');
  parts.push(`<dl class="facts">
<dt>Window</dt><dd>${escapeHtml(result.window.startTime)} → ${escapeHtml(result.window.endTime)}</dd>
<dt>Ran</dt><dd>${when(result.completedAt, now)}</dd>
<dt>${expired ? 'Expired' : 'Expires'}</dt><dd>${when(expiresAt, now)}</dd>
<dt>Source</dt><dd>${result.source === 'sentinel' ? 'Microsoft Sentinel Entity Analyzer' : 'Local analyzer'} · ${escapeHtml(meta.backendLabel)}</dd>
</dl>`);
  parts.push(
    `<div class="toolbar"><button type="button" data-action="addComment">Add as incident comment</button><button type="button" class="secondary" data-action="copyMarkdown">Copy as Markdown</button><button type="button" class="secondary" data-action="rerun">Re-run</button></div>`,
  );
  parts.push(`<section class="summary"><h2>Summary</h2><p>${escapeHtml(result.summary)}</p></section>`);
  if (result.narrative)
    parts.push(
      `<section class="narrative"><h2>Reasoning</h2><div class="md">${renderMarkdown(result.narrative)}</div></section>`,
    );
  if (result.missingTables.length || result.disclaimer) {
    parts.push(
      `<section class="disclaimer" role="note"><h2>Data coverage</h2>${
        result.missingTables.length
          ? `<p>Missing tables: ${result.missingTables.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}.</p>`
          : ''
      }${result.disclaimer ? `<p>${escapeHtml(result.disclaimer)}</p>` : ''}</section>`,
    );
  }
  parts.push(
    `<section class="evidence-list"><h2>Evidence (${result.evidence.length})</h2>${
      result.evidence.length
        ? result.evidence.map((e, i) => evidenceCard(e, i, i === strongestEvidence(result.evidence))).join('\n')
        : '<p class="muted">No evidence items.</p>'
    }</section>`,
  );
  if (result.recommendations.length) {
    parts.push(
      `<section class="recommendations"><h2>Recommendations</h2><ul>${result.recommendations.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul></section>`,
    );
  }
  return parts.join('\n');
}
