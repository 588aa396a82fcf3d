// A small fake of the `vscode` module for adapter tests: extension code runs against it in plain mocha.
//
// How it is wired: scripts/run-tests.js runs the adapter suite with `--require test/adapter/support/register.ts`,
// which maps `require('vscode')` to this file. So `import * as vscode from 'vscode'` in src/extension/**
// gets these exports, and a test imports the controls from here:
//
//   import { fake, createExtensionContext } from './support/fakeVscode';
//   beforeEach(() => fake.reset());
//   const ctx = createExtensionContext();
//   activate(ctx);                                   // src/extension/extension.ts
//   fake.commands.get('sentinelWorkbench.runQuery')  // the registered handler
//   await fake.executeCommand('sentinelWorkbench.showLog');
//   fake.messages            // [{ level: 'info' | 'warning' | 'error', message, items }]
//   fake.answers.quickPick.push(item)  fake.answers.inputBox.push('text')  fake.answers.message.push('Show Log')
//   fake.settings.set('sentinelWorkbench.backend', 'azure')   // read through workspace.getConfiguration
//   fake.statusBarItems / fake.outputChannels / fake.treeProviders / fake.webviewPanels / fake.registrations
//
// What it models faithfully: command registration and execution, messages and scripted answers,
// configuration reads, EventEmitter, Disposable, Uri, Range/Position/Selection, TreeItem, status bar items,
// output channels, tree views, webview panels (posted messages recorded). Everything else is a harmless
// "anything" proxy: callable, every property is another proxy, disposing it is a no-op. Extend the explicit
// parts here when a test needs real behaviour rather than faking it inside the test.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// ---------------------------------------------------------------------------------------------- basics

/** A value that tolerates any use: property access, calls, `new`, dispose(). Not thenable. */
export function anything(name = 'anything'): any {
  const target = function () {} as any;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === 'then') return undefined;
      if (prop === Symbol.toPrimitive) return () => '';
      if (prop === Symbol.iterator) return function* () {};
      if (prop === 'toString' || prop === 'toJSON') return () => `[fake ${name}]`;
      if (prop === 'dispose') return () => undefined;
      return anything(`${name}.${String(prop)}`);
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`),
  });
}

export class Disposable {
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((d) => d?.dispose()));
  }
  private done = false;
  constructor(private readonly onDispose: () => unknown = () => undefined) {}
  dispose(): void {
    if (this.done) return;
    this.done = true;
    this.onDispose();
  }
}

export type Event<T> = (listener: (e: T) => unknown, thisArg?: unknown, disposables?: Disposable[]) => Disposable;

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event: Event<T> = (listener, thisArg, disposables) => {
    const bound = thisArg ? listener.bind(thisArg) : listener;
    this.listeners.add(bound);
    const d = new Disposable(() => this.listeners.delete(bound));
    disposables?.push(d);
    return d;
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

const neverEvent: Event<any> = () => new Disposable();

export class CancellationError extends Error {
  constructor() {
    super('Canceled');
    this.name = 'Canceled';
  }
}

export class CancellationTokenSource {
  private emitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
  cancel(): void {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this.emitter.fire();
  }
  dispose(): void {
    this.emitter.dispose();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}
  static file(p: string): Uri {
    return new Uri('file', '', path.resolve(p).replace(/\\/g, '/'), '', '');
  }
  static parse(value: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) return new Uri('file', '', value, '', '');
    return new Uri(m[1], m[2] ?? '', decodeURIComponent(m[3] || '/'), m[4] ?? '', m[5] ?? '');
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: path.posix.join(base.path, ...segments) });
  }
  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '/', c.query ?? '', c.fragment ?? '');
  }
  get fsPath(): string {
    return this.path;
  }
  with(change: Partial<Pick<Uri, 'scheme' | 'authority' | 'path' | 'query' | 'fragment'>>): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }
  toString(): string {
    const auth = this.scheme === 'file' || this.authority ? `//${this.authority}` : '';
    return `${this.scheme}:${auth}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  toJSON(): unknown {
    return { scheme: this.scheme, path: this.path, query: this.query, fragment: this.fragment };
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isBefore(o: Position): boolean {
    return this.line < o.line || (this.line === o.line && this.character < o.character);
  }
  isEqual(o: Position): boolean {
    return this.line === o.line && this.character === o.character;
  }
  translate(lineDelta = 0, characterDelta = 0): Position {
    return new Position(this.line + lineDelta, this.character + characterDelta);
  }
  with(line = this.line, character = this.character): Position {
    return new Position(line, character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(a: Position | number, b: Position | number, c?: number, d?: number) {
    const s = typeof a === 'number' ? new Position(a, b as number) : a;
    const e = typeof a === 'number' ? new Position(c as number, d as number) : (b as Position);
    [this.start, this.end] = e.isBefore(s) ? [e, s] : [s, e];
  }
  get isEmpty(): boolean {
    return this.start.isEqual(this.end);
  }
  get isSingleLine(): boolean {
    return this.start.line === this.end.line;
  }
  contains(p: Position | Range): boolean {
    const inside = (x: Position) => !x.isBefore(this.start) && !this.end.isBefore(x);
    return p instanceof Range ? inside(p.start) && inside(p.end) : inside(p);
  }
}

export class Selection extends Range {
  constructor(
    readonly anchor: Position,
    readonly active: Position,
  ) {
    super(anchor, active);
  }
}

export class ThemeIcon {
  static readonly File = new ThemeIcon('file');
  static readonly Folder = new ThemeIcon('folder');
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}
export class ThemeColor {
  constructor(readonly id: string) {}
}
export class MarkdownString {
  isTrusted?: boolean;
  supportThemeIcons?: boolean;
  constructor(
    public value = '',
    supportThemeIcons = false,
  ) {
    this.supportThemeIcons = supportThemeIcons;
  }
  appendMarkdown(v: string): this {
    this.value += v;
    return this;
  }
  appendText(v: string): this {
    this.value += v.replace(/[\\`*_{}[\]()#+\-.!]/g, '\\$&');
    return this;
  }
  appendCodeblock(code: string, lang = ''): this {
    this.value += `\n\`\`\`${lang}\n${code}\n\`\`\`\n`;
    return this;
  }
}

