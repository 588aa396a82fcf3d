// Every command id the extension registers, in one typed map. A test checks this against package.json.
export const Commands = {
  analyzeEntity: 'sentinelWorkbench.analyzeEntity',
  analyzeIncidentEntities: 'sentinelWorkbench.analyzeIncidentEntities',
  openAnalysis: 'sentinelWorkbench.openAnalysis',
  rerunAnalysis: 'sentinelWorkbench.rerunAnalysis',
  cancelAnalysis: 'sentinelWorkbench.cancelAnalysis',
  copyAnalysis: 'sentinelWorkbench.copyAnalysis',
  runQuery: 'sentinelWorkbench.runQuery',
  runBaseline: 'sentinelWorkbench.runBaseline',
  newBaselineFromTemplate: 'sentinelWorkbench.newBaselineFromTemplate',
  refreshIncidents: 'sentinelWorkbench.refreshIncidents',
  filterIncidents: 'sentinelWorkbench.filterIncidents',
  connectAzure: 'sentinelWorkbench.connectAzure',
  useLocalLake: 'sentinelWorkbench.useLocalLake',
  openMigrationChecklist: 'sentinelWorkbench.openMigrationChecklist',
  switchBackend: 'sentinelWorkbench.switchBackend',
  showLog: 'sentinelWorkbench.showLog',
  openDemoReadme: 'sentinelWorkbench.openDemoReadme',
  editParameters: 'sentinelWorkbench.editParameters',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
