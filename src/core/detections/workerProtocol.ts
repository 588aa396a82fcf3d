// Messages between the extension host and the detection-tests child process (Node IPC, structured clone).
import type { LintDiagnostic } from './lint';
import type { CaseResult, FileResult } from './runner';

export type WorkerRequest =
  | {
      id: number;
      method: 'run';
      params: { file: string; cases?: string[]; text?: string; cwd?: string; schemaFile?: string };
    }
  | { id: number; method: 'lint'; params: { file: string; text: string; schemaFile?: string } }
  | { id: number; method: 'cancel'; params: { target: number } };

export type WorkerMessage =
  | { id: number; kind: 'case'; result: CaseResult }
  | { id: number; kind: 'done'; result: FileResult | LintDiagnostic[] }
  | { id: number; kind: 'error'; message: string; cancelled?: boolean };