export enum TreeItemCollapsibleState {
  None = 0,
  Collapsed = 1,
  Expanded = 2,
}
export class TreeItem {
  id?: string;
  description?: string | boolean;
  tooltip?: string | MarkdownString;
  iconPath?: unknown;
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  resourceUri?: Uri;
  label?: string | { label: string };
  constructor(
    labelOrUri: string | { label: string } | Uri,
    public collapsibleState: TreeItemCollapsibleState = TreeItemCollapsibleState.None,
  ) {
    if (labelOrUri instanceof Uri) this.resourceUri = labelOrUri;
    else this.label = labelOrUri;
  }
}

export class CodeLens {
  constructor(
    public range: Range,
    public command?: { command: string; title: string; arguments?: unknown[] },
  ) {}
  get isResolved(): boolean {
    return !!this.command;
  }
}

export class Diagnostic {
  source?: string;
  code?: string | number;
  constructor(
    public range: Range,
    public message: string,
    public severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ) {}
}

export class WorkspaceEdit {
  readonly edits: { uri: Uri; range: Range; newText: string }[] = [];
  replace(uri: Uri, range: Range, newText: string): void {
    this.edits.push({ uri, range, newText });
  }
  insert(uri: Uri, position: Position, newText: string): void {
    this.edits.push({ uri, range: new Range(position, position), newText });
  }
  delete(uri: Uri, range: Range): void {
    this.edits.push({ uri, range, newText: '' });
  }
  get size(): number {
    return this.edits.length;
  }
}

export enum StatusBarAlignment {
  Left = 1,
  Right = 2,
}
export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
  Two = 2,
  Three = 3,
}
export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}
export enum ConfigurationTarget {
  Global = 1,
  Workspace = 2,
  WorkspaceFolder = 3,
}
export enum DiagnosticSeverity {
  Error = 0,
  Warning = 1,
  Information = 2,
  Hint = 3,
}
export enum QuickPickItemKind {
  Separator = -1,
  Default = 0,
}
export enum ExtensionMode {
  Production = 1,
  Development = 2,
  Test = 3,
}
export enum LogLevel {
  Off = 0,
  Trace = 1,
  Debug = 2,
  Info = 3,
  Warning = 4,
  Error = 5,
}
export enum EndOfLine {
  LF = 1,
  CRLF = 2,
}
export enum TextEditorRevealType {
  Default = 0,
  InCenter = 1,
  InCenterIfOutsideViewport = 2,
  AtTop = 3,
}
export enum UIKind {
  Desktop = 1,
  Web = 2,
}

// ---------------------------------------------------------------------------------------------- state

