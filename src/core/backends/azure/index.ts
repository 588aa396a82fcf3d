// The Azure backend as one module: bundled separately (dist/azure.js) so the extension host loads the
// Azure SDKs only when a user connects to Azure.
export { AzureBackend, createAzureBackend, type AzureBackendOptions } from './backend';
export { ArmClient, AzureRequestError } from './arm';
export {
  checkEndpoints,
  DEFAULT_API_VERSION,
  DEFAULT_ENDPOINTS,
  endpointsFromEnv,
  parseWorkspaceResourceId,
  type AzureEndpoints,
} from './config';
export { staticTokenCredential, jwtExpiry } from './credentials';
export {
  listSentinelWorkspaces,
  listSubscriptions,
  listTenants,
  type SubscriptionInfo,
  type TenantInfo,
  type WorkspaceInfo,
} from './discovery';
export { DefenderHunting, DEFAULT_GRAPH_ENDPOINT, GRAPH_SCOPE } from '../defender/hunting';
export { AdxDatabase, parseKustoTarget, type KustoTargetRef } from '../kusto/adx';
