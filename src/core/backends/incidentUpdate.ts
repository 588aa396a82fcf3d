// Changing an incident the way Sentinel allows it: owner, status, severity, and closing with a
// classification. One validation for both backends, so the lake refuses what ARM would refuse.
import { UserError } from '../errors';
import { SEVERITIES, STATUSES } from './incidents';
import { characters, MAX_CLOSING_COMMENT_CHARS } from './limits';
import type {
  Classification,
  ClassificationReason,
  Incident,
  IncidentChange,
  IncidentClose,
  IncidentOwner,
} from './types';

// The change shapes live in types.ts (the backend interface takes them); re-exported for the callers here.
export type { Classification, ClassificationReason, IncidentChange, IncidentClose } from './types';

/** The reasons Sentinel accepts for each classification (Undetermined takes none). */
export const CLASSIFICATION_REASONS: Record<Classification, ClassificationReason[]> = {
  TruePositive: ['SuspiciousActivity'],
  BenignPositive: ['SuspiciousButExpected'],
  FalsePositive: ['IncorrectAlertLogic', 'InaccurateData'],
  Undetermined: [],
};

export const CLASSIFICATIONS = Object.keys(CLASSIFICATION_REASONS) as Classification[];

/** How the portal names them. */
export const CLASSIFICATION_LABELS: Record<Classification, string> = {
  TruePositive: 'True positive',
  BenignPositive: 'Benign positive',
  FalsePositive: 'False positive',
  Undetermined: 'Undetermined',
};

export const REASON_LABELS: Record<ClassificationReason, string> = {
  SuspiciousActivity: 'Suspicious activity',
  SuspiciousButExpected: 'Suspicious but expected',
  IncorrectAlertLogic: 'Incorrect alert logic',
  InaccurateData: 'Inaccurate data',
};

/** One change a user makes; absent fields stay as they are. `owner: null` unassigns. */

/** Checks a change against Sentinel's rules; returns it normalised or throws a UserError that says what to fix. */
export function validateIncidentChange(current: Incident, change: IncidentChange): IncidentChange {
  const out: IncidentChange = {};
  if (change.severity !== undefined) {
    if (!SEVERITIES.includes(change.severity))
      throw new UserError(`unknown severity '${change.severity}' (expected ${SEVERITIES.join(', ')})`);
    out.severity = change.severity;
  }
  if (change.owner !== undefined) {
    if (change.owner !== null) {
      const upn = change.owner.userPrincipalName?.trim();
      const name = change.owner.assignedTo?.trim();
      if (!upn && !name && !change.owner.objectId)
        throw new UserError('an owner needs a user principal name, a name or an object id');
      out.owner = { ...change.owner, userPrincipalName: upn || undefined, assignedTo: name || upn || undefined };
    } else {
      out.owner = null;
    }
  }
  const status = change.close ? 'Closed' : change.status;
  if (status !== undefined) {
    if (!STATUSES.includes(status)) throw new UserError(`unknown status '${status}' (expected ${STATUSES.join(', ')})`);
    out.status = status;
  }
  if (status === 'Closed') {
    if (!change.close)
      throw new UserError(
        'closing an incident needs a classification (TruePositive, BenignPositive, FalsePositive or Undetermined)',
      );
    out.close = validateClose(change.close);
  }
  if (!Object.keys(out).length) throw new UserError('nothing to change');
  if (isNoOp(current, out)) throw new UserError(`incident #${current.number} already has these values`);
  return out;
}

function validateClose(close: IncidentClose): IncidentClose {
  const allowed = CLASSIFICATION_REASONS[close.classification];
  if (!allowed)
    throw new UserError(`unknown classification '${close.classification}' (expected ${CLASSIFICATIONS.join(', ')})`);
  if (allowed.length === 0) {
    if (close.reason) throw new UserError(`${close.classification} takes no classification reason`);
  } else if (!close.reason || !allowed.includes(close.reason)) {
    throw new UserError(`${close.classification} needs a classification reason: ${allowed.join(' or ')}`);
  }
  const comment = close.comment?.trim();
  if (comment && comment.length > MAX_CLOSING_COMMENT_CHARS) {
    throw new UserError(`a closing comment can hold at most ${characters(MAX_CLOSING_COMMENT_CHARS)}`);
  }
  return { classification: close.classification, reason: close.reason, comment: comment || undefined };
}