export interface RecordedMessage {
  level: 'info' | 'warning' | 'error';
  message: string;
  items: unknown[];
}

export interface FakeStatusBarItem {
  alignment: StatusBarAlignment;
  priority?: number;
  id?: string;
  name?: string;
  text: string;
  tooltip?: string | MarkdownString;
  command?: string | { command: string };
  backgroundColor?: ThemeColor;
  visible: boolean;
  show(): void;
  hide(): void;
  dispose(): void;
}

export interface FakeOutputChannel {
  name: string;
  lines: string[];
  logLevel: LogLevel;
  onDidChangeLogLevel: Event<LogLevel>;
  append(v: string): void;
  appendLine(v: string): void;
  replace(v: string): void;
  clear(): void;
  trace(m: string, ...a: unknown[]): void;
  debug(m: string, ...a: unknown[]): void;
  info(m: string, ...a: unknown[]): void;
  warn(m: string, ...a: unknown[]): void;
  error(m: string | Error, ...a: unknown[]): void;
  show(): void;
  hide(): void;
  dispose(): void;
  shown: boolean;
}

export interface FakeWebviewPanel {
  viewType: string;
  title: string;
  webview: {
    html: string;
    options: unknown;
    cspSource: string;
    posted: unknown[];
    postMessage(m: unknown): Promise<boolean>;
    asWebviewUri(u: Uri): Uri;
    onDidReceiveMessage: Event<unknown>;
  };
  /** Simulates a message sent by the page. */
  receive(message: unknown): void;
  visible: boolean;
  active: boolean;
  viewColumn?: ViewColumn;
  onDidDispose: Event<void>;
  onDidChangeViewState: Event<unknown>;
  reveal(): void;
  dispose(): void;
  disposed: boolean;
}

class FakeState {
  /** Registered command handlers by id (in registration order). */
  readonly commands = new Map<string, (...args: any[]) => unknown>();
  /** Every registerCommand call, duplicates included. */
  readonly commandRegistrations: string[] = [];
  /** executeCommand calls for commands not registered by the extension (built-ins like setContext). */
  readonly executedExternal: { id: string; args: unknown[] }[] = [];
  readonly messages: RecordedMessage[] = [];
  readonly settings = new Map<string, unknown>();
  readonly statusBarItems: FakeStatusBarItem[] = [];
  readonly outputChannels: FakeOutputChannel[] = [];
  readonly treeProviders = new Map<string, unknown>();
  readonly webviewPanels: FakeWebviewPanel[] = [];
  /** Other registrations by kind, e.g. 'codeLensProvider', 'webviewPanelSerializer', 'uriHandler'. */
  readonly registrations: { kind: string; args: unknown[] }[] = [];
  /** Scripted answers, consumed first-in first-out; an empty queue answers undefined (= the user pressed Escape). */
  readonly answers = {
    quickPick: [] as unknown[],
    inputBox: [] as (string | undefined)[],
    message: [] as (string | undefined)[],
    openDialog: [] as unknown[],
    saveDialog: [] as unknown[],
  };
  readonly contexts = new Map<string, unknown>();
  readonly clipboard = { text: '' };
  workspaceFolders: { uri: Uri; name: string; index: number }[] | undefined = undefined;
  /** What vscode.window.activeTextEditor returns (see fakeEditor). */
  activeTextEditor: unknown = undefined;
  isTrusted = true;

  reset(): void {
    this.commands.clear();
    this.commandRegistrations.length = 0;
    this.executedExternal.length = 0;
    this.messages.length = 0;
    this.settings.clear();
    this.statusBarItems.length = 0;
    this.outputChannels.length = 0;
    this.treeProviders.clear();
    this.webviewPanels.length = 0;
    this.registrations.length = 0;
    for (const q of Object.values(this.answers)) q.length = 0;
    this.contexts.clear();
    this.clipboard.text = '';
    this.workspaceFolders = undefined;
    this.activeTextEditor = undefined;
    this.isTrusted = true;
  }

  /** Runs a registered command like VS Code does (unknown ids are recorded and resolve undefined). */
  async executeCommand<T = unknown>(id: string, ...args: unknown[]): Promise<T> {
    const handler = this.commands.get(id);
    if (handler) return (await handler(...args)) as T;
    if (id === 'setContext') this.contexts.set(String(args[0]), args[1]);
    this.executedExternal.push({ id, args });
    return undefined as T;
  }

