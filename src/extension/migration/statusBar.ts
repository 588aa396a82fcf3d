// The next migration deadline in the status bar, once a cutover time is set.
import { formatTime } from '../../core/timeFormat';
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import { CHECKLIST } from '../../core/migration/checklist';
import { deadlines, nextDeadline } from '../../core/migration/deadlines';
import type { ChecklistState } from '../../core/migration/state';
import { Commands } from '../commandIds';
import type { ChecklistStore } from './store';

const REFRESH_MS = 30_000;

export class DeadlineStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'sentinelWorkbench.migrationDeadline',
    vscode.StatusBarAlignment.Left,
    40,
  );
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: ChecklistStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.item.name = 'Migration deadline';
    this.item.command = Commands.openMigrationChecklist;
    this.subscription = store.onDidChange((s) => this.update(s));
    this.update(store.current);
  }

  update(state: ChecklistState): void {
    const cutover = state.cutover ? new Date(state.cutover) : undefined;
    const next = nextDeadline(deadlines(CHECKLIST.items, cutover, this.clock(), (id) => !!state.items[id]?.done));
    if (!cutover || !next) {
      this.item.hide();
      this.stopTimer();
      return;
    }
    const overdue = next.status === 'overdue';
    this.item.text = `$(${overdue ? 'warning' : 'checklist'}) ${next.title}: ${next.label}`;
    this.item.tooltip = `Migration checklist — next deadline: ${next.title}, ${next.label} (due ${formatTime(next.due, read(Settings.timeFormat))}). Click to open the checklist.`;
    this.item.backgroundColor = overdue ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
    if (!this.timer) this.timer = setInterval(() => this.update(this.store.current), REFRESH_MS);
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    this.subscription.dispose();
    this.item.dispose();
  }
}
