// The advanced-hunting schema for the language server: Defender XDR tables name their time column
// `Timestamp` (Sentinel's copies of the same tables call it `TimeGenerated`). Built from the built-in table
// schemas of the Device*, Email*, Identity*, Alert*, CloudApp* and UrlClick* tables.
import { BUILTIN_SCHEMAS } from '../../lake/schemas';
import type { ResultColumn } from '../../types';

const HUNTING_TABLE = /^(Device|Email|Identity|Alert|CloudApp|UrlClick)[A-Za-z]*$/;

export function advancedHuntingTables(): Record<string, ResultColumn[]> {
  const out: Record<string, ResultColumn[]> = {};
  for (const [table, columns] of Object.entries(BUILTIN_SCHEMAS)) {
    if (!HUNTING_TABLE.test(table)) continue;
    out[table] = Object.entries(columns).map(([name, type]) => ({ name: name === 'TimeGenerated' ? 'Timestamp' : name, type }));
  }
  return out;
}
