import * as vscode from 'vscode';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import { read, Settings, write } from '../../settings';
import type { GroupBy } from '../model';
import type { TriageServices } from '../services';

export const groupIncidentsBy: Command<TriageServices> = {
  id: Commands.groupIncidentsBy,
  title: 'Group Incidents By',
  async run() {
    const current = read(Settings.incidentsGroupBy);
    const pick = await vscode.window.showQuickPick(
      (['severity', 'status', 'none'] as GroupBy[]).map((g) => ({
        label: g === 'none' ? 'No grouping' : `By ${g}`,
        description: g === current ? 'current' : undefined,
        value: g,
      })),
      { title: 'Group Incidents' },
    );
    if (pick) await write(Settings.incidentsGroupBy, pick.value, vscode.ConfigurationTarget.Global);
  },
};