  /** Sets the workspace folders seen through vscode.workspace.workspaceFolders. */
  setWorkspaceFolders(...dirs: string[]): void {
    this.workspaceFolders = dirs.map((d, index) => ({ uri: Uri.file(d), name: path.basename(d), index }));
  }
}

export const fake = new FakeState();

function registration(kind: string, ...args: unknown[]): Disposable {
  const entry = { kind, args };
  fake.registrations.push(entry);
  return new Disposable(() => {
    const i = fake.registrations.indexOf(entry);
    if (i >= 0) fake.registrations.splice(i, 1);
  });
}

function message(level: RecordedMessage['level']) {
  return async (msg: string, ...rest: unknown[]): Promise<any> => {
    const items = rest.filter((r) => typeof r === 'string' || (r && typeof r === 'object' && 'title' in (r as object)));
    fake.messages.push({ level, message: msg, items });
    return fake.answers.message.shift();
  };
}

// ---------------------------------------------------------------------------------------------- namespaces

export const commands = {
  registerCommand(id: string, handler: (...args: any[]) => unknown, thisArg?: unknown): Disposable {
    fake.commandRegistrations.push(id);
    if (fake.commands.has(id)) throw new Error(`command '${id}' already exists`);
    fake.commands.set(id, thisArg ? handler.bind(thisArg) : handler);
    return new Disposable(() => fake.commands.delete(id));
  },
  registerTextEditorCommand(id: string, handler: (...args: any[]) => unknown): Disposable {
    return commands.registerCommand(id, (...args) => handler(window.activeTextEditor, anything('edit'), ...args));
  },
  executeCommand: <T = unknown>(id: string, ...args: unknown[]): Promise<T> => fake.executeCommand<T>(id, ...args),
  getCommands: async (): Promise<string[]> => [...fake.commands.keys()],
};

function createOutputChannel(name: string, _options?: unknown): FakeOutputChannel {
  const lines: string[] = [];
  const levelEmitter = new EventEmitter<LogLevel>();
  const log =
    (level: string) =>
    (m: string | Error, ...a: unknown[]) =>
      lines.push(`[${level}] ${m instanceof Error ? m.message : m}${a.length ? ' ' + a.map(String).join(' ') : ''}`);
  const channel: FakeOutputChannel = {
    name,
    lines,
    logLevel: LogLevel.Info,
    onDidChangeLogLevel: levelEmitter.event,
    append: (v) => lines.push(v),
    appendLine: (v) => lines.push(v),
    replace: (v) => lines.splice(0, lines.length, v),
    clear: () => (lines.length = 0),
    trace: log('trace'),
    debug: log('debug'),
    info: log('info'),
    warn: log('warning'),
    error: log('error'),
    show: () => (channel.shown = true),
    hide: () => (channel.shown = false),
    dispose: () => undefined,
    shown: false,
  };
  fake.outputChannels.push(channel);
  return channel;
}

function createStatusBarItem(
  a?: string | StatusBarAlignment,
  b?: StatusBarAlignment | number,
  c?: number,
): FakeStatusBarItem {
  const id = typeof a === 'string' ? a : undefined;
  const alignment = (typeof a === 'string' ? b : a) ?? StatusBarAlignment.Left;
  const priority = typeof a === 'string' ? c : (b as number | undefined);
  const item: FakeStatusBarItem = {
    id,
    alignment: alignment as StatusBarAlignment,
    priority,
    text: '',
    visible: false,
    show: () => (item.visible = true),
    hide: () => (item.visible = false),
    dispose: () => {
      const i = fake.statusBarItems.indexOf(item);
      if (i >= 0) fake.statusBarItems.splice(i, 1);
    },
  };
  fake.statusBarItems.push(item);
  return item;
}

function createWebviewPanel(
  viewType: string,
  title: string,
  showOptions?: unknown,
  options?: unknown,
): FakeWebviewPanel {
  const disposeEmitter = new EventEmitter<void>();
  const messageEmitter = new EventEmitter<unknown>();
  const panel: FakeWebviewPanel = {
    viewType,
    title,
    webview: {
      html: '',
      options: options ?? {},
      cspSource: 'https://fake.vscode-cdn.net',
      posted: [],
      postMessage: async (m) => {
        panel.webview.posted.push(m);
        return true;
      },
      asWebviewUri: (u) => u.with({ scheme: 'https', authority: 'fake.vscode-cdn.net' }),
      onDidReceiveMessage: messageEmitter.event,
    },
    receive: (m) => messageEmitter.fire(m),
    visible: true,
    active: true,
    viewColumn: typeof showOptions === 'number' ? showOptions : ViewColumn.One,
    onDidDispose: disposeEmitter.event,
    onDidChangeViewState: neverEvent,
    reveal: () => undefined,
    dispose: () => {
      if (panel.disposed) return;
      panel.disposed = true;
      disposeEmitter.fire();
    },
    disposed: false,
  };
  fake.webviewPanels.push(panel);
  return panel;
}

