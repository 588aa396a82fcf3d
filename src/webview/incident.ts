// The incident page. Renders what the host sends (escaping rules in _incidentRender.ts), keeps only the
// incident id in its saved state (the data is fetched again after a reload) and posts clicks to the host.
import type { HostToIncident, IncidentState, IncidentToHost } from './_incidentProtocol';
import { renderIncident } from './_incidentRender';

declare function acquireVsCodeApi(): {
  postMessage(m: IncidentToHost): void;
  getState(): IncidentState | undefined;
  setState(s: IncidentState): void;
};

const vscode = acquireVsCodeApi();
const root = document.getElementById('root') as HTMLElement;
const notice = document.getElementById('notice') as HTMLElement;
const initial = (window as unknown as { __initialState?: IncidentState }).__initialState;
const state: IncidentState | undefined = vscode.getState() ?? initial;
if (state) vscode.setState(state);

function setNotice(text: string, kind: 'info' | 'error'): void {
  notice.textContent = text;
  notice.className = `notice ${kind}`;
  notice.hidden = !text;
}

function setBusy(busy: boolean): void {
  document.body.classList.toggle('busy', busy);
  for (const b of Array.from(root.querySelectorAll<HTMLButtonElement>('button'))) b.disabled = busy;
}

window.addEventListener('message', (event: MessageEvent<HostToIncident>) => {
  const m = event.data;
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'loading':
      if (!root.querySelector('.title')) {
        root.innerHTML = '';
        const p = document.createElement('p');
        p.className = 'loading';
        p.textContent = `Loading ${m.title}…`;
        root.append(p);
      }
      document.body.classList.add('busy');
      break;
    case 'show': {
      // Keep a comment being typed across a refresh.
      const draft = (root.querySelector('#comment-text') as HTMLTextAreaElement | null)?.value ?? '';
      root.innerHTML = renderIncident(m.view);
      const box = root.querySelector('#comment-text') as HTMLTextAreaElement | null;
      if (box) box.value = draft;
      document.body.classList.remove('busy');
      const i = m.view.details.incident;
      document.title = `#${i.number} ${i.title}`;
      vscode.setState({ incidentId: i.id, title: `#${i.number} ${i.title}` });
      break;
    }
    case 'notice':
      setNotice(m.text, m.kind);
      break;
    case 'busy':
      setBusy(m.busy);
      break;
    case 'commentAdded': {
      const box = root.querySelector('#comment-text') as HTMLTextAreaElement | null;
      if (box) box.value = '';
      break;
    }
  }
});

document.addEventListener('click', (event) => {
  const target = event.target as HTMLElement | null;
  const entity = target?.closest<HTMLElement>('[data-entity-action]');
  if (entity?.dataset.key) {
    const action = entity.dataset.entityAction;
    if (action === 'analyze' || action === 'baseline' || action === 'copy')
      vscode.postMessage({ type: 'entity', action, key: entity.dataset.key });
    return;
  }
  const button = target?.closest<HTMLElement>('[data-action]');
  const action = button?.dataset.action;
  if (!action || action === 'comment') return;
  if (['assignToMe', 'assign', 'status', 'severity', 'close', 'reopen', 'portal', 'refresh'].includes(action)) {
    setNotice('', 'info');
    vscode.postMessage({ type: 'action', action: action as Extract<IncidentToHost, { type: 'action' }>['action'] });
  }
});

document.addEventListener('submit', (event) => {
  const form = (event.target as HTMLElement | null)?.closest('[data-form="comment"]');
  if (!form) return;
  event.preventDefault();
  const text = (form.querySelector('#comment-text') as HTMLTextAreaElement).value;
  if (!text.trim()) {
    setNotice('Type a comment first.', 'error');
    return;
  }
  setNotice('', 'info');
  vscode.postMessage({ type: 'comment', text });
});

vscode.postMessage({ type: 'ready' });
