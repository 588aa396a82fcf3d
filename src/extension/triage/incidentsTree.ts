// The Incidents view: incidents of the active backend grouped by severity/status, newest first, with a
// "Load more" node, a badge counting New incidents and the active filter in the view's description.
// Children of an incident: its alerts and its entities (fetched on expand, cached until refresh).
import * as vscode from 'vscode';
import { describeFilter, matchesFilter } from '../../core/backends/incidents';
import { entityKindName } from '../../core/entities/kindNames';
import type {
  Alert,
  Entity,
  Incident,
  IncidentComment,
  IncidentDetails,
  IncidentFilter,
  SentinelBackend,
} from '../../core/backends/types';
import { isCancellation } from '../../core/errors';
import { formatTime, TimeFormat } from '../../core/timeFormat';
import type { Logger } from '../../core/types';
import { ViewNode } from '../viewNode';
import {
  commentPreview,
  countNew,
  entityContextValue,
  entityTooltip,
  escapeMarkdown,
  GroupBy,
  groupIncidents,
  incidentDescription,
  incidentLabel,
  incidentTooltip,
  KIND_ICONS,
  SEVERITY_ICONS,
} from './model';

export const INCIDENTS_VIEW = 'sentinelWorkbench.incidents';

export abstract class TriageNode extends ViewNode {
  abstract readonly id: string;
  parent: TriageNode | undefined;
  abstract getTreeItem(): vscode.TreeItem;
  getChildren(): Promise<TriageNode[]> | TriageNode[] {
    return [];
  }
}

export class GroupNode extends TriageNode {
  readonly id: string;
  constructor(
    readonly key: string,
    readonly label: string,
    readonly incidents: Incident[],
    private readonly tree: IncidentsTree,
  ) {
    super();
    this.id = `group:${key}`;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = `${this.incidents.length}`;
    item.contextValue = 'sentinelWorkbench:group';
    const sev = SEVERITY_ICONS[this.key];
    if (sev) item.iconPath = new vscode.ThemeIcon(sev.icon, new vscode.ThemeColor(sev.color));
    return item;
  }
  override getChildren(): TriageNode[] {
    return this.incidents.map((i) => this.tree.incidentNode(i, this));
  }
}

