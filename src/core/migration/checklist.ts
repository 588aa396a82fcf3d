// The Sentinel → Defender portal migration checklist as data: phases with their timing, items with
// guidance, deadlines relative to the cutover, and the live checks that verify them. The webview and
// the runbook render this; nothing here is UI.

export type PhaseId = 'pre' | 'cutover' | 'post' | 'cleanup';
export type CheckId = 'connectors' | 'duplicateIncidents' | 'ruleTitles' | 'rbac' | 'automation';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface Phase {
  id: PhaseId;
  title: string;
  /** When the phase happens relative to the cutover, in words. */
  timing: string;
}

export interface ChecklistItem {
  id: string;
  phase: PhaseId;
  title: string;
  guidance: string;
  /** Deadline relative to the cutover (ms; negative = before). Timed items become deadlines once a cutover is set. */
  deadlineOffsetMs?: number;
  /** Not before this offset from the cutover (ms), e.g. "after a week of stability". */
  notBeforeOffsetMs?: number;
  /** The live check that verifies this item. */
  check?: CheckId;
}

export interface CheckInfo {
  id: CheckId;
  title: string;
  /** What the check does, shown next to its button. */
  description: string;
}

export interface ChecklistModel {
  version: number;
  phases: Phase[];
  items: ChecklistItem[];
  checks: CheckInfo[];
}

export const DUPLICATE_INCIDENTS_QUERY =
  'SecurityIncident | where TimeGenerated > ago(7d) | summarize IncidentCount = count() by Title | where IncidentCount > 1 | order by IncidentCount desc';

export const CHECKS: CheckInfo[] = [
  {
    id: 'connectors',
    title: 'Connectors that appeared at cutover',
    description:
      'Compares the connector inventory captured before the cutover with the current one and lists what appeared, with whether it is expected to auto-enable.',
  },
  {
    id: 'duplicateIncidents',
    title: 'Duplicate incidents',
    description: 'Counts incident titles raised more than once in the last 7 days on the active backend.',
  },
  {
    id: 'ruleTitles',
    title: 'Analytics rule title audit',
    description:
      "Finds exact and near-duplicate rule titles and titles outside the naming convention in the workspace rule files (and the connected workspace's alertRules).",
  },
  {
    id: 'rbac',
    title: 'RBAC role mapping',
    description:
      'Maps each Sentinel role to its Defender portal role with the size of the gap, for the team to tick off.',
  },
  {
    id: 'automation',
    title: 'Automation rules inventory',
    description:
      'Lists automation rules with their conditions and actions so they can be recreated, and exports them to Markdown.',
  },
];

export const PHASES: Phase[] = [
  { id: 'pre', title: 'Pre-migration', timing: '1–2 weeks before the cutover' },
  { id: 'cutover', title: 'Cutover day', timing: 'within 24 hours of the cutover' },
  { id: 'post', title: 'Post-migration', timing: '1–2 weeks after the cutover' },
  { id: 'cleanup', title: 'Cleanup', timing: '2–4 weeks after the cutover' },
];

