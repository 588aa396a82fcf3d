// A typed host for one webview panel, and a keyed set of them that VS Code can restore after a reload.
// The page is built by webviewHtml (CSP `default-src 'none'`, a fresh nonce per load); messages to the page
// wait until it says `ready`; messages from the page reach one handler, whose errors go through reportError.
import * as vscode from 'vscode';
import { reportError } from './errors';
import { webviewHtml, WebviewPage } from './webviewHtml';

/** Every page's first message. */
export interface ReadyMessage {
  type: 'ready';
}

/** Subclasses handle the page's messages (`handle`) and name them for error messages (`describe`). */
export abstract class WebviewHost<In extends { type: string }, Out extends { type: string }>
  implements vscode.Disposable
{
  private ready = false;
  private readonly queue: In[] = [];
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    page: WebviewPage,
  ) {
    panel.webview.options = webviewOptions(extensionUri);
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'sentinel.svg');
    this.subscriptions.push(
      panel.webview.onDidReceiveMessage((m: Out | ReadyMessage) => void this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
    );
    panel.webview.html = webviewHtml(panel.webview, extensionUri, page);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** True once the page said `ready`; messages posted before wait in the queue. */
  protected get pageLoaded(): boolean {
    return this.ready;
  }

  post(message: In): void {
    if (this.disposed) return;
    if (this.ready) void this.panel.webview.postMessage(message);
    else this.queue.push(message);
  }

  private async receive(m: Out | ReadyMessage): Promise<void> {
    if (!m || typeof m !== 'object' || typeof m.type !== 'string') return;
    if (m.type === 'ready') {
      // A page hidden in a background tab is unloaded and says `ready` again when shown: it starts empty.
      const first = !this.ready;
      this.ready = true;
      // The subclass's content first (a page that renders from scratch), then what was posted while it loaded.
      this.pageReady(first);
      for (const q of this.queue.splice(0)) void this.panel.webview.postMessage(q);
      return;
    }
    try {
      await this.handle(m as Out);
    } catch (e) {
      await reportError(e, this.describe(m as Out));
    }
  }

  protected abstract handle(message: Out): Promise<void> | void;

  /** The page (re)loaded; `first` is false when it was unloaded while hidden and needs its content again. */
  protected pageReady(_first: boolean): void {}

  /** Names a message's action in error messages, e.g. "Close Incident". */
  protected abstract describe(message: Out): string;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.panel.dispose();
  }
}

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    enableFindWidget: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'media'),
      vscode.Uri.joinPath(extensionUri, 'dist', 'webview'),
    ],
  };
}

/**
 * One panel per key (reused when asked for again), restored after a reload from the state the page saved.
 * `create` builds the host around a new or restored panel; `keyOf` reads the key back from saved state.
 */
export class KeyedPanels<Host extends WebviewHost<{ type: string }, { type: string }>, State>
  implements vscode.WebviewPanelSerializer<State>, vscode.Disposable
{
  private readonly hosts = new Map<string, Host>();

  constructor(
    private readonly viewType: string,
    private readonly create: (
      panel: vscode.WebviewPanel,
      key: string,
      state: State | undefined,
      restored: boolean,
    ) => Host,
    private readonly keyOf: (state: State | undefined) => string | undefined,
  ) {}

  get(key: string): Host | undefined {
    const host = this.hosts.get(key);
    return host && !host.isDisposed ? host : undefined;
  }

  all(): Host[] {
    return [...this.hosts.values()].filter((h) => !h.isDisposed);
  }

  /** The panel for a key: revealed if open, otherwise created in `column`. */
  open(
    key: string,
    title: string,
    column: vscode.ViewColumn = vscode.ViewColumn.Active,
    state?: State,
    preserveFocus = false,
  ): { host: Host; created: boolean } {
    const existing = this.get(key);
    if (existing) {
      existing.panel.reveal(existing.panel.viewColumn ?? column, preserveFocus);
      return { host: existing, created: false };
    }
    const panel = vscode.window.createWebviewPanel(
      this.viewType,
      title,
      { viewColumn: column, preserveFocus },
      { enableScripts: true, enableFindWidget: true },
    );
    return { host: this.adopt(panel, key, state, false), created: true };
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: State | undefined): Promise<void> {
    const key = this.keyOf(state) ?? `restored:${Math.random().toString(36).slice(2)}`;
    this.adopt(panel, key, state, true);
  }

  private adopt(panel: vscode.WebviewPanel, key: string, state: State | undefined, restored: boolean): Host {
    this.get(key)?.dispose();
    const host = this.create(panel, key, state, restored);
    this.hosts.set(key, host);
    panel.onDidDispose(() => {
      if (this.hosts.get(key) === host) this.hosts.delete(key);
    });
    return host;
  }

  dispose(): void {
    for (const h of this.hosts.values()) h.dispose();
    this.hosts.clear();
  }
}
