// Runs a query on the active backend with progress and a real cancel button, shows the answer in the
// results panel, and turns positioned KQL errors into diagnostics on the document.
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import { isCancellation } from '../../core/errors';
import { describeRange, lastHours } from '../../core/timeRange';
import type { QueryResult, TimeRange } from '../../core/types';
import { blockAtLine, splitQueryBlocks } from '../../core/kql/blocks';
import { applyRangeToQuery } from '../../core/kql/timeFilter';
import type { HistoryEntry } from '../../core/history';
import { toAbortSignal } from '../errors';
import type { FeatureContext } from '../features';
import type { ResultsPanels } from './resultsPanel';
import type { QueryTarget, QueryTargets } from './targets';

export interface RunRequest {
  query: string;
  title: string;
  /**
   * The document and the 0-based line where the query text starts (for diagnostics), when it comes from a
   * file; `block` when the text is the query block there (so "Run again" reads the block's current text).
   */
  source?: { uri: vscode.Uri; startLine: number; block?: boolean };
  /** Either a fixed range or "the last N hours of the backend's clock". */
  range?: TimeRange | { lastHours: number };
}

/** The request again with the current text of its query block, and whether that text changed since. */
export function currentBlockRequest(request: RunRequest): { request: RunRequest; changed: boolean } {
  const source = request.source;
  if (!source?.block) return { request, changed: false };
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.uri.toString());
  if (!doc) return { request, changed: false };
  const block = blockAtLine(splitQueryBlocks(doc.getText()), source.startLine);
  if (!block || block.text === request.query) return { request, changed: false };
  return {
    request: { ...request, query: block.text, source: { ...source, startLine: block.startLine } },
    changed: true,
  };
}

/** Where runs are recorded (the History view). */
export interface RunHistory {
  record(run: Omit<HistoryEntry, 'id' | 'resultBytes'>, result?: QueryResult): Promise<void>;
}