function createTreeView(id: string, options: { treeDataProvider: unknown }): any {
  fake.treeProviders.set(id, options.treeDataProvider);
  const selection = new EventEmitter<unknown>();
  return {
    selection: [],
    visible: true,
    message: undefined,
    title: undefined,
    description: undefined,
    badge: undefined,
    onDidChangeSelection: selection.event,
    onDidChangeVisibility: neverEvent,
    onDidExpandElement: neverEvent,
    onDidCollapseElement: neverEvent,
    onDidChangeCheckboxState: neverEvent,
    reveal: async () => undefined,
    dispose: () => fake.treeProviders.delete(id),
  };
}

/** A text editor over `text` with the given selection (line/character pairs), e.g. to set fake.activeTextEditor. */
export function fakeEditor(
  file: string,
  text: string,
  selection: [number, number, number, number] = [0, 0, 0, 0],
  languageId = 'kql',
): any {
  const lines = text.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const document = {
    uri: Uri.file(file),
    fileName: file,
    languageId,
    lineCount: lines.length,
    getText: (range?: Range) => (range ? text.slice(offset(range.start), offset(range.end)) : text),
  };
  const [sl, sc, el, ec] = selection;
  return { document, selection: new Selection(new Position(sl, sc), new Position(el, ec)) };
}

export const window = {
  get activeTextEditor(): any {
    return fake.activeTextEditor;
  },
  visibleTextEditors: [] as unknown[],
  activeColorTheme: { kind: 2 },
  state: { focused: true, active: true },
  onDidChangeActiveTextEditor: neverEvent,
  onDidChangeVisibleTextEditors: neverEvent,
  onDidChangeTextEditorSelection: neverEvent,
  onDidChangeActiveColorTheme: neverEvent,
  onDidChangeWindowState: neverEvent,
  showInformationMessage: message('info'),
  showWarningMessage: message('warning'),
  showErrorMessage: message('error'),
  showQuickPick: async (_items: unknown, _options?: unknown): Promise<any> => fake.answers.quickPick.shift(),
  showInputBox: async (_options?: unknown): Promise<string | undefined> => fake.answers.inputBox.shift(),
  showOpenDialog: async (): Promise<any> => fake.answers.openDialog.shift(),
  showSaveDialog: async (): Promise<any> => fake.answers.saveDialog.shift(),
  showTextDocument: async (doc: unknown): Promise<any> => ({
    document: doc,
    selection: new Selection(new Position(0, 0), new Position(0, 0)),
  }),
  setStatusBarMessage: (text: string) => registration('statusBarMessage', text),
  createOutputChannel,
  createStatusBarItem,
  createWebviewPanel,
  createTreeView,
  registerTreeDataProvider: (id: string, provider: unknown) => {
    fake.treeProviders.set(id, provider);
    return new Disposable(() => fake.treeProviders.delete(id));
  },
  registerWebviewPanelSerializer: (viewType: string, s: unknown) => registration('webviewPanelSerializer', viewType, s),
  registerWebviewViewProvider: (viewType: string, p: unknown) => registration('webviewViewProvider', viewType, p),
  registerUriHandler: (h: unknown) => registration('uriHandler', h),
  registerFileDecorationProvider: (p: unknown) => registration('fileDecorationProvider', p),
  withProgress: async <R>(
    _options: unknown,
    task: (progress: { report(v: unknown): void }, token: CancellationTokenSource['token']) => Promise<R>,
  ): Promise<R> => task({ report: () => undefined }, new CancellationTokenSource().token),
  createTextEditorDecorationType: () => ({ key: 'decoration', dispose: () => undefined }),
  createQuickPick: () => anything('QuickPick'),
  createInputBox: () => anything('InputBox'),
  tabGroups: {
    all: [],
    activeTabGroup: { tabs: [] },
    onDidChangeTabs: neverEvent,
    onDidChangeTabGroups: neverEvent,
    close: async () => true,
  },
};

