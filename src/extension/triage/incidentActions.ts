// Working an incident from the tree or its page: the pickers that build a change, sending it with the
// version the user saw, and the conflict dialog when someone else changed the incident in between.
import * as os from 'os';
import * as vscode from 'vscode';
import { read, Settings } from '../settings';
import {
  CLASSIFICATION_LABELS,
  CLASSIFICATION_REASONS,
  CLASSIFICATIONS,
  describeIncidentChange,
  describeIncidentDifferences,
  IncidentChange,
  IncidentClose,
  isIncidentConflict,
  REASON_LABELS,
} from '../../core/backends/incidentUpdate';
import { SEVERITIES, STATUSES } from '../../core/backends/incidents';
import { characters, MAX_CLOSING_COMMENT_CHARS } from '../../core/backends/limits';
import type { Incident, IncidentOwner, SentinelBackend } from '../../core/backends/types';
import { UserError } from '../../core/errors';

export type ChangeKind = 'assignToMe' | 'assign' | 'status' | 'severity' | 'close' | 'reopen';

const UPN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Who "Assign to me" assigns: the Microsoft account signed in for Azure; locally a setting or the OS user. */
export async function currentUser(backend: SentinelBackend): Promise<IncidentOwner> {
  const configured = read(Settings.incidentsMyName).trim();
  if (configured) return { userPrincipalName: configured, assignedTo: configured };
  if (backend.kind === 'azure') {
    const accounts =
      (await vscode.authentication.getAccounts?.('microsoft').then(
        (a) => a,
        () => [],
      )) ?? [];
    const account = accounts[0];
    if (account) {
      const objectId = /^[0-9a-f-]{36}/i.exec(account.id)?.[0];
      return { userPrincipalName: account.label, assignedTo: account.label, objectId };
    }
    throw new UserError(
      'Sign in to Microsoft first (Sentinel: Connect to Azure Workspace…), or set sentinelWorkbench.incidents.myName.',
    );
  }
  const name = os.userInfo().username || 'analyst';
  return { userPrincipalName: name, assignedTo: name };
}

function closeItems(): (vscode.QuickPickItem & { close: IncidentClose })[] {
  return CLASSIFICATIONS.flatMap((c): (vscode.QuickPickItem & { close: IncidentClose })[] => {
    const reasons = CLASSIFICATION_REASONS[c];
    if (!reasons.length) return [{ label: CLASSIFICATION_LABELS[c], description: c, close: { classification: c } }];
    return reasons.map((r) => ({
      label: `${CLASSIFICATION_LABELS[c]} — ${REASON_LABELS[r]}`,
      description: `${c} · ${r}`,
      close: { classification: c, reason: r },
    }));
  });
}

/** Asks for what to change; undefined when the user cancels. */
export async function askForChange(
  kind: ChangeKind,
  incident: Incident,
  backend: SentinelBackend,
): Promise<IncidentChange | undefined> {
  const title = `Incident #${incident.number}`;
  switch (kind) {
    case 'assignToMe': {
      const me = await currentUser(backend);
      return { owner: me, ...(incident.status === 'New' ? { status: 'Active' as const } : {}) };
    }
    case 'assign': {
      const value = await vscode.window.showInputBox({
        title: `${title}: assign to`,
        prompt: 'User principal name of the new owner; leave empty to unassign',
        value: incident.owner ?? '',
        ignoreFocusOut: true,
        validateInput: (v) =>
          !v.trim() || UPN.test(v.trim())
            ? undefined
            : 'A user principal name such as alice@contoso.com, or empty to unassign.',
      });
      if (value === undefined) return undefined;
      return { owner: value.trim() ? { userPrincipalName: value.trim(), assignedTo: value.trim() } : null };
    }
    case 'severity': {
      const pick = await vscode.window.showQuickPick(
        SEVERITIES.map((s) => ({ label: s, description: s === incident.severity ? 'current' : undefined })),
        { title: `${title}: severity` },
      );
      return pick && { severity: pick.label as Incident['severity'] };
    }
    case 'status': {
      const pick = await vscode.window.showQuickPick(
        STATUSES.map((s) => ({
          label: s,
          description: s === incident.status ? 'current' : s === 'Closed' ? 'asks for a classification' : undefined,
        })),
        { title: `${title}: status` },
      );
      if (!pick) return undefined;
      if (pick.label === 'Closed') return askForChange('close', incident, backend);
      return { status: pick.label as Incident['status'] };
    }
    case 'reopen':
      return { status: 'Active' };
    case 'close': {
      const pick = await vscode.window.showQuickPick(closeItems(), {
        title: `${title}: close as`,
        placeHolder: 'Classification and reason (as Sentinel records them)',
      });
      if (!pick) return undefined;
      const comment = await vscode.window.showInputBox({
        title: `${title}: closing comment`,
        prompt: `Closed as ${pick.label}. A comment for the record (optional)`,
        ignoreFocusOut: true,
        validateInput: (v) =>
          v.length > MAX_CLOSING_COMMENT_CHARS ? `At most ${characters(MAX_CLOSING_COMMENT_CHARS)}.` : undefined,
      });
      if (comment === undefined) return undefined;
      return { close: { ...pick.close, comment: comment.trim() || undefined } };
    }
  }
}

/**
 * Sends a change based on `seen`. On a conflict the user sees what the other person changed and may apply
 * their own change on top of it (or keep theirs). Returns the incident as it is now.
 */
export async function sendChange(
  backend: SentinelBackend,
  seen: Incident,
  change: IncidentChange,
): Promise<{ incident: Incident; applied: boolean }> {
  let base = seen;
  for (;;) {
    try {
      const incident = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Incident #${base.number}: ${describeIncidentChange(change)}…`,
        },
        () => backend.updateIncident(base.id, change, { etag: base.etag }),
      );
      return { incident, applied: true };
    } catch (e) {
      if (!isIncidentConflict(e)) throw e;
      const theirs = e.theirs;
      const diff = describeIncidentDifferences(base, theirs);
      const retry = 'Apply My Change Again';
      const answer = await vscode.window.showWarningMessage(
        `Someone else changed incident #${theirs.number} since you opened it${diff.length ? `: ${diff.join(', ')}` : ''}.`,
        { modal: false },
        retry,
        'Keep Theirs',
      );
      if (answer !== retry) return { incident: theirs, applied: false };
      base = theirs;
    }
  }
}