export class QueryRunner implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('sentinelWorkbench.run');

  constructor(
    private readonly ctx: FeatureContext,
    private readonly panels: ResultsPanels,
    private readonly history?: RunHistory,
    private readonly targets?: QueryTargets,
  ) {}

  async run(request: RunRequest, note?: string): Promise<void> {
    const key = request.source?.uri.toString() ?? `query:${request.title}`;
    // One panel per file, named after it; the header line names the run.
    const panel = this.panels.show(key, request.source ? request.source.uri.path.split('/').pop()! : request.title);
    // "Run again" runs what the block says now, and says so when that differs from the shown result's query.
    panel.rerun = () => {
      const { request: current, changed } = currentBlockRequest(request);
      void this.run(
        current,
        changed ? 'The query block changed since the last run: this is its current text.' : undefined,
      ).catch((e) => this.ctx.logger.error(String(e)));
    };
    panel.post({ type: 'running', title: request.title });
    const maxRows = read(Settings.queryMaxRows);
    const timeoutSeconds = read(Settings.queryTimeoutSeconds);
    // The time budget cancels the run like the Cancel button does, but says why.
    const budget = AbortSignal.timeout(timeoutSeconds * 1000);
    const started = Date.now();
    // Where a failed run was going, for the history (a file's target, else the workspace).
    let ranOn = this.ctx.backends.label;
    try {
      // The file's target (workspace, Defender XDR advanced hunting, ADX); queries without a file run on the workspace.
      const backend: QueryTarget = this.targets
        ? await this.targets.forRun(request.source?.uri)
        : await this.ctx.backends.current();
      ranOn = backend.label;
      const outcome = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Running ${request.title}`, cancellable: true },
        async (progress, token) => {
          const signal = AbortSignal.any([toAbortSignal(token), budget]);
          progress.report({ message: `on ${backend.label}` });
          const range = await this.resolveRange(backend, request.range, signal);
          // A baseline's range also reaches the query's own `TimeGenerated > ago(…)` filter, or the header says why not.
          const scoped =
            range && request.range
              ? applyRangeToQuery(request.query, range)
              : { query: request.query, note: undefined };
          const result = await backend.runQuery(scoped.query, { timeRange: range, maxRows, signal });
          return { result, range, query: scoped.query, rangeNote: scoped.note };
        },
      );
      if (request.source) this.diagnostics.delete(request.source.uri);
      const meta = {
        title: request.title,
        backend: backend.label,
        timeRange: outcome.range ? describeRange(outcome.range) : 'time range as written in the query',
        ranAt: new Date().toISOString(),
        // The service's own limits (row cap, retention, partial failures) are said where the rows are.
        note: [note, outcome.rangeNote, ...(outcome.result.warnings ?? [])].filter(Boolean).join(' ') || undefined,
      };
      panel.showResult(outcome.result, meta);
      const durationMs = Date.now() - started;
      this.ctx.logger.info(`Ran ${request.title}: ${outcome.result.rows.length} rows in ${durationMs} ms`);
      for (const w of outcome.result.warnings ?? []) this.ctx.logger.warn(`${request.title}: ${w}`);
      await this.history?.record(
        {
          ranAt: meta.ranAt,
          query: outcome.query,
          title: request.title,
          source: request.source?.uri.toString(),
          line: request.source?.startLine,
          backend: backend.label,
          timeRange: meta.timeRange,
          rows: outcome.result.rows.length,
          durationMs,
        },
        outcome.result,
      );
    } catch (e) {
      if (isCancellation(e) || e instanceof vscode.CancellationError || budget.aborted) {
        const message = budget.aborted
          ? `Stopped after ${timeoutSeconds} s (sentinelWorkbench.query.timeoutSeconds).`
          : 'Cancelled.';
        panel.post({ type: 'error', title: request.title, message });
        return;
      }
      const message = e instanceof Error ? e.message : String(e);
      void this.history?.record({
        ranAt: new Date().toISOString(),
        query: request.query,
        title: request.title,
        source: request.source?.uri.toString(),
        line: request.source?.startLine,
        backend: ranOn,
        timeRange: 'as requested',
        durationMs: Date.now() - started,
        error: message,
      });
      const position = errorPosition(e);
      if (request.source && position) this.markError(request.source, position, message);
      panel.post({
        type: 'error',
        title: `${request.title} failed`,
        message: position ? `Line ${position.line}, column ${position.column}: ${message}` : message,
      });
      this.ctx.logger.warn(`Query ${request.title} failed: ${message}`);
    }
  }

  /** Presets are relative to the backend's clock: the demo lake pins `now`, a workspace runs on real time. */
  private async resolveRange(
    backend: QueryTarget,
    range: RunRequest['range'],
    signal: AbortSignal,
  ): Promise<TimeRange | undefined> {
    if (!range) return undefined;
    if (!('lastHours' in range)) return range;
    const now = backend.now ? await backend.now(signal) : new Date();
    return lastHours(now, range.lastHours);
  }

  private markError(
    source: { uri: vscode.Uri; startLine: number },
    position: { line: number; column: number; length?: number },
    message: string,
  ) {
    const line = source.startLine + position.line - 1;
    const start = new vscode.Position(line, Math.max(0, position.column - 1));
    const end = start.translate(0, Math.max(1, position.length ?? 1));
    const diagnostic = new vscode.Diagnostic(new vscode.Range(start, end), message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Sentinel Workbench';
    this.diagnostics.set(source.uri, [diagnostic]);
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}

/** The 1-based position of a KQL error, from a UserError's `position` or a `FILE:LINE:COL:` / "(line L, col C)" message. */
export function errorPosition(e: unknown): { line: number; column: number; length?: number } | undefined {
  const p = (e as { position?: { line?: number; column?: number; length?: number } })?.position;
  if (p && typeof p.line === 'number' && typeof p.column === 'number')
    return { line: p.line, column: p.column, length: p.length };
  const message = e instanceof Error ? e.message : String(e);
  const m =
    /:(\d+):(\d+): error:/.exec(message) ??
    /\(line (\d+), col(?:umn)? (\d+)\)/i.exec(message) ??
    /\bline (\d+), col(?:umn)? (\d+)\b/i.exec(message);
  return m ? { line: Number(m[1]), column: Number(m[2]) } : undefined;
}
