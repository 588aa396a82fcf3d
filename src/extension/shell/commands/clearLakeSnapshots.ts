import * as vscode from 'vscode';
import { clearSnapshots, userSnapshotStore } from '../../../core/lake/snapshot';
import { Commands } from '../../commandIds';
import type { Command } from '../../command';
import type { FeatureContext } from '../../features';

export const clearLakeSnapshots: Command<FeatureContext> = {
  id: Commands.clearLakeSnapshots,
  title: 'Clear Lake Snapshots',
  run(ctx) {
    const store = userSnapshotStore({ ...process.env, SWB_LAKE_CACHE: undefined });
    if (!store) {
      void vscode.window.showInformationMessage('There is no lake snapshot folder to clear.');
      return;
    }
    const { files, bytes } = clearSnapshots(store);
    ctx.log.info(`cleared ${files} lake snapshot(s) from ${store.dir}`);
    void vscode.window.showInformationMessage(
      `Removed ${files} lake snapshot(s), ${(bytes / 2 ** 20).toFixed(1)} MB. Lakes are parsed again the next time they are opened.`,
    );
  },
};
