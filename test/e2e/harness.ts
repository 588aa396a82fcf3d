// E2E harness: the packaged extension in a real VS Code (code-server) driven through Debian's Chromium.
//
// Write a spec as test/e2e/<area>.e2e.ts and run it with `npm run test:e2e` (all specs) or
// `npm run test:e2e -- --grep <title>`; on a shared machine wrap it: `flock /tmp/swb/e2e.lock npm run test:e2e`.
//
//   import { useWorkbench } from './harness';
//   describe('incidents', function () {
//     const wb = useWorkbench({ settings: { 'sentinelWorkbench.incidents.groupBy': 'none' } });
//     it('lists the demo incidents', async () => {
//       await wb.openView('Sentinel Workbench');
//       await wb.clickTreeItem('High');
//       await wb.screenshot('incidents-expanded');
//     });
//   });
//
// useWorkbench() (call it directly inside describe) starts one code-server + browser for the describe block:
// the .vsix is packaged once per run (reused while newer than its inputs) and installed into isolated
// user-data/extensions folders under a temp dir; sample/ (with the generated sample/lake) is copied to a temp
// workspace, so tests never modify the repo. Every process is stopped in after(), also on failure.
// A failing test saves test-results/<spec>--<test>--failure.png and copies code-server's logs to
// test-results/logs/<spec>/.
//
// Helpers (all wait for conditions, never sleep): openFile(relPath), runCommand(title), paletteHas(label),
// openView(containerTitle), view(name), treeItem(label), clickTreeItem(label), contextMenu(label, item),
// editorContextMenu(item), waitForNotification(text), dismissNotifications(), webview(title) (FrameLocator
// of the page inside a webview), webviewFrame(title) (its Frame, for evaluate), quickPick(label) /
// quickInputSubmit(text) (answer a pick or input box), editorText(), token(text) (class and color of a
// rendered token), setEditorText(text), statusBarText(),
// statusBarItem(text), languageMode(), screenshot(name). `wb.page` is the Playwright page for anything else.
//
// Environment: SWB_VSIX=path installs that package instead of packaging the tree (e.g. while someone's
// source does not build); SWB_CHROMIUM=path another Chromium; SWB_CACHE_DIR where setup put code-server.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import {
  chromium,
  selectors,
  type Browser,
  type Frame,
  type FrameLocator,
  type Locator,
  type Page,
} from 'playwright-core';
import * as cs from '../../scripts/lib/codeServer';

export const ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
const SAMPLE = path.join(ROOT, 'sample');
const { CHROMIUM, CHROMIUM_ARGS } = cs;

/** Settings every e2e workbench starts with (on top of the quiet defaults in scripts/lib/codeServer.js). */
export const E2E_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.editor.enablePreview': false,
  'workbench.layoutControl.enabled': false,
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'editor.accessibilitySupport': 'off',
  'files.autoSave': 'off',
  'terminal.integrated.enablePersistentSessions': false,
};

export interface WorkbenchOptions {
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Extra files written into the temp workspace: { 'relative/path.kql': 'content' }. */
  files?: Record<string, string>;
  /** Folder copied as the workspace (default: sample/). */
  workspace?: string;
  /** Browser viewport (default 1440×900). */
  viewport?: { width: number; height: number };
}

// ------------------------------------------------------------------------------------ one-time setup

interface Prepared {
  bin: string;
  vsix: string;
  extensionsDir: string;
  tmpRoot: string;
}
let prepared: Prepared | undefined;

/** Packages the .vsix (if stale), generates the demo lake (if missing) and installs the extension once per process. */
export function prepareOnce(): Prepared {
  if (prepared) return prepared;
  const bin = cs.ensureCodeServer();
  const vsix = cs.packageVsix({ log: (m) => console.log(`      ${m}`) });
  ensureDemoLake();
  const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'swb-e2e-'));
  const extensionsDir = path.join(tmpRoot, 'extensions');
  cs.installExtension({ bin, vsix, userDataDir: path.join(tmpRoot, 'install-user-data'), extensionsDir });
  process.once('exit', () => fs.rmSync(tmpRoot, { recursive: true, force: true }));
  prepared = { bin, vsix, extensionsDir, tmpRoot };
  return prepared;
}

