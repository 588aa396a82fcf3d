// The KQL language server (child process): diagnostics, completion, hover and formatting from the
// official Kusto language service, against the active backend's table schemas (the lake's locally; the
// workspace's, sent by the extension as `sentinelWorkbench/schema`, when connected). A file whose query target
// is elsewhere (Defender XDR advanced hunting, an ADX database) is checked against that target's tables, sent
// per file as `sentinelWorkbench/documentTarget`. Query blocks follow the
// workbench's rule (blank-line separated, `let` runs belong to the block below), so a parameter
// declared above a query is known inside it.
import {
  CompletionItem,
  CompletionItemKind,
  createConnection,
  Diagnostic,
  DiagnosticSeverity,
  Hover,
  MarkupKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  TextEdit,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { splitQueryBlocks } from '../core/kql/blocks';
import { KGlobals, kustoLanguage, KService, makeGlobals, warmUpParserInBackground } from '../core/kql/kusto';
import { openLake } from '../core/lake/lake';
import { BUILTIN_SCHEMAS, builtinSchema } from '../core/lake/schemas';
import { REFERENCE_SCHEMAS } from '../core/lake/schemasReference';
import { loadWorkspaceFunctions, WorkspaceFunction } from '../core/kql/workspaceFunctions';
import * as fs from 'fs';
import * as path from 'path';
import { KQL_TYPES } from '../core/types';
import type { KqlType, ResultColumn } from '../core/types';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
const log = (m: string) => connection.console.log(m);

let globals: KGlobals;
let schemaGeneration = 0;
/** Built-in schemas plus the lake's tables, as last loaded. */
let baseTables = new Map<string, ResultColumn[]>();
/** The connected workspace's tables; they win over built-in ones of the same name. */
let workspaceTables = new Map<string, ResultColumn[]>();

/** Workspace functions of the lake's `functions/` folder (parsers, saved functions). */
let workspaceFunctions: WorkspaceFunction[] = [];

/** A query target's tables; `only`: nothing else exists there (an ADX database), else over the workspace's. */
interface TargetSchema {
  json: string;
  only: boolean;
  tables: Map<string, ResultColumn[]>;
  globals: KGlobals;
}
const targetSchemas = new Map<string, TargetSchema>();
/** Target id of each document that does not run on the workspace. */
const documentTargets = new Map<string, string>();

function targetGlobals(t: Pick<TargetSchema, 'only' | 'tables'>): KGlobals {
  return t.only
    ? makeGlobals(t.tables, [])
    : makeGlobals(new Map([...baseTables, ...workspaceTables, ...t.tables]), workspaceFunctions);
}

function rebuildGlobals(): void {
  globals = makeGlobals(new Map([...baseTables, ...workspaceTables]), workspaceFunctions);
  for (const t of targetSchemas.values()) if (!t.only) t.globals = targetGlobals(t);
  schemaGeneration++;
}

/** Built-in Sentinel schemas first (instant), then the lake's own tables and columns. */
async function loadSchema(lakeDir: string | undefined): Promise<void> {
  const tables = new Map<string, ResultColumn[]>();
  for (const name of new Set([...Object.keys(REFERENCE_SCHEMAS), ...Object.keys(BUILTIN_SCHEMAS)])) {
    tables.set(
      name,
      Object.entries(builtinSchema(name) ?? {}).map(([n, t]) => ({ name: n, type: t as KqlType })),
    );
  }
  baseTables = tables;
  rebuildGlobals();
  if (!lakeDir) return;
  try {
    const fnDir = path.join(lakeDir, 'functions');
    if (fs.existsSync(fnDir)) {
      const loaded = loadWorkspaceFunctions(fnDir);
      workspaceFunctions = loaded.functions;
      log(
        `functions: ${loaded.functions.length} from ${fnDir}${loaded.skipped.length ? ` (${loaded.skipped.length} files skipped)` : ''}`,
      );
    }
    const lake = openLake(lakeDir);
    const withLake = new Map(tables);
    for (const name of lake.tableNames()) {
      if (!withLake.has(name)) withLake.set(name, await lake.columns(name));
    }
    // A newer load may have started while this one read the lake.
    if (baseTables !== tables) return;
    baseTables = withLake;
    rebuildGlobals();
    log(`schema: ${withLake.size} tables from ${lakeDir}`);
  } catch (e) {
    log(`schema: could not read the lake at ${lakeDir}: ${(e as Error).message}`);
  }
}

const TYPES = new Set<string>(KQL_TYPES);

/** The `sentinelWorkbench/schema` payload, checked: anything malformed is dropped, not trusted. */
function workspaceSchemaFrom(params: unknown): Map<string, ResultColumn[]> {
  const out = new Map<string, ResultColumn[]>();
  const tables = (params as { tables?: unknown } | null)?.tables;
  if (!tables || typeof tables !== 'object') return out;
  for (const [name, cols] of Object.entries(tables as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || !Array.isArray(cols)) continue;
    const columns = cols
      .filter((c): c is { name: string; type: unknown } => !!c && typeof c.name === 'string' && c.name !== '')
      .map((c) => ({
        name: c.name,
        type: (typeof c.type === 'string' && TYPES.has(c.type) ? c.type : 'dynamic') as KqlType,
      }));
    out.set(name, columns);
  }
  return out;
}

function republishDiagnostics(): void {
  for (const doc of documents.all()) scheduleDiagnostics(doc);
}

interface Block {
  /** Offset of the block in the document. */
  offset: number;
  text: string;
  service: KService;
}

const blockCache = new Map<string, { generation: number; service: KService }>();

function serviceFor(text: string, targetId: string | undefined): KService {
  const target = targetId === undefined ? undefined : targetSchemas.get(targetId);
  const key = target ? `${targetId}\u0000${text}` : text;
  const cached = blockCache.get(key);
  if (cached && cached.generation === schemaGeneration) return cached.service;
  const K = kustoLanguage();
  const service = new K.Editor.KustoCodeService.$ctor1(text, target ? target.globals : globals);
  if (blockCache.size > 500) blockCache.clear();
  blockCache.set(key, { generation: schemaGeneration, service });
  return service;
}

function blocksOf(doc: TextDocument): Block[] {
  const targetId = documentTargets.get(doc.uri);
  return splitQueryBlocks(doc.getText()).map((b) => {
    const offset = doc.offsetAt({ line: b.startLine, character: 0 });
    return { offset, text: b.text, service: serviceFor(b.text, targetId) };
  });
}

function blockAt(doc: TextDocument, offset: number): Block | undefined {
  return blocksOf(doc).find((b) => offset >= b.offset && offset <= b.offset + b.text.length);
}

// --- diagnostics -----------------------------------------------------------------------------

const pending = new Map<string, ReturnType<typeof setTimeout>>();

function scheduleDiagnostics(doc: TextDocument): void {
  clearTimeout(pending.get(doc.uri));
  pending.set(
    doc.uri,
    setTimeout(() => {
      pending.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current) void connection.sendDiagnostics({ uri: doc.uri, diagnostics: diagnose(current) });
    }, 250),
  );
}

