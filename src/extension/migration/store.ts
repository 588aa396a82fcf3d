// The checklist state of this workspace, kept in workspaceState so it survives reloads and restarts.
import * as vscode from 'vscode';
import { applyChange, ChecklistState, sanitizeState, StateChange } from '../../core/migration/state';

export const STATE_KEY = 'sentinelWorkbench.migration.state';

export class ChecklistStore implements vscode.Disposable {
  private state: ChecklistState;
  private readonly changed = new vscode.EventEmitter<ChecklistState>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly memento: vscode.Memento, private readonly clock: () => Date = () => new Date()) {
    this.state = sanitizeState(memento.get(STATE_KEY));
  }

  get current(): ChecklistState {
    return this.state;
  }

  /** Applies a change, saves it, and tells listeners. Saving completes before this resolves. */
  async apply(change: StateChange): Promise<ChecklistState> {
    const next = applyChange(this.state, change, this.clock());
    if (next === this.state) return next;
    this.state = next;
    this.changed.fire(next);
    await this.memento.update(STATE_KEY, next);
    return next;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