export class IncidentNode extends TriageNode {
  readonly id: string;
  constructor(
    public incident: Incident,
    private readonly tree: IncidentsTree,
  ) {
    super();
    this.id = `incident:${incident.id}`;
  }
  getTreeItem(): vscode.TreeItem {
    const i = this.incident;
    const item = new vscode.TreeItem(incidentLabel(i), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = incidentDescription(i, this.tree.now());
    item.tooltip = new vscode.MarkdownString(incidentTooltip(i, this.tree.timeFormat()));
    const sev = SEVERITY_ICONS[i.severity] ?? SEVERITY_ICONS.Informational;
    item.iconPath = new vscode.ThemeIcon(sev.icon, new vscode.ThemeColor(sev.color));
    item.contextValue = `sentinelWorkbench:incident${i.url ? ':linked' : ''}:${i.status.toLowerCase()}`;
    // A click opens the incident page (the id is stable, so the argument never goes stale).
    item.command = {
      command: 'sentinelWorkbench.openIncident',
      title: 'Open Incident',
      arguments: [{ incidentId: i.id, preserveFocus: true }],
    };
    item.accessibilityInformation = { label: `Incident ${i.number}, ${i.title}, ${i.severity} severity, ${i.status}` };
    return item;
  }
  override async getChildren(): Promise<TriageNode[]> {
    let details: IncidentDetails;
    try {
      details = await this.tree.details(this.incident.id);
    } catch (e) {
      return [
        new MessageNode(`${this.id}/error`, `Could not load the incident: ${(e as Error).message}`, 'error', this),
      ];
    }
    const nodes: TriageNode[] = [
      new SectionNode(
        this,
        'alerts',
        `Alerts`,
        details.alerts.length,
        details.alerts.map((a) => new AlertNode(this, a)),
      ),
      new SectionNode(
        this,
        'entities',
        `Entities`,
        details.entities.length,
        details.entities.map((e) => new EntityNode(`${this.id}/entity:${e.key}`, e, [this.incident.title], this)),
      ),
    ];
    if (details.comments?.length) {
      nodes.push(
        new SectionNode(
          this,
          'comments',
          'Comments',
          details.comments.length,
          details.comments.map((c) => new CommentNode(this, c, this.tree.timeFormat())),
        ),
      );
    }
    if (details.skippedEntities) {
      nodes.push(
        new MessageNode(
          `${this.id}/skipped`,
          `${details.skippedEntities} entity record(s) could not be read`,
          'warning',
          this,
        ),
      );
    }
    return nodes;
  }
}

export class SectionNode extends TriageNode {
  readonly id: string;
  constructor(
    parent: TriageNode,
    readonly section: string,
    readonly label: string,
    readonly count: number,
    readonly children: TriageNode[],
  ) {
    super();
    this.parent = parent;
    this.id = `${parent.id}/${section}`;
    for (const c of children) c.parent = this;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.label,
      this.count ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = `${this.count}`;
    item.contextValue = `sentinelWorkbench:section:${this.section}`;
    item.iconPath = new vscode.ThemeIcon(
      this.section === 'alerts' ? 'bell' : this.section === 'comments' ? 'comment-discussion' : 'symbol-class',
    );
    return item;
  }
  override getChildren(): TriageNode[] {
    return this.children;
  }
}

export class AlertNode extends TriageNode {
  readonly id: string;
  constructor(
    parent: TriageNode,
    readonly alert: Alert,
  ) {
    super();
    this.parent = parent;
    this.id = `${parent.id}/alert:${alert.id}`;
  }
  getTreeItem(): vscode.TreeItem {
    const a = this.alert;
    const item = new vscode.TreeItem(a.name, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [a.severity, a.productName].filter(Boolean).join(' · ');
    const md = [`**${escapeMarkdown(a.name)}** (${a.severity})`];
    if (a.tactics.length) md.push('', `Tactics: ${escapeMarkdown(a.tactics.join(', '))}`);
    if (a.description) md.push('', escapeMarkdown(a.description));
    item.tooltip = new vscode.MarkdownString(md.join('\n'));
    const sev = SEVERITY_ICONS[a.severity] ?? SEVERITY_ICONS.Informational;
    item.iconPath = new vscode.ThemeIcon('bell', new vscode.ThemeColor(sev.color));
    item.contextValue = 'sentinelWorkbench:alert';
    return item;
  }
}

/** An entity; also used by the Entities view. `entity` is what the analyzer commands read. */
export class EntityNode extends TriageNode {
  constructor(
    readonly id: string,
    readonly entity: Entity,
    readonly incidentTitles: string[],
    parent?: TriageNode,
    readonly incidentIds: string[] = [],
    readonly showCount = false,
  ) {
    super();
    this.parent = parent;
  }
  getTreeItem(): vscode.TreeItem {
    const e = this.entity;
    const item = new vscode.TreeItem(e.displayName, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    if (this.showCount)
      item.description = `${this.incidentIds.length} incident${this.incidentIds.length === 1 ? '' : 's'}`;
    else item.description = entityKindName(e.kind);
    item.tooltip = new vscode.MarkdownString(entityTooltip(e, this.incidentTitles));
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[e.kind]);
    item.contextValue = entityContextValue(e.kind);
    return item;
  }
}

/** A comment: its first line as plain text, the whole comment rendered as Markdown in the tooltip. */
export class CommentNode extends TriageNode {
  readonly id: string;
  constructor(
    parent: TriageNode,
    readonly comment: IncidentComment,
    private readonly format: TimeFormat,
  ) {
    super();
    this.parent = parent;
    this.id = `${parent.id}/comment:${comment.id}`;
  }
  getTreeItem(): vscode.TreeItem {
    const c = this.comment;
    const item = new vscode.TreeItem(
      commentPreview(c.message) || '(empty comment)',
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = [c.author, formatTime(c.createdTime, this.format)].filter(Boolean).join(' · ');
    // Untrusted text: no command links, no HTML.
    const md = new vscode.MarkdownString(c.message.length > 4000 ? `${c.message.slice(0, 4000)}…` : c.message);
    md.isTrusted = false;
    md.supportHtml = false;
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon('comment');
    item.contextValue = 'sentinelWorkbench:comment';
    return item;
  }
}

export class LoadMoreNode extends TriageNode {
  readonly id = 'load-more';
  constructor(private readonly loaded: number) {
    super();
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = `${this.loaded} loaded`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.command = { command: 'sentinelWorkbench.loadMoreIncidents', title: 'Load More Incidents' };
    item.contextValue = 'sentinelWorkbench:loadMore';
    return item;
  }
}

export class MessageNode extends TriageNode {
  constructor(
    readonly id: string,
    readonly message: string,
    readonly icon: string,
    parent?: TriageNode,
    readonly description?: string,
  ) {
    super();
    this.parent = parent;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(
      this.message.length > 120 ? `${this.message.slice(0, 117)}…` : this.message,
      vscode.TreeItemCollapsibleState.None,
    );
    item.id = this.id;
    item.description = this.description;
    item.tooltip = this.message;
    item.iconPath = new vscode.ThemeIcon(
      this.icon,
      this.icon === 'error' ? new vscode.ThemeColor('errorForeground') : undefined,
    );
    item.contextValue = 'sentinelWorkbench:message';
    return item;
  }
}

export interface IncidentsTreeOptions {
  backend: () => Promise<SentinelBackend>;
  logger: Logger;
  groupBy: () => GroupBy;
  pageSize: () => number;
  /** How times are shown (setting sentinelWorkbench.timeFormat). */
  timeFormat?: () => TimeFormat;
  /** The clock ages are computed against. */
  now?: () => Date;
}

/** State and TreeDataProvider of the Incidents view. */
export class IncidentsTree implements vscode.TreeDataProvider<TriageNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TriageNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly loadedEmitter = new vscode.EventEmitter<void>();
  /** Fires after a load/refresh/load-more finished (the Entities view listens). */
  readonly onDidLoad = this.loadedEmitter.event;
  view: vscode.TreeView<TriageNode> | undefined;