/** Generates sample/lake with the CLI when it is missing (a warning, not a failure, if the generator fails). */
export function ensureDemoLake(): void {
  const lake = path.join(SAMPLE, 'lake');
  if (fs.existsSync(lake) && fs.readdirSync(lake).length > 0) return;
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const r = spawnSync(process.execPath, [cli, 'lake', 'generate', '--out', lake], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0)
    console.warn(
      `      warning: could not generate sample/lake: ${(r.stderr || r.stdout || '').trim().split('\n')[0]}`,
    );
}

function slug(s: string): string {
  return (
    s
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'unnamed'
  );
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function exact(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

// ------------------------------------------------------------------------------------ the workbench

export class Workbench {
  page!: Page;
  browser!: Browser;
  server!: cs.RunningCodeServer;
  /** The temp copy of the workspace folder that code-server opened. */
  workspaceDir!: string;
  userDataDir!: string;
  url!: string;
  /** Uncaught errors in the page (the workbench), for diagnostics. */
  readonly pageErrors: string[] = [];

  constructor(
    readonly specName: string,
    private readonly options: WorkbenchOptions = {},
  ) {}

  async start(): Promise<void> {
    const { bin, extensionsDir, tmpRoot } = prepareOnce();
    const dir = fs.mkdtempSync(path.join(tmpRoot, `${slug(this.specName)}-`));
    this.userDataDir = path.join(dir, 'user-data');
    this.workspaceDir = path.join(dir, path.basename(this.options.workspace ?? SAMPLE));
    fs.cpSync(this.options.workspace ?? SAMPLE, this.workspaceDir, { recursive: true });
    for (const [rel, content] of Object.entries(this.options.files ?? {})) {
      const file = path.join(this.workspaceDir, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content);
    }
    cs.writeUserSettings(this.userDataDir, { ...E2E_SETTINGS, ...this.options.settings });
    this.server = await cs.startCodeServer({
      bin,
      userDataDir: this.userDataDir,
      extensionsDir,
      folder: this.workspaceDir,
      logFile: path.join(dir, 'code-server.log'),
    });
    await registerSelectorEngines();
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const context = await this.browser.newContext({ viewport: this.options.viewport ?? { width: 1440, height: 900 } });
    this.page = await context.newPage();
    this.page.on('pageerror', (e) => this.pageErrors.push(e.message));
    this.url = `${this.server.url}?folder=${encodeURIComponent(this.workspaceDir)}`;
    await this.page.goto(this.url);
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    // The workbench is usable once the activity bar and status bar are rendered.
    await this.page.locator('.part.activitybar').first().waitFor();
    await this.page.locator('.part.statusbar').waitFor();
  }

  async stop(): Promise<void> {
    await this.browser?.close().catch(() => undefined);
    await this.server?.stop();
  }

  /** Copies code-server's logs (extension host, window, server) to test-results/logs/<spec>/. */
  saveLogs(): string {
    const dest = path.join(RESULTS_DIR, 'logs', slug(this.specName));
    fs.mkdirSync(dest, { recursive: true });
    const logs = path.join(this.userDataDir, 'logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, dest, { recursive: true });
    const serverLog = path.join(path.dirname(this.userDataDir), 'code-server.log');
    if (fs.existsSync(serverLog)) fs.copyFileSync(serverLog, path.join(dest, 'code-server.log'));
    if (this.pageErrors.length) fs.writeFileSync(path.join(dest, 'page-errors.txt'), this.pageErrors.join('\n'));
    return dest;
  }

  /** Saves test-results/<name>.png and returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${slug(name)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // ---------------------------------------------------------------------------- palette and quick input

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Rows of the open quick pick. */
  get quickPickRows(): Locator {
    return this.quickInput.locator('.monaco-list-row');
  }

  private async openPalette(text: string): Promise<void> {
    const box = this.quickInput.locator('input.input');
    if (!(await this.quickInput.isVisible())) {
      await this.focusWorkbench();
      await this.page.keyboard.press('F1');
    }
    await box.waitFor();
    await box.fill(`>${text}`);
  }

  /** Opens the command palette filtered by `text` and waits until it lists at least one row; returns the rows. */
  async showPalette(text: string): Promise<Locator> {
    await this.openPalette(text);
    await this.quickPickRows.first().waitFor();
    return this.quickPickRows;
  }

  /** The palette row whose label is exactly `label` (e.g. "Sentinel: Run Query"), after typing it. */
  async paletteRow(label: string): Promise<Locator> {
    await this.openPalette(label);
    const row = this.quickPickRows.filter({ has: this.page.locator('.label-name', { hasText: exact(label) }) }).first();
    return row;
  }

  /** True when the palette lists a command labelled exactly `label`. Leaves the palette closed. */
  async paletteHas(label: string, timeoutMs = 5000): Promise<boolean> {
    const row = await this.paletteRow(label);
    const found = await row.waitFor({ timeout: timeoutMs }).then(
      () => true,
      () => false,
    );
    await this.closeQuickInput();
    return found;
  }

  /** Runs a command from the palette by its full label ("Sentinel: Run Query"; "View: Close All Editors"). */
  async runCommand(label: string): Promise<void> {
    const row = await this.paletteRow(label);
    await row.waitFor();
    await row.click();
  }

  /** Picks the item labelled `label` in an open quick pick (a command's picker). */
  async quickPick(label: string | RegExp): Promise<void> {
    await this.quickInput.waitFor();
    const row = this.quickPickRows
      .filter({ has: this.page.locator('.label-name', { hasText: typeof label === 'string' ? exact(label) : label }) })
      .first();
    await row.click();
  }

  /** Types into an open input box (or quick pick filter) and presses Enter. */
  async quickInputSubmit(text: string): Promise<void> {
    const box = this.quickInput.locator('input.input');
    await box.waitFor();
    await box.fill(text);
    await box.press('Enter');
  }

  /**
   * Accepts the simple save dialog's proposal once it shows `fileName` (it fills its box asynchronously, so an Enter
   * pressed earlier can be lost), pressing Enter again while the dialog stays open.
   */
  async acceptSaveDialog(fileName: string, timeoutMs = 20000): Promise<void> {
    const box = this.quickInput.locator('input.input');
    await box.waitFor();
    const end = Date.now() + timeoutMs;
    while (!(await box.inputValue().catch(() => '')).endsWith(fileName) && Date.now() < end)
      await this.page.waitForTimeout(100);
    while (await this.quickInput.isVisible()) {
      if (Date.now() > end) throw new Error(`the save dialog did not take ${fileName}`);
      await box.press('Enter').catch(() => undefined);
      await this.quickInput.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
    }
  }

  async closeQuickInput(): Promise<void> {
    if (await this.quickInput.isVisible()) {
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
  }

  /** Puts keyboard focus into the workbench (not the address bar or a webview). */
  async focusWorkbench(): Promise<void> {
    const editor = this.page.locator('.editor-group-container.active .monaco-editor textarea').first();
    if (await editor.isVisible().catch(() => false)) await editor.focus();
    else
      await this.page
        .locator('.part.statusbar')
        .click({ position: { x: 1, y: 1 } })
        .catch(() => undefined);
  }

  // ---------------------------------------------------------------------------- files and editors

  /** Opens a workspace file (path relative to the workspace folder) with Quick Open and waits for its editor. */
  async openFile(relPath: string): Promise<void> {
    const name = path.basename(relPath);
    await this.focusWorkbench();
    await this.page.keyboard.press('Control+P');
    const box = this.quickInput.locator('input.input');
    await box.waitFor();
    await box.fill(relPath);
    let row = this.quickPickRows.filter({ has: this.page.locator('.label-name', { hasText: exact(name) }) });
    const dir = path.posix.dirname(relPath.replace(/\\/g, '/'));
    if (dir !== '.') row = row.filter({ has: this.page.locator('.label-description', { hasText: dir }) });
    row = row.first();
    // Click the row itself: Enter would open whichever row is selected, which may still be a stale one.
    await row.click();
    const tab = `.editor-group-container.active .tabs-container .tab.active[data-resource-name="${name.replace(/"/g, '\\"')}"]`;
    await this.page.locator(tab).first().waitFor();
    await this.activeEditor.locator('.view-lines').waitFor();
  }

  /** The active text editor. */
  get activeEditor(): Locator {
    return this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Visible text of the active editor, line by line (Monaco renders only the lines in view). */
  async editorText(): Promise<string> {
    const lines = this.activeEditor.locator('.view-lines .view-line');
    await lines.first().waitFor();
    return (
      await lines.evaluateAll((els) =>
        els
          .map((e) => ({
            top: parseFloat((e as HTMLElement).style.top) || 0,
            text: (e.textContent ?? '').replace(/\u00a0/g, ' '),
          }))
          .sort((a, b) => a.top - b.top)
          .map((l) => l.text),
      )
    ).join('\n');
  }

  /**
   * The rendered token whose text (trimmed) is `text` in the active editor's visible lines: its Monaco
   * token class (mtkN) and computed color. Waits until such a token is rendered.
   */
  async token(text: string, timeoutMs = 10000): Promise<{ className: string; color: string }> {
    const root = await this.activeEditor.locator('.view-lines').elementHandle();
    // Inline anonymous functions only: page functions must not reference helpers the TS transpiler adds.
    const handle = await this.page.waitForFunction(
      ([lines, wanted]) => {
        for (const span of Array.from((lines as Element).querySelectorAll('.view-line > span > span'))) {
          if ((span.textContent ?? '').replace(/\u00a0/g, ' ').trim() === wanted) {
            return { className: span.className, color: getComputedStyle(span).color };
          }
        }
        return undefined;
      },
      [root, text] as const,
      { timeout: timeoutMs },
    );
    return (await handle.jsonValue()) as { className: string; color: string };
  }

  /** Replaces the active editor's content by typing (select all, then insert). */
  async setEditorText(text: string): Promise<void> {
    await this.activeEditor.locator('textarea').focus();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(text);
  }

  /** The language mode shown in the status bar for the active editor ("KQL"). */
  async languageMode(): Promise<string> {
    const item = this.page.locator('[id="status.editor.mode"]');
    await item.waitFor();
    return ((await item.textContent()) ?? '').trim();
  }

  /** Right-clicks in the active editor and picks a context menu item. */
  async editorContextMenu(item: string | RegExp): Promise<void> {
    await this.activeEditor.locator('.view-lines').click({ button: 'right' });
    await this.clickMenuItem(item);
  }

  // ---------------------------------------------------------------------------- views and trees

  /** Opens an activity-bar view container by its title ("Sentinel Workbench", "Explorer"). */
  async openView(containerTitle: string): Promise<void> {
    const item = this.page.locator(`.part.activitybar .action-item a[aria-label^="${containerTitle}"]`).first();
    await item.waitFor();
    const sidebar = this.page.locator('.part.sidebar');
    const already =
      (await item.getAttribute('aria-expanded')) === 'true' ||
      (await item.locator('xpath=..').getAttribute('class'))?.includes('checked');
    if (!already || !(await sidebar.isVisible())) await item.click();
    await sidebar
      .locator('.composite.title', { hasText: containerTitle.toUpperCase() })
      .or(sidebar.locator(`.composite.title h2[title*="${containerTitle}"]`))
      .first()
      .waitFor();
  }

  /** A view (pane) in the side bar by its name ("Incidents"). */
  view(name: string): Locator {
    return this.page
      .locator('.part.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header .title', { hasText: exact(name) }) });
  }

  /** Expands a collapsed view pane. */
  async expandView(name: string): Promise<void> {
    const header = this.view(name).locator('.pane-header');
    await header.waitFor();
    if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
  }

  /** A tree row by its label (exact match of the label, not the description), anywhere in the side bar or in `within`. */
  treeItem(label: string | RegExp, within?: Locator): Locator {
    const scope = within ?? this.page.locator('.part.sidebar');
    return scope
      .locator('.monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: typeof label === 'string' ? exact(label) : label }) })
      .first();
  }

  async clickTreeItem(label: string | RegExp, options: { within?: Locator; double?: boolean } = {}): Promise<Locator> {
    const row = this.treeItem(label, options.within);
    await row.waitFor();
    if (options.double) await row.dblclick();
    else await row.click();
    return row;
  }

  /** Right-clicks a tree row and picks a context menu item. */
  async contextMenu(label: string | RegExp, item: string | RegExp, within?: Locator): Promise<void> {
    const row = this.treeItem(label, within);
    await row.waitFor();
    await row.click({ button: 'right' });
    await this.clickMenuItem(item);
  }

  /** Clicks an item of the open context menu (menus live in a shadow root; Playwright's CSS pierces it). */
  async clickMenuItem(item: string | RegExp): Promise<void> {
    const entry = this.page
      .locator('.monaco-menu .action-item')
      .filter({ has: this.page.locator('.action-label', { hasText: typeof item === 'string' ? exact(item) : item }) })
      .first();
    await entry.waitFor();
    // A menu ignores clicks in its first ~100 ms: move the mouse onto the item first, as a user does.
    await entry.hover();
    await entry.locator('.action-label').first().waitFor({ state: 'visible' });
    await this.page
      .waitForFunction(() => !!document.querySelector('.monaco-menu .action-item.focused'), undefined, {
        timeout: 2000,
      })
      .catch(() => undefined);
    await entry.click();
    // Under load a click can land while the menu still ignores input; the item stays focused, so Enter runs it.
    const menu = this.page.locator('.monaco-menu').first();
    if (
      !(await menu.waitFor({ state: 'hidden', timeout: 2000 }).then(
        () => true,
        () => false,
      ))
    )
      await this.page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden', timeout: 10000 }).catch(() => undefined);
  }

  /**
   * Repeats `act` until `target` shows (each try waits `tryMs`), for gestures the workbench may drop while it
   * re-lays out (a hover on text that CodeLens moved, a click on a row that is re-rendered).
   */
  async until(target: Locator, act: () => Promise<void>, timeoutMs = 30000, tryMs = 3000): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await act();
      const shown = await target.waitFor({ timeout: tryMs }).then(
        () => true,
        () => false,
      );
      if (shown) return;
      if (Date.now() > end) return target.waitFor({ timeout: 1 });
    }
  }

  /** Hovers the middle of `target` (re-read each try, as the text may move) until `hover` shows. */
  async hoverUntil(target: Locator, hover: Locator, timeoutMs = 30000): Promise<void> {
    await this.until(
      hover,
      async () => {
        await this.page.mouse.move(0, 0);
        const box = await target.boundingBox();
        if (box) await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      },
      timeoutMs,
    );
  }

  // ---------------------------------------------------------------------------- notifications, status bar

  /** Waits for a notification toast containing `text`; returns it (e.g. to click its buttons). */
  async waitForNotification(text: string | RegExp, timeoutMs = 15000): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor({ timeout: timeoutMs });
    return toast;
  }

  /** Clears all notifications (so the next waitForNotification sees only new ones). */
  async dismissNotifications(): Promise<void> {
    if ((await this.page.locator('.notifications-toasts .notification-toast').count()) === 0) return;
    await this.runCommand('Notifications: Clear All Notifications');
    await this.page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'detached' });
  }

  /** Texts of all status bar items. */
  async statusBarText(): Promise<string[]> {
    const items = this.page.locator('.part.statusbar .statusbar-item');
    await items.first().waitFor();
    return (await items.allTextContents()).map((t) => t.trim()).filter(Boolean);
  }

  /** The status bar item showing `text`. */
  statusBarItem(text: string | RegExp): Locator {
    return this.page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  }

  // ---------------------------------------------------------------------------- webviews

  /**
   * The page inside the webview titled `title` (an editor tab's label, or a side-bar view's name), as a lazy,
   * auto-waiting FrameLocator. Webviews are two nested iframes laid over the workbench: the outer
   * `iframe.webview` hosts `#active-frame`, which holds the extension's HTML. The outer iframe carries no
   * title, so the `swb-webview` selector engine finds the visible one over the editor group whose active tab
   * (or the view) has that title. A webview in a background tab is hidden: click its tab first.
   */
  webview(title: string): FrameLocator {
    return this.page.frameLocator(`swb-webview=${title}`).frameLocator('#active-frame');
  }

  /** The inner webview Frame (for evaluate / waitForSelector); waits until it is shown and has a body. */
  async webviewFrame(title: string, timeoutMs = 20000): Promise<Frame> {
    const outer = this.page.locator(`swb-webview=${title}`).first();
    await outer.waitFor({ state: 'attached', timeout: timeoutMs });
    const outerFrame = await (await outer.elementHandle())!.contentFrame();
    if (!outerFrame) throw new Error(`webview "${title}" has no frame`);
    const inner = await outerFrame.waitForSelector('#active-frame', { state: 'attached', timeout: timeoutMs });
    const frame = await inner.contentFrame();
    if (!frame) throw new Error(`webview "${title}" has no inner frame`);
    await frame.waitForSelector('body', { state: 'attached', timeout: timeoutMs });
    return frame;
  }
}

