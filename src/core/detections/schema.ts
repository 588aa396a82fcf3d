// Column types for fixture tables: the built-in Sentinel schemas, overlaid by a lake `schema.json`.
import { UserError } from '../errors';
import { builtinSchema } from '../lake/schemas';
import { KQL_TYPES, KqlType } from '../types';

export type SchemaMap = Record<string, Record<string, KqlType>>;

/** Schema entries in a lake `schema.json` shape; unknown type names are refused with the column named. */
export function normaliseSchema(raw: unknown, where: string): SchemaMap {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new UserError(`${where}: a schema is {"Table": {"Column": "type"}}`);
  const out: SchemaMap = {};
  for (const [t, cols] of Object.entries(raw as Record<string, unknown>)) {
    if (!cols || typeof cols !== 'object') continue;
    const s: Record<string, KqlType> = {};
    for (const [c, ty] of Object.entries(cols as Record<string, unknown>)) {
      const norm = String(ty)
        .toLowerCase()
        .replace(/^boolean$/, 'bool')
        .replace(/^double$/, 'real');
      if (!(KQL_TYPES as readonly string[]).includes(norm))
        throw new UserError(`${where}: ${t}.${c} has unknown type ${String(ty)}`);
      s[c] = norm as KqlType;
    }
    out[t] = s;
  }
  return out;
}

export function schemaOf(table: string, custom: SchemaMap): Record<string, KqlType> | undefined {
  const b = builtinSchema(table);
  const c = custom[table];
  return b && c ? { ...b, ...c } : (c ?? (b ? { ...b } : undefined));
}
