// What the authoring commands share: the query runner, the results panels, the query history, the query targets.
import type { QueryHistory } from '../../core/history';
import type { HistoryTree } from './historyView';
import type { ResultsPanels } from './resultsPanel';
import type { QueryRunner } from './runner';
import type { QueryTargets } from './targets';

export interface AuthoringServices {
  readonly runner: QueryRunner;
  readonly panels: ResultsPanels;
  readonly history: QueryHistory;
  readonly historyTree: HistoryTree;
  readonly targets: QueryTargets;
}