function getConfiguration(section?: string): any {
  const key = (k: string) => (section ? `${section}.${k}` : k);
  return {
    get: <T>(k: string, defaultValue?: T): T | undefined =>
      fake.settings.has(key(k)) ? (fake.settings.get(key(k)) as T) : defaultValue,
    has: (k: string) => fake.settings.has(key(k)),
    inspect: (k: string) => ({ key: key(k), globalValue: fake.settings.get(key(k)) }),
    update: async (k: string, value: unknown) => {
      if (value === undefined) fake.settings.delete(key(k));
      else fake.settings.set(key(k), value);
      configurationEmitter.fire({ affectsConfiguration: (s: string) => key(k) === s || key(k).startsWith(`${s}.`) });
    },
  };
}

const configurationEmitter = new EventEmitter<{ affectsConfiguration(section: string): boolean }>();

/** Fires onDidChangeConfiguration for a setting changed through fake.settings directly. */
export function fireConfigurationChange(changedKey: string): void {
  configurationEmitter.fire({
    affectsConfiguration: (s: string) => changedKey === s || changedKey.startsWith(`${s}.`),
  });
}

const fileSystem = {
  stat: async (u: Uri) => {
    const st = await fs.promises.stat(u.fsPath);
    return { type: st.isDirectory() ? 2 : 1, size: st.size, ctime: st.ctimeMs, mtime: st.mtimeMs };
  },
  readFile: async (u: Uri) => new Uint8Array(await fs.promises.readFile(u.fsPath)),
  writeFile: async (u: Uri, data: Uint8Array) => {
    await fs.promises.mkdir(path.dirname(u.fsPath), { recursive: true });
    await fs.promises.writeFile(u.fsPath, data);
  },
  readDirectory: async (u: Uri) =>
    (await fs.promises.readdir(u.fsPath, { withFileTypes: true })).map((e) => [e.name, e.isDirectory() ? 2 : 1]),
  createDirectory: async (u: Uri) => void (await fs.promises.mkdir(u.fsPath, { recursive: true })),
  delete: async (u: Uri) => fs.promises.rm(u.fsPath, { recursive: true, force: true }),
};

export const workspace = {
  get workspaceFolders() {
    return fake.workspaceFolders;
  },
  get isTrusted() {
    return fake.isTrusted;
  },
  get textDocuments(): unknown[] {
    return [];
  },
  name: 'fake workspace',
  fs: fileSystem,
  getConfiguration,
  getWorkspaceFolder: (u: Uri) => fake.workspaceFolders?.find((f) => u.path.startsWith(f.uri.path)),
  asRelativePath: (p: string | Uri) => (typeof p === 'string' ? p : p.path),
  onDidChangeConfiguration: configurationEmitter.event,
  onDidGrantWorkspaceTrust: neverEvent,
  onDidOpenTextDocument: neverEvent,
  onDidCloseTextDocument: neverEvent,
  onDidChangeTextDocument: neverEvent,
  onDidSaveTextDocument: neverEvent,
  onDidChangeWorkspaceFolders: neverEvent,
  openTextDocument: async (arg: unknown): Promise<any> => anything(`TextDocument(${String(arg)})`),
  applyEdit: async (edit: WorkspaceEdit) => {
    fake.registrations.push({ kind: 'appliedEdit', args: [edit] });
    return true;
  },
  findFiles: async (): Promise<Uri[]> => [],
  createFileSystemWatcher: () => ({
    onDidCreate: neverEvent,
    onDidChange: neverEvent,
    onDidDelete: neverEvent,
    dispose: () => undefined,
  }),
  registerTextDocumentContentProvider: (scheme: string, p: unknown) =>
    registration('textDocumentContentProvider', scheme, p),
};

function languageRegistration(kind: string) {
  return (...args: unknown[]) => registration(kind, ...args);
}

export const languages = {
  registerCodeLensProvider: languageRegistration('codeLensProvider'),
  registerHoverProvider: languageRegistration('hoverProvider'),
  registerCompletionItemProvider: languageRegistration('completionItemProvider'),
  registerDocumentSymbolProvider: languageRegistration('documentSymbolProvider'),
  registerCodeActionsProvider: languageRegistration('codeActionsProvider'),
  registerFoldingRangeProvider: languageRegistration('foldingRangeProvider'),
  createDiagnosticCollection: (name?: string) => {
    const entries = new Map<string, Diagnostic[]>();
    return {
      name,
      entries,
      set: (u: Uri, d: Diagnostic[] | undefined) => (d ? entries.set(u.toString(), d) : entries.delete(u.toString())),
      get: (u: Uri) => entries.get(u.toString()),
      delete: (u: Uri) => entries.delete(u.toString()),
      clear: () => entries.clear(),
      forEach: (cb: (u: string, d: Diagnostic[]) => void) => entries.forEach((d, u) => cb(u, d)),
      dispose: () => entries.clear(),
    };
  },
  getDiagnostics: () => [],
  onDidChangeDiagnostics: neverEvent,
  setTextDocumentLanguage: async (doc: unknown) => doc,
};

