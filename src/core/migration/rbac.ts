// Gotcha 4: Sentinel workspace roles do not carry over to the Defender portal's unified RBAC.
// The mapping with the size of each gap, as a table the team ticks off.

export type GapSize = 'none' | 'small' | 'medium' | 'large';

export interface RbacMapping {
  id: string;
  sentinelRole: string;
  defenderRole: string;
  gap: GapSize;
  /** What the gap is and what to do about it. */
  detail: string;
}

export const RBAC_MAPPINGS: RbacMapping[] = [
  {
    id: 'reader',
    sentinelRole: 'Microsoft Sentinel Reader',
    defenderRole: 'Security Reader',
    gap: 'none',
    detail:
      'Read access maps one to one. Check that the group is assigned to the right data sources (workspace) in the Defender portal.',
  },
  {
    id: 'responder',
    sentinelRole: 'Microsoft Sentinel Responder',
    defenderRole: 'Security Operator',
    gap: 'small',
    detail:
      'Responders triage and assign incidents; in the portal that is Security Operator. Confirm they can still run playbooks on demand (a separate Logic Apps permission).',
  },
  {
    id: 'contributor',
    sentinelRole: 'Microsoft Sentinel Contributor',
    defenderRole: 'Security Operator + Security settings (manage)',
    gap: 'medium',
    detail:
      'Contributors also edit analytics rules, watchlists and workbooks. They need Security Operator plus the security settings (manage) permission; confirm each of those tasks with a test account.',
  },
  {
    id: 'automation-contributor',
    sentinelRole: 'Microsoft Sentinel Automation Contributor',
    defenderRole: 'A new custom role (no built-in equivalent)',
    gap: 'large',
    detail:
      'Lets automation rules run playbooks. No Defender portal role covers it: create a new custom role with the automation permissions, assign it, and confirm playbooks still run.',
  },
];

export const GAP_LABEL: Record<GapSize, string> = {
  none: 'none',
  small: 'small',
  medium: 'medium',
  large: 'large (new role)',
};