function diagnose(doc: TextDocument): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const block of blocksOf(doc)) {
    const list = block.service.GetDiagnostics(true);
    for (let i = 0; i < list.Count; i++) {
      const d = list.getItem(i);
      const severity = String(d.Severity).toLowerCase();
      if (severity !== 'error' && severity !== 'warning') continue;
      const start = block.offset + d.Start;
      out.push({
        range: { start: doc.positionAt(start), end: doc.positionAt(start + Math.max(1, d.Length)) },
        message: String(d.Message),
        severity: severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
        code: String(d.Code),
        source: 'kql',
      });
    }
  }
  return out;
}

// --- completion and hover ----------------------------------------------------------------------

const KIND: Record<number, CompletionItemKind> = {
  1: CompletionItemKind.Keyword,
  2: CompletionItemKind.Operator,
  3: CompletionItemKind.Keyword,
  4: CompletionItemKind.Variable,
  5: CompletionItemKind.Snippet,
  6: CompletionItemKind.Function,
  7: CompletionItemKind.Keyword,
  8: CompletionItemKind.Keyword,
  9: CompletionItemKind.Keyword,
  11: CompletionItemKind.Operator,
  12: CompletionItemKind.EnumMember,
  13: CompletionItemKind.Field,
  14: CompletionItemKind.Class,
  15: CompletionItemKind.Function,
  16: CompletionItemKind.Function,
  17: CompletionItemKind.Function,
  18: CompletionItemKind.Function,
  19: CompletionItemKind.Variable,
  20: CompletionItemKind.Variable,
  26: CompletionItemKind.TypeParameter,
};