export const env = {
  appName: 'Fake VS Code',
  appHost: 'desktop',
  uiKind: UIKind.Desktop,
  language: 'en',
  machineId: 'fake-machine',
  sessionId: 'fake-session',
  uriScheme: 'vscode',
  clipboard: {
    readText: async () => fake.clipboard.text,
    writeText: async (t: string) => void (fake.clipboard.text = t),
  },
  openExternal: async (u: Uri) => {
    fake.registrations.push({ kind: 'openExternal', args: [u] });
    return true;
  },
  asExternalUri: async (u: Uri) => u,
};

export const authentication = {
  getSession: async () => undefined,
  onDidChangeSessions: neverEvent,
};

export const extensions = {
  getExtension: () => undefined,
  all: [] as unknown[],
  onDidChange: neverEvent,
};

export const l10n = {
  t: (message: string | { message: string }, ...args: unknown[]) => {
    const text = typeof message === 'string' ? message : message.message;
    return text.replace(/\{(\d+)\}/g, (_m, i) => String(args[Number(i)]));
  },
};

export const version = '1.100.3';

// ---------------------------------------------------------------------------------------------- testing

export enum TestRunProfileKind {
  Run = 1,
  Debug = 2,
  Coverage = 3,
}

export class Location {
  constructor(
    readonly uri: Uri,
    readonly range: Range | Position,
  ) {}
}

export class TestMessage {
  expectedOutput?: string;
  actualOutput?: string;
  location?: Location;
  contextValue?: string;
  constructor(readonly message: string | MarkdownString) {}
  static diff(message: string | MarkdownString, expected: string, actual: string): TestMessage {
    const m = new TestMessage(message);
    m.expectedOutput = expected;
    m.actualOutput = actual;
    return m;
  }
}

export class TestRunRequest {
  constructor(
    readonly include?: FakeTestItem[],
    readonly exclude?: FakeTestItem[],
    readonly profile?: unknown,
    readonly continuous?: boolean,
  ) {}
}

export class FakeTestItemCollection {
  private readonly map = new Map<string, FakeTestItem>();
  constructor(private readonly owner: FakeTestItem | undefined) {}
  get size(): number {
    return this.map.size;
  }
  add(item: FakeTestItem): void {
    item.parent = this.owner;
    this.map.set(item.id, item);
  }
  delete(id: string): void {
    this.map.delete(id);
  }
  get(id: string): FakeTestItem | undefined {
    return this.map.get(id);
  }
  replace(items: FakeTestItem[]): void {
    this.map.clear();
    for (const i of items) this.add(i);
  }
  forEach(cb: (item: FakeTestItem) => void): void {
    for (const i of [...this.map.values()]) cb(i);
  }
  [Symbol.iterator](): Iterator<[string, FakeTestItem]> {
    return this.map.entries();
  }
}

export class FakeTestItem {
  parent: FakeTestItem | undefined;
  range: Range | undefined;
  error: string | undefined;
  description: string | undefined;
  readonly children: FakeTestItemCollection = new FakeTestItemCollection(this);
  constructor(
    readonly id: string,
    readonly label: string,
    readonly uri: Uri | undefined,
  ) {}
}

/** What a test run reported, item id → outcome, in order. */
export interface FakeTestRun {
  request: TestRunRequest;
  events: {
    kind: 'enqueued' | 'started' | 'passed' | 'failed' | 'errored' | 'skipped';
    id: string;
    messages?: TestMessage[];
    duration?: number;
  }[];
  ended: boolean;
}

export const testRuns: FakeTestRun[] = [];

