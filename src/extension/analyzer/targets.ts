// Turns whatever "Analyze Entity" was invoked with into an analysis target: an editor selection, an
// entity node (Entity or { entity }), a CodeLens argument ({ type, id }), or nothing (palette input).
// Pure functions, no vscode: the command handler supplies the selection and the input box.
import { detectEntity, validateAnalysisTarget } from '../../core/entities';
import { UserError } from '../../core/errors';
import type { AnalysisEntity } from '../../core/analyzer/types';
import type { Entity } from '../../core/backends/types';
import { trimmed as str } from '../../core/fields';

/** Cheap check used for the `sentinelWorkbench.selectionIsEntity` context key on every selection change. */
export function selectionLooksLikeEntity(text: string): boolean {
  if (!text || text.length > 2048 || text.includes('\n')) return false;
  const d = detectEntity(text);
  return !!d && (d.type === 'User' || d.type === 'Url' || d.type === 'Guid');
}

/** An analysis target from free text (selection or input box): UPN or GUID → user; URL (defanged too) → URL. */
export function targetFromText(text: string): AnalysisEntity {
  const trimmed = (text ?? '').trim().replace(/^["'`]+|["'`,;]+$/g, '');
  const d = detectEntity(trimmed);
  if (!d) {
    throw new UserError(`'${clip(trimmed)}' is not a user principal name, an Entra object id or a URL.`, 'BadEntity');
  }
  switch (d.type) {
    case 'User':
    case 'Guid':
      return { type: 'User', id: validateAnalysisTarget('User', d.value) };
    case 'Url':
      return { type: 'Url', id: validateAnalysisTarget('Url', d.value) };
    case 'Domain':
      return { type: 'Url', id: validateAnalysisTarget('Url', d.value) };
    case 'Ip':
      throw new UserError('The Entity Analyzer analyzes users and URLs, not IP addresses.', 'BadEntity');
  }
}

function isEntity(x: unknown): x is Entity {
  return (
    !!x &&
    typeof x === 'object' &&
    typeof (x as Entity).kind === 'string' &&
    typeof (x as Entity).displayName === 'string'
  );
}

function isUpnLike(v: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.trim());
}

/** An analysis target from an incident/alert entity; undefined for kinds the analyzer does not take. */
export function targetFromEntity(entity: Entity): AnalysisEntity | undefined {
  const p = entity.properties ?? {};
  if (entity.kind === 'Account' || entity.kind === 'Mailbox') {
    const name = str(p.accountName);
    const suffix = str(p.upnSuffix);
    const candidates = [
      str(p.userPrincipalName),
      str(p.upn),
      str(p.UserPrincipalName),
      str(p.AccountUpn),
      name && suffix ? `${name}@${suffix}` : undefined,
      str(p.mailboxPrimaryAddress),
      // A UPN-looking display name reads better in the Analyses view than an object id.
      isUpnLike(entity.displayName) ? entity.displayName : undefined,
      str(p.aadUserId),
      str(p.AadUserId),
      str(p.accountObjectId),
      entity.displayName,
    ];
    for (const c of candidates) {
      if (!c) continue;
      try {
        return { type: 'User', id: validateAnalysisTarget('User', c) };
      } catch {
        // try the next property
      }
    }
    return undefined;
  }
  if (entity.kind === 'Url') {
    for (const c of [str(p.url), str(p.Url), entity.displayName]) {
      if (!c) continue;
      try {
        return { type: 'Url', id: validateAnalysisTarget('Url', c) };
      } catch {
        // next
      }
    }
  }
  return undefined;
}

export interface ParsedArgument {
  target?: AnalysisEntity;
  /** Preset lookback (skips the picker). */
  lookbackDays?: number;
  incidentId?: string;
  /** The argument asked to use the editor selection (editor context menu passes the document URI). */
  useSelection: boolean;
}

/** Interprets the command argument; throws UserError for an entity the analyzer cannot take. */
export function parseAnalyzeArgument(arg: unknown): ParsedArgument {
  if (arg === undefined || arg === null) return { useSelection: true };
  if (typeof arg === 'string') return { target: targetFromText(arg), useSelection: false };
  if (typeof arg !== 'object') return { useSelection: true };
  const a = arg as Record<string, unknown>;
  const lookbackDays = typeof a.lookbackDays === 'number' ? a.lookbackDays : undefined;
  // Entity nodes of the triage views carry the incidents they appear in.
  const incidentId = str(a.incidentId) ?? (Array.isArray(a.incidentIds) ? str(a.incidentIds[0]) : undefined);
  // CodeLens: { type: 'User' | 'Url', id }.
  if ((a.type === 'User' || a.type === 'Url') && typeof a.id === 'string') {
    return {
      target: { type: a.type, id: validateAnalysisTarget(a.type, a.id) },
      lookbackDays,
      incidentId,
      useSelection: false,
    };
  }
  const entity = isEntity(a.entity) ? a.entity : isEntity(arg) ? (arg as Entity) : undefined;
  if (entity) {
    const target = targetFromEntity(entity);
    if (!target) {
      throw new UserError(
        `The Entity Analyzer analyzes accounts and URLs; '${clip(entity.displayName)}' is ${article(entity.kind)} ${entity.kind} entity.`,
        'BadEntity',
      );
    }
    return { target, lookbackDays, incidentId, useSelection: false };
  }
  if (typeof a.value === 'string')
    return { target: targetFromText(a.value), lookbackDays, incidentId, useSelection: false };
  // A vscode.Uri (editor/context) or anything else: use the selection.
  return { useSelection: true, lookbackDays, incidentId };
}

function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}

function clip(s: string): string {
  return s.length > 80 ? s.slice(0, 77) + '…' : s;
}

/** Validation message for the palette input box, or undefined when the text is analyzable. */
export function validateInput(text: string): string | undefined {
  if (!text.trim()) return 'Enter a UPN (name@domain), an Entra object id or a URL (defanged is fine).';
  try {
    targetFromText(text);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/** Analysis window ending at `endMs` (the backend's now). */
export function windowFor(endMs: number, days: number): { startTime: string; endTime: string } {
  return { startTime: new Date(endMs - days * 86400_000).toISOString(), endTime: new Date(endMs).toISOString() };
}
