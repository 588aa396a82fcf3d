// The History entry a command is about: a History view node, or `{ historyId }` (the row's click).
import type { HistoryEntry, QueryHistory } from '../../../core/history';
import { UserError } from '../../../core/errors';
import { valueOf, type CommandArgument } from '../../command';
import { HistoryNode } from '../historyView';

export async function historyEntryOf(history: QueryHistory, arg: CommandArgument): Promise<HistoryEntry> {
  const id =
    arg.kind === 'node' && arg.node instanceof HistoryNode
      ? arg.node.entry.id
      : (valueOf(arg) as { historyId?: unknown } | undefined)?.historyId;
  const entry = typeof id === 'string' ? (await history.list()).find((e) => e.id === id) : undefined;
  if (!entry) throw new UserError('Pick a run in the History view.');
  return entry;
}
