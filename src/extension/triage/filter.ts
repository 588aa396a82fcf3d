// The incident filter picker: one menu (severity, status, time range, owner, text, clear); each choice
// applies at once and the view's description shows what is active.
import * as vscode from 'vscode';
import { SEVERITIES, STATUSES } from '../../core/backends/incidents';
import type { IncidentFilter, IncidentStatus, Severity } from '../../core/backends/types';

const RANGES: { label: string; hours?: number }[] = [
  { label: 'Any time' },
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 3 days', hours: 72 },
  { label: 'Last 7 days', hours: 168 },
  { label: 'Last 30 days', hours: 720 },
];

type Field = 'severity' | 'status' | 'time' | 'owner' | 'text' | 'clear';

/** Asks for one change to the filter; undefined when the user cancelled. `now` anchors the time range. */
export async function pickFilter(current: IncidentFilter, now: Date): Promise<IncidentFilter | undefined> {
  const items: (vscode.QuickPickItem & { field: Field })[] = [
    { label: '$(flame) Severity…', description: current.severity?.join(', ') ?? 'any', field: 'severity' },
    { label: '$(issues) Status…', description: current.status?.join(', ') ?? 'any', field: 'status' },
    {
      label: '$(calendar) Created…',
      description: current.createdAfter
        ? `since ${current.createdAfter.toISOString().slice(0, 16).replace('T', ' ')}`
        : 'any time',
      field: 'time',
    },
    { label: '$(person) Owner…', description: current.owner ?? 'anyone', field: 'owner' },
    { label: '$(search) Title or number…', description: current.text ?? '', field: 'text' },
    { label: '$(clear-all) Clear filter', field: 'clear' },
  ];
  const choice = await vscode.window.showQuickPick(items, {
    title: 'Filter Incidents',
    placeHolder: 'What to filter by',
  });
  if (!choice) return undefined;
  switch (choice.field) {
    case 'clear':
      return {};
    case 'severity': {
      const picked = await vscode.window.showQuickPick(
        SEVERITIES.map((s) => ({ label: s, picked: current.severity?.includes(s) ?? false })),
        {
          title: 'Filter Incidents: severity',
          placeHolder: 'Show these severities (none checked: all)',
          canPickMany: true,
        },
      );
      if (!picked) return undefined;
      return { ...current, severity: picked.length ? picked.map((p) => p.label as Severity) : undefined };
    }
    case 'status': {
      const picked = await vscode.window.showQuickPick(
        STATUSES.map((s) => ({ label: s, picked: current.status?.includes(s) ?? false })),
        {
          title: 'Filter Incidents: status',
          placeHolder: 'Show these statuses (none checked: all)',
          canPickMany: true,
        },
      );
      if (!picked) return undefined;
      return { ...current, status: picked.length ? picked.map((p) => p.label as IncidentStatus) : undefined };
    }
    case 'time': {
      const picked = await vscode.window.showQuickPick(RANGES, { title: 'Filter Incidents: created' });
      if (!picked) return undefined;
      return {
        ...current,
        createdAfter: picked.hours ? new Date(now.getTime() - picked.hours * 3_600_000) : undefined,
      };
    }
    case 'owner': {
      const owner = await vscode.window.showInputBox({
        title: 'Filter Incidents: owner',
        prompt: 'Part of the owner\'s UPN or name; "unassigned" for incidents without owner; empty for anyone',
        value: current.owner ?? '',
      });
      if (owner === undefined) return undefined;
      return { ...current, owner: owner.trim() || undefined };
    }
    case 'text': {
      const text = await vscode.window.showInputBox({
        title: 'Filter Incidents: title or number',
        prompt: 'Text in the title, or an incident number; empty for all',
        value: current.text ?? '',
      });
      if (text === undefined) return undefined;
      return { ...current, text: text.trim() || undefined };
    }
  }
}
