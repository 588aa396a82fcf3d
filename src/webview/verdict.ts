// The verdict panel page. Renders what the host sends (see _verdictRender.ts for the escaping rules),
// persists it with setState so the panel restores after a reload, and posts button clicks to the host.
import type { HostToVerdict, VerdictState, VerdictToHost } from './_verdictProtocol';
import { relativeTime, renderVerdict } from './_verdictRender';

declare function acquireVsCodeApi(): {
  postMessage(m: VerdictToHost): void;
  getState(): VerdictState | undefined;
  setState(s: VerdictState): void;
};

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
const notice = document.getElementById('notice') as HTMLElement;
let current: VerdictState | undefined;

function show(state: VerdictState): void {
  current = state;
  vscode.setState(state);
  root.innerHTML = renderVerdict(state.result, state.meta, Date.now());
  document.title = `${state.result.verdict}: ${state.result.entity.id}`;
}

function setNotice(text: string, kind: 'info' | 'error'): void {
  notice.textContent = text;
  notice.className = `notice ${kind}`;
  notice.hidden = !text;
}

window.addEventListener('message', (event: MessageEvent<HostToVerdict>) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  if (m.type === 'show') {
    setNotice('', 'info');
    show({ result: m.result, meta: m.meta });
  } else if (m.type === 'notice') {
    setNotice(m.text, m.kind);
  }
});

document.addEventListener('click', (event) => {
  const target = (event.target as HTMLElement | null)?.closest<HTMLElement>('[data-action]');
  if (!target) return;
  const action = target.dataset.action;
  const index = Number(target.dataset.index);
  switch (action) {
    case 'openQuery':
    case 'runQuery':
      if (Number.isInteger(index)) vscode.postMessage({ type: action, index });
      break;
    case 'copyMarkdown':
    case 'addComment':
    case 'rerun':
      vscode.postMessage({ type: action });
      break;
  }
});

// Relative times ("12 min ago", "expires in 48 min") stay current.
setInterval(() => {
  if (!current || document.hidden) return;
  for (const span of Array.from(root.querySelectorAll<HTMLElement>('[data-time]'))) {
    span.textContent = `(${relativeTime(Number(span.dataset.time), Date.now())})`;
  }
}, 30_000);

const saved = vscode.getState() ?? (window as unknown as { __initialState?: VerdictState }).__initialState;
if (saved?.result) show(saved);
vscode.postMessage({ type: 'ready' });