  filter: IncidentFilter = {};
  incidents: Incident[] = [];
  private nextPageToken: string | undefined;
  private error: string | undefined;
  private loading: Promise<void> | undefined;
  private loaded = false;
  private generation = 0;
  private readonly detailsCache = new Map<string, Promise<IncidentDetails>>();
  private readonly incidentNodes = new Map<string, IncidentNode>();
  private roots: TriageNode[] = [];

  constructor(private readonly options: IncidentsTreeOptions) {}

  /** The backend's clock: a local lake may pin "now" (the demo lake does), so ages and "last 7 days" follow it. */
  now(): Date {
    return this.options.now?.() ?? new Date(Date.now() + this.clockOffsetMs);
  }

  private clockOffsetMs = 0;
  private clockOf: SentinelBackend | undefined;

  private async readClock(backend: SentinelBackend): Promise<void> {
    if (this.clockOf === backend) return;
    this.clockOf = backend;
    this.clockOffsetMs = 0;
    if (backend.kind !== 'local') return;
    try {
      this.clockOffsetMs = (await backend.now(AbortSignal.timeout(15_000))).getTime() - Date.now();
    } catch (e) {
      this.options.logger.warn(
        `Incidents: could not read the lake's clock, using the wall clock: ${(e as Error).message}`,
      );
    }
  }

  /** The same node object for an incident across refreshes keeps expansion and selection stable. */
  incidentNode(incident: Incident, parent?: TriageNode): IncidentNode {
    let node = this.incidentNodes.get(incident.id);
    if (!node) {
      node = new IncidentNode(incident, this);
      this.incidentNodes.set(incident.id, node);
    }
    node.incident = incident;
    node.parent = parent;
    return node;
  }

  timeFormat(): TimeFormat {
    return this.options.timeFormat?.() ?? 'utc';
  }

  getTreeItem(node: TriageNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TriageNode): TriageNode | undefined {
    return node.parent;
  }

  async getChildren(node?: TriageNode): Promise<TriageNode[]> {
    if (node) return node.getChildren();
    if (!this.loaded) await (this.loading ?? this.refresh());
    return this.roots;
  }

  private buildRoots(): void {
    if (this.error) {
      this.roots = [new MessageNode('error', this.error, 'error')];
      return;
    }
    if (!this.incidents.length) {
      this.roots = [
        new MessageNode(
          'empty',
          describeFilter(this.filter) ? 'No incidents match the filter.' : 'No incidents.',
          'info',
        ),
      ];
      // A server-side page can hold no match for the client-side part of a filter; more may follow.
      if (this.nextPageToken) this.roots.push(new LoadMoreNode(0));
      return;
    }
    const groupBy = this.options.groupBy();
    const groups = groupIncidents(this.incidents, groupBy);
    this.roots =
      groupBy === 'none'
        ? groups[0].incidents.map((i) => this.incidentNode(i, undefined))
        : groups.map((g) => new GroupNode(g.key, g.label, g.incidents, this));
    if (this.nextPageToken) this.roots.push(new LoadMoreNode(this.incidents.length));
  }

