// The checklist state of this workspace, kept in workspaceState so it survives reloads and restarts.
// workspaceState is flushed to disk lazily (in VS Code for the web, a browser reload can drop the last
// seconds of changes), so every change is also mirrored to a file in the extension's workspace storage;
// on start the newer of the two wins.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { applyChange, ChecklistState, sanitizeState, StateChange } from '../../core/migration/state';

export const STATE_KEY = 'sentinelWorkbench.migration.state';
export const STATE_FILE = 'migration-checklist.json';

/** When the state last changed: every change writes a timeline entry. */
function lastChange(s: ChecklistState): string {
  return s.timeline.length ? s.timeline[s.timeline.length - 1].at : '';
}

export class ChecklistStore implements vscode.Disposable {
  private state: ChecklistState;
  private readonly changed = new vscode.EventEmitter<ChecklistState>();
  readonly onDidChange = this.changed.event;
  private writing: Promise<void> = Promise.resolve();

  /** `mirrorDir`: the extension's workspace storage folder (undefined without a workspace). */
  constructor(
    private readonly memento: vscode.Memento,
    private readonly mirrorDir: string | undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {
    const fromMemento = sanitizeState(memento.get(STATE_KEY));
    const fromFile = this.readMirror();
    this.state = fromFile && lastChange(fromFile) > lastChange(fromMemento) ? fromFile : fromMemento;
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
    await Promise.all([this.memento.update(STATE_KEY, next), this.writeMirror(next)]);
    return next;
  }

  private readMirror(): ChecklistState | undefined {
    if (!this.mirrorDir) return undefined;
    try {
      return sanitizeState(JSON.parse(fs.readFileSync(path.join(this.mirrorDir, STATE_FILE), 'utf8')));
    } catch {
      return undefined; // missing or unreadable: workspaceState holds the state
    }
  }

  /** Writes are serialised and atomic (temp file + rename), so a crash never leaves half a file. */
  private writeMirror(state: ChecklistState): Promise<void> {
    const dir = this.mirrorDir;
    if (!dir) return Promise.resolve();
    const file = path.join(dir, STATE_FILE);
    const text = JSON.stringify(state);
    this.writing = this.writing.then(async () => {
      try {
        await fs.promises.mkdir(dir, { recursive: true });
        await fs.promises.writeFile(`${file}.tmp`, text, 'utf8');
        await fs.promises.rename(`${file}.tmp`, file);
      } catch {
        // The mirror is a safety net; workspaceState still has the change.
      }
    });
    return this.writing;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