connection.onCompletion((params): CompletionItem[] => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const offset = doc.offsetAt(params.position);
  const block = blockAt(doc, offset);
  if (!block) return [];
  const info = block.service.GetCompletionItems(offset - block.offset);
  if (!info) return [];
  const range = {
    start: doc.positionAt(block.offset + info.EditStart),
    end: doc.positionAt(block.offset + info.EditStart + info.EditLength),
  };
  const items: CompletionItem[] = [];
  const count = Math.min(info.Items.Count, 2000);
  for (let i = 0; i < count; i++) {
    const it = info.Items.getItem(i);
    const before = String(it.BeforeText ?? it.DisplayText);
    const after = String(it.AfterText ?? '');
    items.push({
      label: String(it.DisplayText),
      kind: KIND[it.Kind] ?? CompletionItemKind.Text,
      sortText: String(it.OrderText ?? it.DisplayText),
      filterText: String(it.MatchText ?? it.DisplayText),
      // Kusto gives text before and after the caret; a snippet puts the caret between them.
      textEdit: TextEdit.replace(
        range,
        after ? `${escapeSnippet(before)}$0${escapeSnippet(after)}` : escapeSnippet(before),
      ),
      insertTextFormat: 2,
      detail: it.Kind === 13 ? 'column' : it.Kind === 14 ? 'table' : undefined,
    });
  }
  return items;
});

function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** Kusto's QuickInfoKind values for error, warning and suggestion items (the others describe a symbol). */
const DIAGNOSTIC_QUICK_INFO = new Set([1, 2, 3]);

connection.onHover((params): Hover | null => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  const offset = doc.offsetAt(params.position);
  const block = blockAt(doc, offset);
  if (!block) return null;
  const info = block.service.GetQuickInfo(offset - block.offset);
  if (!info || info.Items.Count === 0) return null;
  const parts: string[] = [];
  for (let i = 0; i < info.Items.Count; i++) {
    const item = info.Items.getItem(i);
    const text = String(item.Text ?? '');
    // VS Code already shows a position's diagnostics in its hover: leave them out here so none is said twice.
    if (!text || DIAGNOSTIC_QUICK_INFO.has(Number(item.Kind))) continue;
    parts.push(parts.length === 0 ? '```kql\n' + text + '\n```' : text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`));
  }
  return parts.length ? { contents: { kind: MarkupKind.Markdown, value: parts.join('\n\n') } } : null;
});

connection.onDocumentFormatting((params): TextEdit[] => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return [];
  const edits: TextEdit[] = [];
  for (const block of blocksOf(doc)) {
    const formatted = block.service.GetFormattedText();
    const text = formatted ? String(formatted.Text) : block.text;
    if (text !== block.text) {
      edits.push(
        TextEdit.replace(
          { start: doc.positionAt(block.offset), end: doc.positionAt(block.offset + block.text.length) },
          text,
        ),
      );
    }
  }
  return edits;
});

// --- lifecycle -------------------------------------------------------------------------------------

connection.onInitialize(async (params) => {
  const options = (params.initializationOptions ?? {}) as { lakeDir?: string };
  await loadSchema(options.lakeDir);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      completionProvider: { triggerCharacters: ['|', '.', '(', ' ', '='] },
      hoverProvider: true,
      documentFormattingProvider: true,
    },
  };
});

connection.onNotification('sentinelWorkbench/backendChanged', async (options: { lakeDir?: string }) => {
  // The workspace's tables belong to the old backend; the extension sends the new one's when it has them.
  workspaceTables = new Map();
  await loadSchema(options?.lakeDir);
  republishDiagnostics();
});

connection.onNotification('sentinelWorkbench/schema', (params: unknown) => {
  workspaceTables = workspaceSchemaFrom(params);
  rebuildGlobals();
  log(`schema: ${workspaceTables.size} tables from the connected workspace`);
  republishDiagnostics();
});

connection.onNotification('sentinelWorkbench/documentTarget', (params: unknown) => {
  const { uri, target } = (params ?? {}) as { uri?: unknown; target?: { id?: unknown; only?: unknown } | null };
  if (typeof uri !== 'string') return;
  if (!target || typeof target.id !== 'string') documentTargets.delete(uri);
  else {
    const json = JSON.stringify(target);
    if (targetSchemas.get(target.id)?.json !== json) {
      const t = { json, only: target.only === true, tables: workspaceSchemaFrom(target) };
      targetSchemas.set(target.id, { ...t, globals: targetGlobals(t) });
      schemaGeneration++;
      log(`schema: ${t.tables.size} tables for query target ${target.id}`);
      documentTargets.set(uri, target.id);
      return republishDiagnostics();
    }
    documentTargets.set(uri, target.id);
  }
  const doc = documents.get(uri);
  if (doc) scheduleDiagnostics(doc);
});

documents.onDidChangeContent((e) => scheduleDiagnostics(e.document));
documents.onDidClose((e) => void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }));
documents.listen(connection);
connection.listen();
// the parser's first use costs about a second: pay it while the editor is still opening
warmUpParserInBackground();
