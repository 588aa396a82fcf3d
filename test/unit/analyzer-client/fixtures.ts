import type { AnalysisPoll, AnalysisRequest, AnalysisResult } from '../../../src/core/analyzer/types';

export function userRequest(id = 'megan.bowen@contoso.com', days = 7, end = '2026-01-15T12:00:00Z'): AnalysisRequest {
  const endMs = Date.parse(end);
  return {
    entity: { type: 'User', id },
    startTime: new Date(endMs - days * 86400_000).toISOString(),
    endTime: new Date(endMs).toISOString(),
  };
}

export function result(
  request: AnalysisRequest,
  completedAt: number,
  overrides: Partial<AnalysisResult> = {},
): AnalysisResult {
  return {
    entity: request.entity,
    verdict: 'Compromised',
    confidence: 'High',
    summary: 'Password spray followed by a successful sign-in from a new country.',
    evidence: [
      { title: 'Failed sign-ins', table: 'SigninLogs', query: 'SigninLogs | take 1', rows: [{ ResultType: '50126' }] },
    ],
    recommendations: ['Revoke sessions'],
    missingTables: [],
    disclaimer: null,
    window: { startTime: request.startTime, endTime: request.endTime },
    source: 'local',
    completedAt: new Date(completedAt).toISOString(),
    expiresAt: new Date(completedAt + 3600_000).toISOString(),
    ...overrides,
  };
}

/** A scripted backend: start returns ids; each get pops the next scripted poll outcome (or throws it). */
export class ScriptedBackend {
  starts: AnalysisRequest[] = [];
  gets: string[] = [];
  startScript: Array<Error | string> = [];
  pollScript: Array<Error | AnalysisPoll['status'] | ((id: string) => AnalysisPoll)> = [];
  startTimes: number[] = [];
  getTimes: number[] = [];
  private n = 0;

  constructor(private readonly now: () => number) {}

  async startEntityAnalysis(request: AnalysisRequest): Promise<{ analysisId: string }> {
    this.starts.push(request);
    this.startTimes.push(this.now());
    const next = this.startScript.shift();
    if (next instanceof Error) throw next;
    return { analysisId: next ?? `a${++this.n}` };
  }

  async getEntityAnalysis(analysisId: string): Promise<AnalysisPoll> {
    this.gets.push(analysisId);
    this.getTimes.push(this.now());
    const next = this.pollScript.shift() ?? 'completed';
    if (next instanceof Error) throw next;
    if (typeof next === 'function') return next(analysisId);
    const request = this.starts[this.starts.length - 1] ?? {
      entity: { type: 'User', id: 'x' },
      startTime: '',
      endTime: '',
    };
    switch (next) {
      case 'running':
        return { status: 'running', analysisId, message: 'Analyzing sign-ins' };
      case 'failed':
        return { status: 'failed', analysisId, error: 'Missing tables: IdentityInfo' };
      case 'expired':
        return { status: 'expired', analysisId };
      default:
        return { status: 'completed', analysisId, result: result(request as AnalysisRequest, this.now()) };
    }
  }
}
