// The Analyses view: one node per job with a status icon, the verdict or live status, and the age.
// Nodes are kept per job id so a job's change refreshes only its node.
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import { ViewNode } from '../viewNode';
import { formatDuration } from '../../core/analyzer/clock';
import { describeJob, AnalysisJob } from '../../core/analyzer/job';
import type { AnalyzerService } from '../../core/analyzer/service';
import { formatTime, TimeFormat } from '../../core/timeFormat';
import { Commands } from '../commandIds';

/** "7d to 2026-11-20 12:00 UTC": two analyses of one entity with different windows look different. */
export function describeWindow(startTime: string, endTime: string, format: TimeFormat = 'utc'): string {
  const hours = (Date.parse(endTime) - Date.parse(startTime)) / 3600_000;
  const length = hours >= 24 && Number.isInteger(hours / 24) ? `${hours / 24}d` : `${Math.round(hours)}h`;
  return `${length} to ${formatTime(endTime, format)}`;
}

export class AnalysisNode extends ViewNode {
  constructor(readonly job: AnalysisJob) {
    super();
  }

  get id(): string {
    return this.job.id;
  }

  /** What the row says; the view redraws a row only when this changes. */
  description(now: number, format: TimeFormat = 'utc'): string {
    const job = this.job;
    const window = describeWindow(job.request.startTime, job.request.endTime, format);
    if (job.state === 'completed' && job.result) {
      const age = formatDuration(now - (job.finishedAt ?? now));
      return `${job.result.verdict} · ${window} · ${age} ago${job.fromCache ? ' · cached' : ''}`;
    }
    return `${describeJob(job.snapshot(), now)} · ${window}`;
  }

  getTreeItem(now: number, format: TimeFormat = 'utc'): vscode.TreeItem {
    const job = this.job;
    const entity = job.request.entity;
    const item = new vscode.TreeItem(entity.id, vscode.TreeItemCollapsibleState.None);
    item.id = `analysis:${job.id}`;
    item.iconPath = icon(job);
    const days = Math.round((Date.parse(job.request.endTime) - Date.parse(job.request.startTime)) / 86400_000);
    item.description = this.description(now, format);
    const tooltip = [
      `${entity.type === 'User' ? 'User' : 'URL'}: ${entity.id}`,
      `Window: ${days} day${days === 1 ? '' : 's'} (${formatTime(job.request.startTime, format)} → ${formatTime(job.request.endTime, format)})`,
      `Status: ${describeJob(job.snapshot(), now)}`,
    ];
    if (job.result) tooltip.push(`Summary: ${job.result.summary}`);
    if (job.error && job.state !== 'cancelled') tooltip.push(`Error: ${job.error}`);
    item.tooltip = tooltip.join('\n');
    // sentinelWorkbench:analysis:<state>[:cached] — matched by regex in package.json menus.
    item.contextValue = `sentinelWorkbench:analysis:${job.state}${job.fromCache ? ':cached' : ''}`;
    // Plain data (the job id), never the node: an argument that outlives a redraw still names the job.
    if (job.result)
      item.command = { command: Commands.openAnalysis, title: 'Open Verdict', arguments: [{ jobId: job.id }] };
    return item;
  }
}

function icon(job: AnalysisJob): vscode.ThemeIcon {
  switch (job.state) {
    case 'queued':
      return new vscode.ThemeIcon('clock');
    case 'starting':
    case 'polling':
      return new vscode.ThemeIcon('sync~spin');
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case 'cancelled':
      return new vscode.ThemeIcon('circle-slash');
    case 'expired':
      return new vscode.ThemeIcon('history', new vscode.ThemeColor('disabledForeground'));
    case 'completed': {
      const v = job.result?.verdict ?? '';
      if (v === 'Compromised' || v === 'Malicious')
        return new vscode.ThemeIcon('shield', new vscode.ThemeColor('charts.red'));
      if (v.startsWith('Suspicious')) return new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'));
      return new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'));
    }
  }
}

export class AnalysesTree implements vscode.TreeDataProvider<AnalysisNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AnalysisNode | AnalysisNode[] | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, AnalysisNode>();
  private listed = new Set<string>();
  private readonly subscription: () => void;
  private timer: NodeJS.Timeout | undefined;
  view: vscode.TreeView<AnalysisNode> | undefined;

  constructor(private readonly service: AnalyzerService) {
    this.subscription = service.onDidChange((job) => {
      if (!job || !this.listed.has(job.id) || !service.get(job.id)) return this.changed.fire(undefined);
      this.changed.fire(this.nodes.get(job.id));
    });
    // Ages and running times stay current while the view is visible; no timer while hidden. Only rows whose
    // text changed are redrawn, so a click on a row is never lost to a redraw of the whole tree.
    this.timer = setInterval(() => this.tick(), 15_000);
  }

  private readonly shown = new Map<string, string>();

  /** Redraws the rows whose description changed since they were drawn; returns them. */
  tick(now = Date.now()): AnalysisNode[] {
    if (!this.view?.visible || !this.listed.size) return [];
    const stale = [...this.nodes.values()].filter((n) => this.shown.get(n.id) !== n.description(now, this.format()));
    if (stale.length) this.changed.fire(stale);
    return stale;
  }

  format(): TimeFormat {
    return read(Settings.timeFormat);
  }

  getTreeItem(node: AnalysisNode): vscode.TreeItem {
    const now = Date.now();
    const item = node.getTreeItem(now, this.format());
    this.shown.set(node.id, String(item.description));
    return item;
  }

  getChildren(node?: AnalysisNode): AnalysisNode[] {
    if (node) return [];
    const jobs = this.service.list();
    this.listed = new Set(jobs.map((j) => j.id));
    for (const id of [...this.nodes.keys()]) if (!this.listed.has(id)) this.nodes.delete(id);
    return jobs.map((j) => {
      let n = this.nodes.get(j.id);
      if (!n || n.job !== j) {
        n = new AnalysisNode(j);
        this.nodes.set(j.id, n);
      }
      return n;
    });
  }

  getParent(): undefined {
    return undefined;
  }

  nodeFor(jobId: string): AnalysisNode | undefined {
    return this.nodes.get(jobId);
  }

  dispose(): void {
    this.subscription();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.changed.dispose();
  }
}