export const tests = {
  createTestController(id: string, label: string) {
    const profiles: {
      label: string;
      kind: TestRunProfileKind;
      runHandler: (r: TestRunRequest, t: unknown) => unknown;
      supportsContinuousRun?: boolean;
    }[] = [];
    const controller = {
      id,
      label,
      items: new FakeTestItemCollection(undefined),
      profiles,
      resolveHandler: undefined as undefined | ((item?: FakeTestItem) => unknown),
      refreshHandler: undefined as undefined | (() => unknown),
      createTestItem: (itemId: string, itemLabel: string, uri?: Uri) => new FakeTestItem(itemId, itemLabel, uri),
      createRunProfile: (
        profileLabel: string,
        kind: TestRunProfileKind,
        runHandler: (r: TestRunRequest, t: unknown) => unknown,
        _isDefault?: boolean,
        _tag?: unknown,
        supportsContinuousRun?: boolean,
      ) => {
        const p = { label: profileLabel, kind, runHandler, supportsContinuousRun, dispose: () => undefined };
        profiles.push(p);
        return p;
      },
      createTestRun: (request: TestRunRequest) => {
        const run: FakeTestRun = { request, events: [], ended: false };
        testRuns.push(run);
        const ev =
          (kind: FakeTestRun['events'][number]['kind']) =>
          (item: FakeTestItem, messages?: TestMessage | TestMessage[], duration?: number) => {
            run.events.push({
              kind,
              id: item.id,
              messages: messages === undefined ? undefined : Array.isArray(messages) ? messages : [messages],
              duration,
            });
          };
        return {
          enqueued: ev('enqueued'),
          started: ev('started'),
          skipped: ev('skipped'),
          errored: ev('errored'),
          failed: ev('failed'),
          passed: (item: FakeTestItem, duration?: number) => run.events.push({ kind: 'passed', id: item.id, duration }),
          appendOutput: () => undefined,
          end: () => {
            run.ended = true;
          },
        };
      },
      dispose: () => undefined,
    };
    fake.registrations.push({ kind: 'testController', args: [controller] });
    return controller;
  },
};

// ---------------------------------------------------------------------------------------------- context

/** A fresh ExtensionContext; storage folders are created under a temp dir. */
export function createExtensionContext(options: { extensionPath?: string } = {}): any {
  const extensionPath = options.extensionPath ?? path.resolve(__dirname, '..', '..', '..');
  const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-adapter-'));
  const memento = () => {
    const m = new Map<string, unknown>();
    return {
      keys: () => [...m.keys()],
      get: <T>(k: string, d?: T) => (m.has(k) ? (m.get(k) as T) : d),
      update: async (k: string, v: unknown) => void (v === undefined ? m.delete(k) : m.set(k, v)),
      setKeysForSync: () => undefined,
    };
  };
  const secrets = new Map<string, string>();
  return {
    subscriptions: [] as { dispose(): unknown }[],
    extensionPath,
    extensionUri: Uri.file(extensionPath),
    extensionMode: ExtensionMode.Test,
    globalState: memento(),
    workspaceState: memento(),
    secrets: {
      get: async (k: string) => secrets.get(k),
      store: async (k: string, v: string) => void secrets.set(k, v),
      delete: async (k: string) => void secrets.delete(k),
      onDidChange: neverEvent,
    },
    storageUri: Uri.file(path.join(storage, 'workspace')),
    globalStorageUri: Uri.file(path.join(storage, 'global')),
    logUri: Uri.file(path.join(storage, 'log')),
    storagePath: path.join(storage, 'workspace'),
    globalStoragePath: path.join(storage, 'global'),
    logPath: path.join(storage, 'log'),
    asAbsolutePath: (rel: string) => path.join(extensionPath, rel),
    environmentVariableCollection: anything('environmentVariableCollection'),
    extension: {
      id: 'sentinel-workbench.sentinel-workbench',
      extensionPath,
      packageJSON: JSON.parse(fs.readFileSync(path.join(extensionPath, 'package.json'), 'utf8')),
    },
  };
}

/** Disposes everything an activate() pushed to context.subscriptions. */
export function disposeContext(context: { subscriptions: { dispose(): unknown }[] }): void {
  for (const d of context.subscriptions.splice(0)) {
    try {
      d.dispose();
    } catch {
      // a disposable that throws must not hide the others
    }
  }
}

// Anything not modelled above (a namespace or class the code under test reaches for) is a harmless proxy,
// so extension code that merely touches an API does not crash the test.
const explicit = module.exports;
module.exports = new Proxy(explicit, {
  get(target, prop) {
    if (prop in target) return target[prop];
    if (typeof prop === 'symbol' || prop === 'default' || prop === 'then') return undefined;
    return anything(`vscode.${prop}`);
  },
});
