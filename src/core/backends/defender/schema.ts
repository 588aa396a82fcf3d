// The advanced-hunting schema for the language server: Defender XDR tables name their time column
// `Timestamp` (Sentinel's copies of the same tables call it `TimeGenerated` and add the Log Analytics standard
// columns, which advanced hunting does not have). Built from the documented Defender XDR table references
// (core/lake/schemasReference.ts) and the built-in schemas of the Device*, Email*, Identity*, Alert*,
// CloudApp* and UrlClick* tables.
import { BUILTIN_SCHEMAS } from '../../lake/schemas';
import { REFERENCE_SCHEMAS, STANDARD_COLUMNS } from '../../lake/schemasReference';
import type { KqlType, ResultColumn } from '../../types';

const HUNTING_TABLE = /^(Device|Email|Identity|Alert|CloudApp|UrlClick)[A-Za-z]*$/;

export function advancedHuntingTables(): Record<string, ResultColumn[]> {
  const out: Record<string, ResultColumn[]> = {};
  for (const [table, columns] of [...Object.entries(BUILTIN_SCHEMAS), ...Object.entries(REFERENCE_SCHEMAS)] as [
    string,
    Record<string, KqlType>,
  ][]) {
    if (!HUNTING_TABLE.test(table) || out[table]) continue;
    const hasTimestamp = 'Timestamp' in columns;
    out[table] = Object.entries(columns)
      .filter(([name]) => !(name in STANDARD_COLUMNS) && !(hasTimestamp && name === 'TimeGenerated'))
      .map(([name, type]) => ({ name: name === 'TimeGenerated' ? 'Timestamp' : name, type }));
  }
  return out;
}
