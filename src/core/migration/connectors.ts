// Gotcha 1: connecting a workspace to the Defender portal switches some data connectors on by itself.
// Compare the inventory captured before the cutover with the current one and say what appeared and
// whether that was expected.
import type { QueryResult } from '../types';

export interface ConnectorRow {
  connectorId: string;
  kind: string;
  name: string;
  /** As recorded, e.g. Connected / Disconnected / Enabled. Empty when unknown. */
  state: string;
  /** ISO-8601 of the inventory row, when known. */
  time?: string;
}

export type AutoEnable = 'yes' | 'conditional' | 'no' | 'unknown';

export interface KnownConnector {
  product: string;
  autoEnable: Exclude<AutoEnable, 'unknown'>;
  note: string;
  /** Normalised (lowercase letters and digits) fragments of connector ids, kinds or names. */
  match: string[];
}

/** What connecting to the Defender portal does to each connector. Order matters: more specific first. */
export const KNOWN_CONNECTORS: KnownConnector[] = [
  {
    product: 'Microsoft Defender for Cloud Apps',
    autoEnable: 'conditional',
    note: 'Turns on only when Defender for Cloud Apps is licensed and already integrated with Defender XDR; review its alert and log ingestion.',
    match: ['microsoftcloudappsecurity', 'defenderforcloudapps', 'cloudappsecurity', 'mcas'],
  },
  {
    product: 'Microsoft Defender for Endpoint',
    autoEnable: 'yes',
    note: 'Expected: turns on when the workspace connects to the Defender portal. Check ingestion cost and that its alerts are not also raised by a Microsoft incident creation rule.',
    match: [
      'microsoftdefenderadvancedthreatprotection',
      'defenderforendpoint',
      'defenderadvancedthreatprotection',
      'mdatp',
    ],
  },
  {
    product: 'Microsoft Defender for Cloud',
    autoEnable: 'yes',
    note: 'Expected: turns on when the workspace connects to the Defender portal. Check which subscriptions stream alerts and the ingestion cost.',
    match: ['azuresecuritycenter', 'microsoftdefenderforcloud', 'defenderforcloud', 'securitycenter'],
  },
  {
    product: 'Microsoft Entra ID Protection',
    autoEnable: 'no',
    note: 'Not expected to turn on by itself: someone enabled it during the cutover. Confirm it was intended.',
    match: ['azureactivedirectoryidentityprotection', 'entraidprotection', 'identityprotection'],
  },
];

const norm = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export function classifyConnector(c: Pick<ConnectorRow, 'connectorId' | 'kind' | 'name'>): KnownConnector | undefined {
  const keys = [c.connectorId, c.kind, c.name].map(norm).filter(Boolean);
  return KNOWN_CONNECTORS.find((k) => k.match.some((m) => keys.some((key) => key.includes(m))));
}

/** A connector counts as on unless its state says otherwise. */
export function isOn(state: string): boolean {
  return !/^(disconnected|disabled|off|notconnected|not connected|inactive|removed|deleted)$/i.test(state.trim());
}

/** Rows from a query result (columns ConnectorId, Kind, Name, State, TimeGenerated; matched case-insensitively). */
export function connectorRowsFromResult(result: QueryResult): ConnectorRow[] {
  const idx = (name: string) => result.columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  const [iId, iKind, iName, iState, iTime] = ['ConnectorId', 'Kind', 'Name', 'State', 'TimeGenerated'].map(idx);
  const cell = (row: unknown[], i: number) => (i >= 0 && row[i] !== null && row[i] !== undefined ? String(row[i]) : '');
  return result.rows
    .map((row) => ({
      connectorId: cell(row, iId) || cell(row, iKind) || cell(row, iName),
      kind: cell(row, iKind),
      name: cell(row, iName),
      state: cell(row, iState),
      time: cell(row, iTime) || undefined,
    }))
    .filter((r) => r.connectorId);
}

/** The latest row per connector id (inventories may hold several snapshots). */
export function latestPerConnector(rows: ConnectorRow[]): ConnectorRow[] {
  const map = new Map<string, ConnectorRow>();
  for (const r of rows) {
    const key = r.connectorId.toLowerCase();
    const prev = map.get(key);
    if (!prev || (r.time ?? '') >= (prev.time ?? '')) map.set(key, r);
  }
  return [...map.values()].sort((a, b) => (a.name || a.connectorId).localeCompare(b.name || b.connectorId));
}

export interface AppearedConnector extends ConnectorRow {
  product?: string;
  autoEnable: AutoEnable;
  note: string;
  /** 'new' = not in the before-inventory; 'switchedOn' = present before but off. */
  change: 'new' | 'switchedOn';
}

export interface ConnectorDiff {
  beforeCount: number;
  currentCount: number;
  appeared: AppearedConnector[];
  /** Connected before, gone or off now. */
  disappeared: ConnectorRow[];
  /** Expected auto-enable connectors that did not appear (already on before, or not on now). */
  expectedNotSeen: { product: string; autoEnable: AutoEnable; reason: string }[];
}

export function diffConnectors(beforeRows: ConnectorRow[], currentRows: ConnectorRow[]): ConnectorDiff {
  const before = latestPerConnector(beforeRows);
  const current = latestPerConnector(currentRows);
  const beforeById = new Map(before.map((r) => [r.connectorId.toLowerCase(), r]));
  const currentById = new Map(current.map((r) => [r.connectorId.toLowerCase(), r]));
  const appeared: AppearedConnector[] = [];
  for (const r of current) {
    if (!isOn(r.state)) continue;
    const prev = beforeById.get(r.connectorId.toLowerCase());
    if (prev && isOn(prev.state)) continue;
    const known = classifyConnector(r);
    appeared.push({
      ...r,
      product: known?.product,
      autoEnable: known?.autoEnable ?? 'unknown',
      note: known?.note ?? 'Not on the list of connectors that turn on at cutover: confirm who enabled it and why.',
      change: prev ? 'switchedOn' : 'new',
    });
  }
  const disappeared = before.filter(
    (r) => isOn(r.state) && !isOn(currentById.get(r.connectorId.toLowerCase())?.state ?? 'removed'),
  );
  const expectedNotSeen = KNOWN_CONNECTORS.filter((k) => k.autoEnable !== 'no')
    .filter((k) => !appeared.some((a) => a.product === k.product))
    .map((k) => {
      const wasOn = before.some((r) => isOn(r.state) && classifyConnector(r)?.product === k.product);
      return {
        product: k.product,
        autoEnable: k.autoEnable,
        reason: wasOn ? 'already connected before the cutover' : 'not connected now',
      };
    });
  const order: Record<AutoEnable, number> = { no: 0, unknown: 1, conditional: 2, yes: 3 };
  appeared.sort(
    (a, b) =>
      order[a.autoEnable] - order[b.autoEnable] || (a.name || a.connectorId).localeCompare(b.name || b.connectorId),
  );
  return {
    beforeCount: before.filter((r) => isOn(r.state)).length,
    currentCount: current.filter((r) => isOn(r.state)).length,
    appeared,
    disappeared,
    expectedNotSeen,
  };
}
