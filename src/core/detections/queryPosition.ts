// Maps a position inside a rule's query to the rule file, so a KQL error points at the line in the YAML.
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { isJsonFile } from '../migration/ruleFiles';

export type PositionMap = (line: number, column: number) => { line: number; column: number };

/** A map for the (first) `query` in the file's text; identity-like fallbacks where the text gives no better. */
export function queryPositionMap(file: string, text: string): PositionMap {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false, prettyErrors: false });
  const node = findQuery(doc.contents as YamlNode | null, 0);
  if (!node || !isScalar(node) || !node.range) return () => ({ line: 1, column: 1 });
  const start = lc.linePos(node.range[0]);
  if (isJsonFile(file)) return () => ({ line: start.line, column: start.col });
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') {
    const lines = text.split(/\r?\n/);
    const first = lines.slice(start.line).find((l) => l.trim() !== '') ?? '';
    const indent = first.length - first.trimStart().length;
    return (line, column) => ({ line: start.line + line, column: indent + column });
  }
  const quote = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
  return (line, column) =>
    line === 1 ? { line: start.line, column: start.col + quote + column - 1 } : { line: start.line + line - 1, column };
}

function findQuery(node: YamlNode | null | undefined, depth: number): YamlNode | undefined {
  if (!node || depth > 6 || !isMap(node)) return undefined;
  for (const item of node.items) {
    if (isScalar(item.key) && item.key.value === 'query' && isScalar(item.value)) return item.value as YamlNode;
  }
  for (const item of node.items) {
    const v = item.value as YamlNode | null;
    if (isMap(v)) {
      const found = findQuery(v, depth + 1);
      if (found) return found;
    } else if (v && 'items' in v && Array.isArray((v as { items: unknown[] }).items)) {
      for (const child of (v as { items: YamlNode[] }).items) {
        const found = findQuery(child, depth + 1);
        if (found) return found;
      }
    }
  }
  return undefined;
}
