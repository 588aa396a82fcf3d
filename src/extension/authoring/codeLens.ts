// CodeLens above each query block: Run, Baseline…, Parameters ✎ and Analyze <entity>.
// Ranges come from the core (a line scan, no parsing); lenses are built once per document version and
// query target. A file that runs somewhere other than the Sentinel workspace says where on its Run lenses.
import * as vscode from 'vscode';
import { splitQueryBlocks } from '../../core/kql/blocks';
import { findParameters } from '../../core/kql/parameters';
import { Commands } from '../commandIds';

export interface BlockArgs {
  uri: string;
  /** A line inside the block (its first line of code). */
  line: number;
}

const MAX_PARAM_TEXT = 28;

/** Where a file's queries run when that is not the default target: a short name for the lens and a longer one. */
export interface LensTarget {
  short: string;
  full: string;
}

export interface LensTargets {
  lensTarget(uri: vscode.Uri): LensTarget | undefined;
  readonly onDidChange: vscode.Event<unknown>;
}

export class QueryBlockCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private cache: { uri: string; version: number; target: string; lenses: vscode.CodeLens[] } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription: vscode.Disposable | undefined;

  constructor(private readonly targets?: LensTargets) {
    this.subscription = targets?.onDidChange(() => this.changed.fire());
  }

  provideCodeLenses(document: vscode.TextDocument, token: vscode.CancellationToken): vscode.CodeLens[] {
    const uri = document.uri.toString();
    const target = this.targets?.lensTarget(document.uri);
    const on = target ? ` on ${target.short}` : '';
    const where = target ? ` on ${target.full}` : '';
    if (this.cache?.uri === uri && this.cache.version === document.version && this.cache.target === on)
      return this.cache.lenses;
    const lenses: vscode.CodeLens[] = [];
    for (const block of splitQueryBlocks(document.getText())) {
      if (token.isCancellationRequested) return [];
      const range = new vscode.Range(block.firstCodeLine, 0, block.firstCodeLine, 0);
      const args: BlockArgs = { uri, line: block.firstCodeLine };
      lenses.push(
        new vscode.CodeLens(range, {
          title: `▶ Run${on}`,
          command: Commands.runQuery,
          arguments: [args],
          tooltip: `Run this query${where} (Shift+Enter)`,
        }),
        new vscode.CodeLens(range, {
          title: '▶ Baseline…',
          command: Commands.runBaseline,
          arguments: [args],
          tooltip: `Run this query${where} over a time range: 24 h, 7 d, 14 d, 30 d or custom`,
        }),
      );
      const params = findParameters(block.text, block.startLine);
      if (params.length) {
        const shown = params
          .map((p) => `${p.name}=${p.value.length > MAX_PARAM_TEXT ? p.value.slice(0, MAX_PARAM_TEXT) + '…' : p.value}`)
          .join(', ');
        lenses.push(
          new vscode.CodeLens(range, {
            title: `Parameters: ${shown} ✎`,
            command: Commands.editParameters,
            arguments: [args],
            tooltip: "Change the values of this block's parameters",
          }),
        );
        for (const p of params) {
          if (p.shape !== 'upn' && p.shape !== 'url') continue;
          lenses.push(
            new vscode.CodeLens(range, {
              title: `$(shield) Analyze ${p.value.length > MAX_PARAM_TEXT ? p.value.slice(0, MAX_PARAM_TEXT) + '…' : p.value}`,
              command: Commands.analyzeEntity,
              arguments: [{ type: p.shape === 'upn' ? 'User' : 'Url', id: p.value }],
              tooltip: `Run the Entity Analyzer on ${p.value}`,
            }),
          );
        }
      }
    }
    this.cache = { uri, version: document.version, target: on, lenses };
    return lenses;
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
