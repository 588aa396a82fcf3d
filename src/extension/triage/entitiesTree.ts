// The Entities view: entities of the selected incident, or of every loaded incident (a toggle), grouped by
// kind with the number of incidents each appears in.
import * as vscode from 'vscode';
import type { EntityKind, IncidentDetails } from '../../core/backends/types';
import type { Logger } from '../../core/types';
import { EntityNode, IncidentsTree, MessageNode, TriageNode } from './incidentsTree';
import { EntityKindGroup, indexEntities, KIND_ICONS, KIND_LABELS } from './model';

export const ENTITIES_VIEW = 'sentinelWorkbench.entities';
export type EntitiesScope = 'selected' | 'all';

class KindNode extends TriageNode {
  readonly id: string;
  constructor(
    readonly group: EntityKindGroup,
    private readonly children: EntityNode[],
  ) {
    super();
    this.id = `kind:${group.kind}`;
    for (const c of children) c.parent = this;
  }
  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(KIND_LABELS[this.group.kind], vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.description = `${this.group.entities.length}`;
    item.iconPath = new vscode.ThemeIcon(KIND_ICONS[this.group.kind as EntityKind]);
    item.contextValue = `sentinelWorkbench:entityKind:${this.group.kind.toLowerCase()}`;
    return item;
  }
  override getChildren(): TriageNode[] {
    return this.children;
  }
}

export class EntitiesTree implements vscode.TreeDataProvider<TriageNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TriageNode | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  view: vscode.TreeView<TriageNode> | undefined;
  scope: EntitiesScope = 'selected';
  selectedIncidentId: string | undefined;
  private generation = 0;

  constructor(
    private readonly incidents: IncidentsTree,
    private readonly logger: Logger,
  ) {}

  getTreeItem(node: TriageNode): vscode.TreeItem {
    return node.getTreeItem();
  }

  getParent(node: TriageNode): TriageNode | undefined {
    return node.parent;
  }

  refresh(): void {
    this.generation++;
    this.changed.fire();
  }

  setScope(scope: EntitiesScope): void {
    this.scope = scope;
    void vscode.commands.executeCommand('setContext', 'sentinelWorkbench.entitiesScope', scope);
    this.refresh();
  }

  select(incidentId: string | undefined): void {
    if (incidentId === this.selectedIncidentId) return;
    this.selectedIncidentId = incidentId;
    if (this.scope === 'selected') this.refresh();
  }

  /** Details of the incidents in scope; failures are logged and leave that incident out. */
  private async detailsInScope(): Promise<IncidentDetails[]> {
    await this.incidents.whenLoaded();
    const ids =
      this.scope === 'all'
        ? this.incidents.incidents.map((i) => i.id)
        : this.selectedIncidentId && this.incidents.findIncident(this.selectedIncidentId)
          ? [this.selectedIncidentId]
          : [];
    const out: IncidentDetails[] = [];
    // A few at a time: each is an ARM round trip or a tool call.
    for (let i = 0; i < ids.length; i += 4) {
      const batch = await Promise.all(
        ids.slice(i, i + 4).map((id) =>
          this.incidents.details(id).catch((e) => {
            this.logger.warn(`Entities: incident ${id}: ${(e as Error).message}`);
            return undefined;
          }),
        ),
      );
      for (const d of batch) if (d) out.push(d);
    }
    return out;
  }

  async getChildren(node?: TriageNode): Promise<TriageNode[]> {
    if (node) return node.getChildren();
    const generation = this.generation;
    const details = await this.detailsInScope();
    if (generation !== this.generation) return [];
    this.updateView(details);
    if (!details.length) {
      return [
        new MessageNode(
          'entities:none',
          this.scope === 'all' ? 'No incidents loaded.' : 'Select an incident to see its entities.',
          'info',
        ),
      ];
    }
    const titles = new Map(details.map((d) => [d.incident.id, `#${d.incident.number} ${d.incident.title}`]));
    const groups = indexEntities(details);
    if (!groups.length) return [new MessageNode('entities:empty', 'No entities in the incidents in scope.', 'info')];
    return groups.map(
      (g) =>
        new KindNode(
          g,
          g.entities.map(
            (x) =>
              new EntityNode(
                `entity:${x.entity.key}`,
                x.entity,
                x.incidentIds.map((id) => titles.get(id) ?? id),
                undefined,
                x.incidentIds,
                true,
              ),
          ),
        ),
    );
  }

  private updateView(details: IncidentDetails[]): void {
    if (!this.view) return;
    if (this.scope === 'all') this.view.description = `all ${details.length} loaded incidents`;
    else this.view.description = details[0] ? `#${details[0].incident.number}` : undefined;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
