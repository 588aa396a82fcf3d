// Plain Markdown of a verdict for "Copy as Markdown" and incident comments. Server text is untrusted:
// angle brackets are escaped so the text cannot become HTML where the Markdown is rendered.
import { formatDuration } from './clock';
import type { AnalysisResult } from './types';

/** Escapes text for Markdown prose: HTML-significant characters and emphasis/link syntax. */
export function escapeMarkdownText(text: string): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|])/g, '\\$1');
}

function fence(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((m) => m.length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}kusto\n${code}\n${ticks}`;
}

export interface MarkdownOptions {
  /** Include each evidence item's KQL. */
  queries?: boolean;
  /** Most characters (incident comments are limited); the text is cut at a line end with a note. */
  maxLength?: number;
  now?: number;
}

export function verdictToMarkdown(result: AnalysisResult, options: MarkdownOptions = {}): string {
  const e = escapeMarkdownText;
  const who = result.entity.type === 'User' ? 'User' : 'URL';
  const lines: string[] = [];
  lines.push(
    `### Entity Analyzer: ${e(result.verdict)}${result.confidence ? ` (${e(result.confidence)} confidence)` : ''}`,
  );
  lines.push('');
  lines.push(`**${who}:** ${e(result.entity.id)}  `);
  lines.push(`**Window:** ${e(result.window.startTime)} → ${e(result.window.endTime)}  `);
  const ran =
    options.now !== undefined && Number.isFinite(Date.parse(result.completedAt))
      ? ` (${formatDuration(options.now - Date.parse(result.completedAt))} ago)`
      : '';
  lines.push(
    `**Analyzed:** ${e(result.completedAt)}${ran} · ${result.source === 'sentinel' ? 'Microsoft Sentinel Entity Analyzer' : 'local analyzer'}`,
  );
  lines.push('');
  lines.push(e(result.summary));
  if (result.narrative) {
    lines.push('');
    lines.push(e(result.narrative));
  }
  if (result.evidence.length) {
    lines.push('');
    lines.push('#### Evidence');
    for (const item of result.evidence) {
      lines.push(
        `- **${e(item.title)}** (${e(item.table)}, ${item.rows.length} row${item.rows.length === 1 ? '' : 's'})${item.detail ? ` — ${e(item.detail)}` : ''}`,
      );
      if (options.queries) {
        lines.push('');
        lines.push(
          fence(item.query)
            .split('\n')
            .map((l) => `  ${l}`)
            .join('\n'),
        );
      }
    }
  }
  if (result.recommendations.length) {
    lines.push('');
    lines.push('#### Recommendations');
    for (const r of result.recommendations) lines.push(`- ${e(r)}`);
  }
  if (result.missingTables.length) {
    lines.push('');
    lines.push(`_Missing tables: ${result.missingTables.map(e).join(', ')}._`);
  }
  if (result.disclaimer) {
    lines.push('');
    lines.push(`_${e(result.disclaimer)}_`);
  }
  if (result.source === 'sentinel') {
    lines.push('');
    lines.push('_AI-generated content may be incorrect. Check the evidence before acting._');
  }
  let text = lines.join('\n');
  if (options.maxLength && text.length > options.maxLength) {
    const note = '\n\n_(cut to fit; the full analysis is in Sentinel Workbench)_';
    const cut = text.lastIndexOf('\n', options.maxLength - note.length);
    text = text.slice(0, cut > 0 ? cut : options.maxLength - note.length) + note;
  }
  return text;
}

/** A verdict found in an incident comment written by verdictToMarkdown. */
export interface VerdictMention {
  verdict: string;
  confidence: string;
  entityType: 'User' | 'Url';
  entity: string;
  window?: { startTime: string; endTime: string };
  analyzedAt?: string;
}

function unescapeMarkdownText(text: string): string {
  return text
    .replace(/\\([\\`*_[\]|])/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .trim();
}

/** Reads back the verdict stored in a comment (the first lines verdictToMarkdown writes); undefined for other comments. */
export function parseVerdictComment(message: string): VerdictMention | undefined {
  const head = /^### Entity Analyzer: (.+) \(([^()]+) confidence\)\s*$/m.exec(message);
  if (!head) return undefined;
  const who = /^\*\*(User|URL):\*\* (.+?)\s*$/m.exec(message);
  if (!who) return undefined;
  const window = /^\*\*Window:\*\* (\S+) → (\S+?)\s*$/m.exec(message);
  const analyzed = /^\*\*Analyzed:\*\* (\S+)/m.exec(message);
  return {
    verdict: unescapeMarkdownText(head[1]),
    confidence: unescapeMarkdownText(head[2]),
    entityType: who[1] === 'User' ? 'User' : 'Url',
    entity: unescapeMarkdownText(who[2]),
    window: window
      ? { startTime: unescapeMarkdownText(window[1]), endTime: unescapeMarkdownText(window[2]) }
      : undefined,
    analyzedAt: analyzed ? unescapeMarkdownText(analyzed[1]) : undefined,
  };
}
