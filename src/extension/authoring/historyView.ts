// The History view: one node per run, newest first. A click reopens the saved result (no new run);
// the context menu re-runs the query or copies it. Entries live in the extension's global storage.
import * as vscode from 'vscode';
import type { HistoryEntry, QueryHistory } from '../../core/history';
import { formatTime, TimeFormat } from '../../core/timeFormat';
import { Commands } from '../commandIds';
import { ViewNode } from '../viewNode';

export const HISTORY_VIEW = 'sentinelWorkbench.history';

export class HistoryNode extends ViewNode {
  constructor(readonly entry: HistoryEntry) {
    super();
  }
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export class HistoryTree implements vscode.TreeDataProvider<HistoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HistoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private nodes = new Map<string, HistoryNode>();

  constructor(
    private readonly history: QueryHistory,
    private readonly timeFormat: () => TimeFormat,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getTreeItem(node: HistoryNode): vscode.TreeItem {
    const e = node.entry;
    const item = new vscode.TreeItem(e.title, vscode.TreeItemCollapsibleState.None);
    item.id = `history:${e.id}`;
    const outcome = e.error ? 'failed' : `${(e.rows ?? 0).toLocaleString('en-US')} row${e.rows === 1 ? '' : 's'}`;
    item.description = `${outcome} · ${duration(e.durationMs)} · ${formatTime(e.ranAt, this.timeFormat())}`;
    const md = new vscode.MarkdownString();
    md.isTrusted = false;
    md.supportHtml = false;
    md.appendMarkdown(`**${e.title.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&')}**\n\n`);
    md.appendCodeblock(e.query.length > 2000 ? `${e.query.slice(0, 2000)}\n…` : e.query, 'kql');
    md.appendText(
      `${e.backend} · ${e.timeRange}\n${formatTime(e.ranAt, this.timeFormat(), { seconds: true })} · ${outcome} in ${duration(e.durationMs)}\n`,
    );
    md.appendText(
      e.resultBytes !== undefined
        ? 'Result saved: click to reopen without running.'
        : e.error
          ? `Error: ${e.error}`
          : 'No saved result: re-run to see rows.',
    );
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon(
      e.error ? 'error' : e.resultBytes !== undefined ? 'history' : 'circle-outline',
    );
    item.contextValue = `sentinelWorkbench:history:${e.resultBytes !== undefined ? 'saved' : 'nosaved'}`;
    // Plain data: the id is stable, so the argument never goes stale.
    item.command = { command: Commands.openHistoryEntry, title: 'Reopen Result', arguments: [{ historyId: e.id }] };
    return item;
  }

  async getChildren(node?: HistoryNode): Promise<HistoryNode[]> {
    if (node) return [];
    const entries = await this.history.list();
    const next = new Map<string, HistoryNode>();
    for (const e of entries) next.set(e.id, this.nodes.get(e.id) ?? new HistoryNode(e));
    this.nodes = next;
    return [...next.values()];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
