// Analytics and automation rules as every backend and the migration checks see them (from ARM or from files).

export interface AnalyticsRule {
  id: string;
  displayName: string;
  kind?: string;
  severity?: string;
  tactics?: string[];
  techniques?: string[];
  query?: string;
  enabled?: boolean;
  /** Where the rule came from (a file for local rules). */
  source?: { file: string; line?: number };
}

export interface AutomationRule {
  id: string;
  displayName: string;
  order?: number;
  enabled?: boolean;
  triggersOn?: string;
  triggersWhen?: string;
  conditions: unknown[];
  actions: unknown[];
  source?: { file: string; line?: number };
}