/** Selector engine `swb-webview=<title>`: the visible webview iframe over the editor/view titled <title>. */
const WEBVIEW_ENGINE = `({
  queryAll(root, title) {
    const doc = root.ownerDocument || root;
    const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
    const hosts = [];
    for (const tab of doc.querySelectorAll('.tabs-container .tab.active')) {
      const label = tab.querySelector('.label-name');
      const group = tab.closest('.editor-group-container');
      const body = group && group.querySelector('.editor-container');
      if (body && norm(label && label.textContent) === title) hosts.push(body);
    }
    for (const pane of doc.querySelectorAll('.pane')) {
      const name = pane.querySelector('.pane-header .title');
      const body = pane.querySelector('.pane-body');
      if (body && norm(name && name.textContent) === title) hosts.push(body);
    }
    const found = [];
    for (const host of hosts) {
      const h = host.getBoundingClientRect();
      for (const f of doc.querySelectorAll('iframe.webview.ready')) {
        const r = f.getBoundingClientRect();
        if (!r.width || !r.height || getComputedStyle(f).visibility === 'hidden') continue;
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (x >= h.left && x <= h.right && y >= h.top && y <= h.bottom && !found.includes(f)) found.push(f);
      }
    }
    return found;
  },
  query(root, title) {
    return this.queryAll(root, title)[0] || null;
  },
})`;

