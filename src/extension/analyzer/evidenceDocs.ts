// Evidence queries open as read-only documents named after the evidence ("Evidence - Password spray.kql"):
// no "Untitled-3", and closing one never asks to save. They open in one editor group beside the verdict,
// reused for every later query instead of adding a group each time.
import * as vscode from 'vscode';

export const EVIDENCE_SCHEME = 'sentinelworkbench-evidence';

export class EvidenceDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private column: vscode.ViewColumn | undefined;
  private counter = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.texts.get(uri.toString()) ??
      '// This evidence query is no longer available: open it again from the verdict.\n'
    );
  }

  /** A file-name-safe title: letters, digits, spaces and a few marks, at most 60 characters. */
  static fileName(title: string): string {
    const safe = title
      .replace(/[^\p{L}\p{N} ._()-]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 60)
      .trim();
    return `Evidence - ${safe || 'query'}.kql`;
  }

  uriFor(title: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({
      scheme: EVIDENCE_SCHEME,
      path: `/${EvidenceDocuments.fileName(title)}`,
      query: String(++this.counter),
    });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  /** Opens the text in the reused group beside the verdict. */
  async open(title: string, text: string): Promise<vscode.TextEditor> {
    const doc = await vscode.workspace.openTextDocument(this.uriFor(title, text));
    const groupStillThere =
      this.column !== undefined && vscode.window.tabGroups.all.some((g) => g.viewColumn === this.column);
    const editor = await vscode.window.showTextDocument(doc, {
      preview: false,
      viewColumn: groupStillThere ? this.column : vscode.ViewColumn.Beside,
    });
    this.column = editor.viewColumn;
    return editor;
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}