function sameOwner(a: IncidentOwner | undefined, b: IncidentOwner | null | undefined): boolean {
  const key = (o: IncidentOwner | null | undefined) =>
    o ? (o.userPrincipalName ?? o.objectId ?? o.assignedTo ?? '').toLowerCase() : '';
  return key(a) === key(b);
}

function isNoOp(current: Incident, change: IncidentChange): boolean {
  if (change.severity !== undefined && change.severity !== current.severity) return false;
  if (change.owner !== undefined && !sameOwner(current.ownerDetails, change.owner)) return false;
  if (change.status !== undefined && change.status !== current.status) return false;
  if (change.close) {
    const c = change.close;
    if (c.classification !== current.classification || c.reason !== current.classificationReason) return false;
    if ((c.comment ?? '') !== (current.classificationComment ?? '')) return false;
  }
  return true;
}

/** The incident as it is after the change (a reopened incident loses its classification, as in Sentinel). */
export function applyIncidentChange(current: Incident, change: IncidentChange, modifiedTime: string): Incident {
  const next: Incident = { ...current, lastModifiedTime: modifiedTime };
  if (change.severity) next.severity = change.severity;
  if (change.owner !== undefined) {
    next.ownerDetails = change.owner ?? undefined;
    next.owner = change.owner ? (change.owner.userPrincipalName ?? change.owner.assignedTo) : undefined;
  }
  if (change.status) next.status = change.status;
  if (change.close) {
    next.classification = change.close.classification;
    next.classificationReason = change.close.reason;
    next.classificationComment = change.close.comment;
  } else if (change.status && change.status !== 'Closed') {
    next.classification = undefined;
    next.classificationReason = undefined;
    next.classificationComment = undefined;
  }
  return next;
}

/** What differs between two versions of an incident, in words ("status New → Closed"), for a conflict message. */
export function describeIncidentDifferences(before: Incident, after: Incident): string[] {
  const out: string[] = [];
  const field = (name: string, a: string | undefined, b: string | undefined) => {
    if ((a ?? '') !== (b ?? '')) out.push(`${name} ${a || '—'} → ${b || '—'}`);
  };
  field('status', before.status, after.status);
  field('severity', before.severity, after.severity);
  field('owner', before.owner, after.owner);
  field('classification', before.classification, after.classification);
  field('classification reason', before.classificationReason, after.classificationReason);
  field('title', before.title, after.title);
  return out;
}

/**
 * Raised when someone else changed the incident since it was read (ARM 412/409 on a stale etag; a newer
 * lake row). `theirs` is the current version; `mine`, when given, the version the change was based on.
 */
export class IncidentConflictError extends UserError {
  constructor(
    readonly theirs: Incident,
    readonly mine?: Incident,
  ) {
    const diff = mine ? describeIncidentDifferences(mine, theirs) : [];
    super(
      `Someone else changed incident #${theirs.number} since you opened it${diff.length ? `: ${diff.join(', ')}` : ''}. ` +
        'Review their change and try again.',
      'Conflict',
    );
    this.name = 'IncidentConflictError';
  }
}

/** A short line for a change, for notifications and the log: "assigned to alice@…, closed as FalsePositive". */
export function describeIncidentChange(change: IncidentChange): string {
  const parts: string[] = [];
  if (change.owner !== undefined)
    parts.push(
      change.owner ? `assigned to ${change.owner.userPrincipalName ?? change.owner.assignedTo}` : 'unassigned',
    );
  if (change.severity) parts.push(`severity ${change.severity}`);
  if (change.close) {
    parts.push(`closed as ${change.close.classification}${change.close.reason ? ` (${change.close.reason})` : ''}`);
  } else if (change.status) {
    parts.push(`status ${change.status}`);
  }
  return parts.join(', ');
}

/** True for an IncidentConflictError, also one thrown by another bundle (the Azure and local backends load separately). */
export function isIncidentConflict(e: unknown): e is IncidentConflictError {
  if (e instanceof IncidentConflictError) return true;
  const o = e as { name?: unknown; theirs?: { id?: unknown; number?: unknown } } | undefined;
  return (
    !!o &&
    o.name === 'IncidentConflictError' &&
    typeof o.theirs?.id === 'string' &&
    typeof o.theirs?.number === 'number'
  );
}