export const ITEMS: ChecklistItem[] = [
  // Pre-migration
  {
    id: 'pre.inventory-connectors',
    phase: 'pre',
    deadlineOffsetMs: -7 * DAY,
    title: 'Capture the data connector inventory',
    guidance:
      'Record which data connectors are connected before the cutover, so the connectors that switch on by themselves can be spotted afterwards (local lake: DataConnectorsBeforeCutover; Azure: "Capture inventory" in the connector check).',
  },
  {
    id: 'pre.rule-titles',
    phase: 'pre',
    deadlineOffsetMs: -7 * DAY,
    check: 'ruleTitles',
    title: 'Make analytics rule titles unique',
    guidance:
      'The Defender portal matches rules and incidents by title. Rename exact and near-duplicate titles and bring titles into the naming convention before the cutover; export the title → rule id map for the change record.',
  },
  {
    id: 'pre.automation-inventory',
    phase: 'pre',
    deadlineOffsetMs: -7 * DAY,
    check: 'automation',
    title: 'Export the automation rules inventory',
    guidance:
      'Export every automation rule with its conditions and actions, so rules that stop firing or fire twice after the cutover can be recreated or compared.',
  },
  {
    id: 'pre.rbac-plan',
    phase: 'pre',
    deadlineOffsetMs: -7 * DAY,
    check: 'rbac',
    title: 'Plan the RBAC mapping',
    guidance:
      'Sentinel workspace roles do not carry over to the Defender portal. Decide which unified RBAC role each Sentinel role becomes and who approves the gaps.',
  },
  {
    id: 'pre.communicate',
    phase: 'pre',
    deadlineOffsetMs: -7 * DAY,
    title: 'Agree the cutover window and tell the SOC',
    guidance:
      'Pick a quiet window, name an owner for each cutover-day check, and tell analysts where incidents will live after the cutover.',
  },
  // Cutover day
  {
    id: 'cutover.connectors',
    phase: 'cutover',
    deadlineOffsetMs: 2 * HOUR,
    check: 'connectors',
    title: 'Audit connectors that auto-enabled',
    guidance:
      'Connecting the workspace to the Defender portal switches some connectors on (Defender for Endpoint and Defender for Cloud: yes; Defender for Cloud Apps: conditional; Entra ID Protection: no). Review each new connector for ingestion cost and duplicate alerts.',
  },
  {
    id: 'cutover.duplicate-incidents',
    phase: 'cutover',
    deadlineOffsetMs: 4 * HOUR,
    check: 'duplicateIncidents',
    title: 'Check for duplicate incidents',
    guidance:
      'If Microsoft incident creation rules stay on in Sentinel, Defender XDR and Sentinel both raise an incident for the same alert. Run the check and turn those rules off where titles repeat.',
  },
  {
    id: 'cutover.rbac',
    phase: 'cutover',
    deadlineOffsetMs: 24 * HOUR,
    check: 'rbac',
    title: 'Validate RBAC in the Defender portal',
    guidance:
      'Sign in as a member of each mapped group and confirm they can see and act on incidents; tick each role in the mapping table when it is confirmed.',
  },
  {
    id: 'cutover.automation',
    phase: 'cutover',
    deadlineOffsetMs: 24 * HOUR,
    check: 'automation',
    title: 'Validate automation rules',
    guidance:
      'Confirm each automation rule still triggers on incidents created in the Defender portal; conditions on incident titles or providers may no longer match.',
  },
  // Post-migration
  {
    id: 'post.watch-duplicates',
    phase: 'post',
    deadlineOffsetMs: 14 * DAY,
    check: 'duplicateIncidents',
    title: 'Watch for duplicate incidents',
    guidance:
      'Re-run the duplicate-incidents check daily for two weeks; new repeats point at a rule or connector that still creates incidents on its own.',
  },
  {
    id: 'post.validate-automation',
    phase: 'post',
    deadlineOffsetMs: 14 * DAY,
    check: 'automation',
    title: 'Run old and new automation in parallel',
    guidance:
      'Keep the legacy automation running next to its Defender portal replacement and compare outcomes incident by incident before retiring anything.',
  },
  {
    id: 'post.feedback',
    phase: 'post',
    deadlineOffsetMs: 14 * DAY,
    title: 'Collect analyst feedback',
    guidance:
      'Ask the SOC what got harder: missing columns, changed incident links, slower queues. Feed it into the runbook.',
  },
  {
    id: 'post.retire-legacy',
    phase: 'post',
    notBeforeOffsetMs: 7 * DAY,
    deadlineOffsetMs: 14 * DAY,
    title: 'Retire legacy automation after a week of stability',
    guidance:
      'Only after a full week without duplicate incidents or missed automation: disable the legacy automation rules and playbook triggers.',
  },
  // Cleanup
  {
    id: 'cleanup.duplicate-automation',
    phase: 'cleanup',
    notBeforeOffsetMs: 14 * DAY,
    deadlineOffsetMs: 28 * DAY,
    check: 'automation',
    title: 'Remove duplicate automation rules',
    guidance:
      'Delete automation rules that now exist twice (legacy and portal) and playbooks that nothing calls any more.',
  },
  {
    id: 'cleanup.archive-rbac',
    phase: 'cleanup',
    notBeforeOffsetMs: 14 * DAY,
    deadlineOffsetMs: 28 * DAY,
    title: 'Archive workspace RBAC',
    guidance: 'Record the old workspace role assignments, then remove the ones the Defender portal roles replace.',
  },
  {
    id: 'cleanup.runbooks',
    phase: 'cleanup',
    notBeforeOffsetMs: 14 * DAY,
    deadlineOffsetMs: 28 * DAY,
    title: 'Update runbooks',
    guidance:
      'Point runbooks, bookmarks and escalation paths at the Defender portal; attach the exported migration runbook.',
  },
];

export const CHECKLIST: ChecklistModel = { version: 1, phases: PHASES, items: ITEMS, checks: CHECKS };

export function checkInfo(id: CheckId): CheckInfo {
  const info = CHECKS.find((c) => c.id === id);
  if (!info) throw new Error(`unknown check ${id}`);
  return info;
}

export function isCheckId(v: unknown): v is CheckId {
  return typeof v === 'string' && CHECKS.some((c) => c.id === v);
}
