// The incident or entity a triage command is about: a tree node, `{ incident }` / `{ entity }` from a page or
// another command, or (from the palette) the view's selection or a pick among the loaded incidents.
import * as vscode from 'vscode';
import type { Entity, Incident } from '../../../core/backends/types';
import { UserError } from '../../../core/errors';
import { valueOf, type CommandArgument } from '../../command';
import { EntityNode, IncidentNode, TriageNode } from '../incidentsTree';
import type { TriageServices } from '../services';

/** The incident a node belongs to (itself, or the incident above an alert, entity or comment). */
export function incidentNodeOf(node: TriageNode | undefined): IncidentNode | undefined {
  for (let n = node; n; n = n.parent) if (n instanceof IncidentNode) return n;
  return undefined;
}

async function pickLoadedIncident(s: TriageServices, placeHolder: string): Promise<Incident | undefined> {
  const selected = incidentNodeOf(s.incidentsView.selection[0]);
  if (selected) return selected.incident;
  await s.incidents.whenLoaded();
  if (!s.incidents.incidents.length) throw new UserError('No incidents are loaded.');
  const pick = await vscode.window.showQuickPick(
    s.incidents.incidents.map((i) => ({
      label: `#${i.number} ${i.title}`,
      description: `${i.severity} · ${i.status}`,
      incident: i,
    })),
    { placeHolder, matchOnDescription: true },
  );
  return pick?.incident;
}

export async function incidentArg(
  s: TriageServices,
  arg: CommandArgument,
  placeHolder: string,
): Promise<Incident | undefined> {
  if (arg.kind === 'node' && arg.node instanceof TriageNode) {
    const node = incidentNodeOf(arg.node);
    if (node) return node.incident;
  }
  const given = (valueOf(arg) as { incident?: Incident } | undefined)?.incident;
  if (given && typeof given.id === 'string') return given;
  return pickLoadedIncident(s, placeHolder);
}

export function entityArg(
  s: TriageServices,
  arg: CommandArgument,
): EntityNode | { entity: Entity; incidentIds?: string[] } {
  if (arg.kind === 'node' && arg.node instanceof EntityNode) return arg.node;
  const selected = s.entitiesView.selection[0] ?? s.incidentsView.selection[0];
  if ((arg.kind === 'palette' || arg.kind === 'selection') && selected instanceof EntityNode) return selected;
  const value = valueOf(arg) as { entity?: Entity; incidentIds?: string[] } | undefined;
  const entity = value?.entity;
  if (entity && typeof entity.displayName === 'string') return { entity, incidentIds: value.incidentIds };
  throw new UserError('Pick an entity in the Entities or Incidents view.');
}