let enginesRegistered: Promise<void> | undefined;
function registerSelectorEngines(): Promise<void> {
  enginesRegistered ??= selectors.register('swb-webview', { content: WEBVIEW_ENGINE });
  return enginesRegistered;
}

// ------------------------------------------------------------------------------------ mocha wiring

/**
 * Starts a Workbench for the enclosing describe block (before), screenshots and saves logs for failed tests
 * (afterEach), and stops everything (after). Call it directly inside describe(), not inside a hook.
 */
export function useWorkbench(options: WorkbenchOptions = {}): Workbench {
  let wb: Workbench | undefined;
  const proxy = new Proxy({} as Workbench, {
    get(_t, prop) {
      if (!wb) throw new Error('the workbench is not started (use wb inside it()/hooks, not at describe time)');
      const v = (wb as any)[prop];
      return typeof v === 'function' ? v.bind(wb) : v;
    },
  });

  before(async function () {
    this.timeout(240000);
    const spec = path.basename(this.test?.parent?.file ?? 'e2e', '.e2e.ts');
    wb = new Workbench(spec, options);
    const kill = () => wb?.server?.child.pid && killGroupNow(wb.server.child.pid);
    process.once('exit', kill);
    try {
      await wb.start();
    } catch (e) {
      await wb.screenshot(`${spec}--startup--failure`).catch(() => undefined);
      if (wb.userDataDir) console.error(`      logs: ${wb.saveLogs()}`);
      await wb.stop();
      throw e;
    }
  });

  afterEach(async function () {
    if (!wb || this.currentTest?.state !== 'failed') return;
    const file = await wb.screenshot(`${wb.specName}--${this.currentTest.title}--failure`).catch(() => undefined);
    const logs = wb.saveLogs();
    console.error(
      `      failure screenshot: ${file ? path.relative(ROOT, file) : '(none)'}; logs: ${path.relative(ROOT, logs)}`,
    );
  });

  after(async function () {
    this.timeout(30000);
    await wb?.stop();
  });

  return proxy;
}

function killGroupNow(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // gone
  }
}
