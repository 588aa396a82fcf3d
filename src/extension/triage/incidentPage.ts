// The incident page: one editor page per incident (reused when opened again, restored after a reload),
// built on WebviewHost. Data is fetched from the backend on open/refresh; actions go through incidentActions.
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import { parseVerdictComment } from '../../core/analyzer/markdown';
import type { Incident, IncidentDetails, SentinelBackend } from '../../core/backends/types';
import { isCancellation, UserError } from '../../core/errors';
import type {
  HostToIncident,
  IncidentAction,
  IncidentState,
  IncidentToHost,
  IncidentView,
} from '../../webview/_incidentProtocol';
import { Commands } from '../commandIds';
import { KeyedPanels, WebviewHost } from '../webviewHost';
import { askForChange, ChangeKind, currentUser, sendChange } from './incidentActions';

export const INCIDENT_VIEW_TYPE = 'sentinelWorkbench.incident';

export interface IncidentPageDeps {
  extensionUri: vscode.Uri;
  backend: () => Promise<SentinelBackend>;
  /** Tells the tree (and badge) that an incident changed. */
  changed: (incident: Incident) => void;
  /** Tells the tree that an incident's comments changed. */
  commented: (incidentId: string) => void;
}

const BODY =
  '<div id="notice" class="notice" role="status" hidden></div><main id="root" aria-live="polite"><p class="loading">Loading the incident…</p></main>';

function pageTitle(incident: Pick<Incident, 'number' | 'title'>): string {
  const t = incident.title.length > 40 ? `${incident.title.slice(0, 39)}…` : incident.title;
  return `#${incident.number} ${t}`;
}

export class IncidentPage extends WebviewHost<HostToIncident, IncidentToHost> {
  private details: IncidentDetails | undefined;
  private lastView: IncidentView | undefined;
  private loading: Promise<void> | undefined;

  constructor(
    panel: vscode.WebviewPanel,
    readonly incidentId: string,
    private readonly deps: IncidentPageDeps,
  ) {
    super(panel, deps.extensionUri, {
      script: 'incident.js',
      styles: ['incident.css'],
      body: BODY,
      state: { incidentId } satisfies IncidentState,
    });
  }

  protected override pageReady(first: boolean): void {
    if (!first && this.lastView) this.post({ type: 'show', view: this.lastView });
  }

  protected describe(m: IncidentToHost): string {
    return m.type === 'action' ? `Incident: ${m.action}` : m.type === 'comment' ? 'Add Incident Comment' : 'Incident';
  }

  get incident(): Incident | undefined {
    return this.details?.incident;
  }

  /** Fetches the incident again and shows it. */
  reload(): Promise<void> {
    this.loading ??= (async () => {
      this.post({ type: 'loading', title: this.details ? pageTitle(this.details.incident) : 'the incident' });
      try {
        const backend = await this.deps.backend();
        const details = await backend.getIncident(this.incidentId);
        this.details = details;
        this.panel.title = pageTitle(details.incident);
        this.post({ type: 'show', view: await this.view(backend, details) });
      } catch (e) {
        if (!isCancellation(e))
          this.post({ type: 'notice', kind: 'error', text: `Could not load the incident: ${(e as Error).message}` });
        this.post({ type: 'busy', busy: false });
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  /** Shows a version of the incident the host already has (after a change) and refreshes the rest. */
  async showIncident(incident: Incident): Promise<void> {
    if (this.details) {
      this.details = { ...this.details, incident };
      const backend = await this.deps.backend();
      this.post({ type: 'show', view: await this.view(backend, this.details) });
    }
  }

  private async view(backend: SentinelBackend, details: IncidentDetails): Promise<IncidentView> {
    const verdicts = (details.comments ?? [])
      .map((c) => parseVerdictComment(c.message))
      .filter((v) => v !== undefined)
      .reverse();
    const me = await currentUser(backend).then(
      (u) => u.userPrincipalName,
      () => undefined,
    );
    return (this.lastView = {
      details,
      verdicts,
      backendLabel: backend.label,
      timeFormat: read(Settings.timeFormat),
      me,
    });
  }

  protected async handle(m: IncidentToHost): Promise<void> {
    switch (m.type) {
      case 'action':
        return this.act(m.action);
      case 'entity':
        return this.entityAction(m.action, m.key);
      case 'comment':
        return this.comment(m.text);
    }
  }

  private async act(action: IncidentAction): Promise<void> {
    if (action === 'refresh') return this.reload();
    const incident = this.details?.incident;
    if (!incident) throw new UserError('The incident is still loading.');
    if (action === 'portal') {
      if (!incident.url || !/^https:\/\//i.test(incident.url))
        throw new UserError(`Incident #${incident.number} has no portal link.`);
      await vscode.env.openExternal(vscode.Uri.parse(incident.url, true));
      return;
    }
    const backend = await this.deps.backend();
    const change = await askForChange(action as ChangeKind, incident, backend);
    if (!change) return;
    this.post({ type: 'busy', busy: true });
    try {
      const { incident: now, applied } = await sendChange(backend, incident, change);
      this.deps.changed(now);
      await this.showIncident(now);
      if (!applied)
        this.post({
          type: 'notice',
          kind: 'info',
          text: `Showing the current version of incident #${now.number}; your change was not applied.`,
        });
    } finally {
      this.post({ type: 'busy', busy: false });
    }
  }

  private async entityAction(action: 'analyze' | 'baseline' | 'copy', key: string): Promise<void> {
    const entity = this.details?.entities.find((e) => e.key === key);
    if (!entity) return;
    const arg = { entity, incidentId: this.incidentId, incidentIds: [this.incidentId] };
    const command =
      action === 'analyze'
        ? Commands.analyzeEntity
        : action === 'baseline'
          ? Commands.runEntityBaseline
          : Commands.copyEntity;
    await vscode.commands.executeCommand(command, arg);
  }

  private async comment(text: string): Promise<void> {
    if (!text.trim()) throw new UserError('Type a comment first.');
    const backend = await this.deps.backend();
    this.post({ type: 'busy', busy: true });
    try {
      await backend.addIncidentComment(this.incidentId, text);
    } finally {
      this.post({ type: 'busy', busy: false });
    }
    this.post({ type: 'commentAdded' });
    this.deps.commented(this.incidentId);
    await this.reload();
  }
}

export class IncidentPages extends KeyedPanels<IncidentPage, IncidentState> {
  constructor(private readonly deps: IncidentPageDeps) {
    super(
      INCIDENT_VIEW_TYPE,
      (panel, key) => {
        const page = new IncidentPage(panel, key, deps);
        void page.reload();
        return page;
      },
      (state) => (typeof state?.incidentId === 'string' ? state.incidentId : undefined),
    );
  }

  /** Opens (or reveals) the page of an incident. */
  show(incident: Pick<Incident, 'id' | 'number' | 'title'>, options: { preserveFocus?: boolean } = {}): IncidentPage {
    const { host, created } = this.open(
      incident.id,
      pageTitle(incident),
      vscode.ViewColumn.Active,
      undefined,
      options.preserveFocus,
    );
    if (!created) void host.reload();
    return host;
  }

  /** An incident changed elsewhere (tree command, another page): its open page follows. */
  changed(incident: Incident): void {
    void this.get(incident.id)?.showIncident(incident);
  }

  /** Comments changed elsewhere ("Add as incident comment" from a verdict). */
  commented(incidentId: string): void {
    void this.get(incidentId)?.reload();
  }

  get dependencies(): IncidentPageDeps {
    return this.deps;
  }
}
