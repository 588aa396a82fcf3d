// The detection-tests child process, seen from the extension host: started on first use, restarted if it
// dies, one request/response per call over Node IPC, cancellation by message.
import { ChildProcess, fork } from 'child_process';
import * as vscode from 'vscode';
import type { LintDiagnostic } from '../../core/detections/lint';
import type { CaseResult, FileResult } from '../../core/detections/runner';
import type { WorkerMessage, WorkerRequest } from '../../core/detections/workerProtocol';
import type { Logger } from '../../core/types';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void; onCase?: (r: CaseResult) => void };
type Params<M extends WorkerRequest['method']> = Extract<WorkerRequest, { method: M }>['params'];

export class DetectionsWorker implements vscode.Disposable {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(
    private readonly script: string,
    private readonly logger: Logger,
  ) {}

  run(params: Params<'run'>, onCase: (r: CaseResult) => void, token?: vscode.CancellationToken): Promise<FileResult> {
    return this.request('run', params, token, onCase) as Promise<FileResult>;
  }

  lint(params: Params<'lint'>, token?: vscode.CancellationToken): Promise<LintDiagnostic[]> {
    return this.request('lint', params, token) as Promise<LintDiagnostic[]>;
  }

  private request(
    method: 'run' | 'lint',
    params: Params<'run'> | Params<'lint'>,
    token?: vscode.CancellationToken,
    onCase?: (r: CaseResult) => void,
  ): Promise<unknown> {
    const child = this.ensure();
    const id = this.nextId++;
    const cancel = token?.onCancellationRequested(() => {
      if (this.pending.has(id) && child.connected)
        child.send({ id: this.nextId++, method: 'cancel', params: { target: id } } satisfies WorkerRequest);
    });
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onCase });
      child.send({ id, method, params } as WorkerRequest);
    }).finally(() => cancel?.dispose());
  }

  private ensure(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    const child = fork(this.script, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    child.stderr?.on('data', (d: Buffer) => this.logger.warn(`detection tests: ${d.toString().trimEnd()}`));
    child.on('message', (m: WorkerMessage) => this.receive(m));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      if (this.pending.size)
        this.logger.warn(`detection tests: the worker stopped (${signal ?? code}); its runs failed`);
      for (const p of this.pending.values())
        p.reject(new Error(`the detection test worker stopped (${signal ?? code})`));
      this.pending.clear();
    });
    this.child = child;
    return child;
  }

  private receive(m: WorkerMessage): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    if (m.kind === 'case') {
      p.onCase?.(m.result);
      return;
    }
    this.pending.delete(m.id);
    if (m.kind === 'done') p.resolve(m.result);
    else p.reject(m.cancelled ? new vscode.CancellationError() : new Error(m.message));
  }

  dispose(): void {
    this.child?.kill();
    this.child = undefined;
  }
}
