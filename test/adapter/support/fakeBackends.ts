// BackendManager's surface as the triage feature uses it, over a given local backend (Azure through azureFactory).
import type { SentinelBackend } from '../../../src/core/backends/types';
import { silentLogger } from '../../../src/core/types';
import { read, Settings } from '../../../src/extension/settings';
import { EventEmitter } from './fakeVscode';

/** BackendManager's surface as triage uses it, over a given local backend. */
export function fakeBackends(local: SentinelBackend) {
  const changed = new EventEmitter<string>();
  const incidentEvents = new EventEmitter<unknown>();
  const manager = {
    onDidChangeIncident: incidentEvents.event,
    incidentChanged: (e: unknown) => incidentEvents.fire(e),
    azureFactory: undefined as undefined | ((l: typeof silentLogger) => Promise<SentinelBackend>),
    get kind() {
      return read(Settings.backend);
    },
    get label() {
      return manager.kind === 'local' ? 'local demo lake' : 'Azure';
    },
    azure: undefined as Promise<SentinelBackend> | undefined,
    current(): Promise<SentinelBackend> {
      if (manager.kind === 'azure') return (manager.azure ??= manager.azureFactory!(silentLogger));
      return Promise.resolve(local);
    },
    resets: 0,
    reset() {
      manager.resets++;
      manager.azure = undefined;
      changed.fire(manager.kind);
    },
    onDidChange: changed.event,
    lakeDir: () => undefined,
    dispose() {},
  };
  return manager;
}