  /** Re-reads the first page (keeps the filter); details are fetched again on expand. */
  refresh(): Promise<void> {
    const generation = ++this.generation;
    const run = (async () => {
      try {
        const backend = await this.options.backend();
        const [page] = await Promise.all([
          backend.listIncidents(this.filter, { top: this.options.pageSize() }),
          this.readClock(backend),
        ]);
        if (generation !== this.generation) return;
        this.incidents = page.incidents;
        this.nextPageToken = page.nextPageToken;
        this.error = undefined;
      } catch (e) {
        if (generation !== this.generation) return;
        if (isCancellation(e)) return;
        this.options.logger.warn(`Incidents: ${(e as Error).message}`);
        this.incidents = [];
        this.nextPageToken = undefined;
        this.error = `Could not load incidents: ${(e as Error).message}`;
      }
      this.detailsCache.clear();
      this.loaded = true;
      this.afterLoad();
    })();
    this.loading = run;
    return run;
  }

  async loadMore(): Promise<void> {
    if (!this.nextPageToken) return;
    const generation = this.generation;
    const backend = await this.options.backend();
    const page = await backend.listIncidents(this.filter, {
      top: this.options.pageSize(),
      pageToken: this.nextPageToken,
    });
    if (generation !== this.generation) return;
    const known = new Set(this.incidents.map((i) => i.id));
    this.incidents = [...this.incidents, ...page.incidents.filter((i) => !known.has(i.id))];
    this.nextPageToken = page.nextPageToken;
    this.afterLoad();
  }

  private afterLoad(): void {
    this.buildRoots();
    this.updateView();
    this.changed.fire();
    this.loadedEmitter.fire();
  }

  updateView(): void {
    if (!this.view) return;
    const n = countNew(this.incidents);
    this.view.badge = n ? { value: n, tooltip: `${n} new incident${n === 1 ? '' : 's'}` } : undefined;
    const filter = describeFilter(this.filter, this.now());
    this.view.description = filter ? `Filter: ${filter}` : undefined;
  }

  setFilter(filter: IncidentFilter): Promise<void> {
    this.filter = filter;
    return this.refresh();
  }

  /** Incident details, fetched once per refresh. */
  details(id: string): Promise<IncidentDetails> {
    let p = this.detailsCache.get(id);
    if (!p) {
      p = this.options.backend().then((b) => b.getIncident(id));
      this.detailsCache.set(id, p);
      p.catch(() => this.detailsCache.delete(id));
    }
    return p;
  }

  /** Drops everything (the backend changed) and reloads. */
  reset(): Promise<void> {
    this.incidents = [];
    this.nextPageToken = undefined;
    this.incidentNodes.clear();
    this.detailsCache.clear();
    return this.refresh();
  }

  /** Rebuilds the tree from loaded data (grouping changed). */
  regroup(): void {
    this.buildRoots();
    this.changed.fire();
  }

  /** Refreshes one incident's children (after adding a comment). */
  invalidate(id: string): void {
    this.detailsCache.delete(id);
    const node = this.incidentNodes.get(id);
    this.changed.fire(node);
  }

  /**
   * A new version of one incident (changed from the workbench): its node redraws, the badge follows; when it
   * moves to another group, or out of the filter, the groups are rebuilt.
   */
  applyUpdate(incident: Incident): void {
    const index = this.incidents.findIndex((i) => i.id === incident.id);
    if (index < 0) return;
    const before = this.incidents[index];
    this.incidents = this.incidents.map((i, n) => (n === index ? incident : i));
    this.detailsCache.delete(incident.id);
    const groupBy = this.options.groupBy();
    const moved =
      (groupBy === 'severity' && before.severity !== incident.severity) ||
      (groupBy === 'status' && before.status !== incident.status);
    const node = this.incidentNodes.get(incident.id);
    if (node) node.incident = incident;
    if (moved || !matchesFilter(incident, this.filter)) {
      if (!matchesFilter(incident, this.filter)) this.incidents = this.incidents.filter((i) => i.id !== incident.id);
      this.buildRoots();
      this.changed.fire();
    } else {
      this.changed.fire(node);
    }
    this.updateView();
    this.loadedEmitter.fire();
  }

  findIncident(id: string): Incident | undefined {
    return this.incidents.find((i) => i.id === id);
  }

  async reveal(id: string): Promise<void> {
    const incident = this.findIncident(id);
    if (!incident || !this.view) return;
    const node = this.incidentNodes.get(id);
    if (node) await this.view.reveal(node, { select: true, focus: true, expand: true });
  }

  get hasMore(): boolean {
    return !!this.nextPageToken;
  }

  whenLoaded(): Promise<void> {
    return this.loading ?? this.refresh();
  }

  dispose(): void {
    this.changed.dispose();
    this.loadedEmitter.dispose();
  }
}
