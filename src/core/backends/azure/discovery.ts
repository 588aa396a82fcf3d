// ARM lists behind "Connect to Azure Workspace": tenants → subscriptions → Sentinel-enabled workspaces.
import { AzureRequestError, type ArmClient } from './arm';
import { WORKSPACE_API_VERSION } from './config';

const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
/** Onboarding states exist in every api-version of Microsoft.SecurityInsights since 2021. */
const ONBOARDING_API_VERSION = '2025-06-01';

export interface TenantInfo { tenantId: string; displayName: string; defaultDomain?: string }
export interface SubscriptionInfo { subscriptionId: string; displayName: string; tenantId?: string; state?: string }
export interface WorkspaceInfo { resourceId: string; name: string; customerId?: string; location?: string; resourceGroup: string }

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export async function listTenants(arm: ArmClient, signal?: AbortSignal): Promise<TenantInfo[]> {
  const list = await arm.list<Obj>({ path: '/tenants', query: { 'api-version': SUBSCRIPTIONS_API_VERSION }, signal, what: 'list tenants', role: 'Reader' });
  return list
    .map((t) => ({ tenantId: str(t.tenantId) ?? '', displayName: str(t.displayName) ?? str(t.defaultDomain) ?? str(t.tenantId) ?? '', defaultDomain: str(t.defaultDomain) }))
    .filter((t) => t.tenantId);
}

export async function listSubscriptions(arm: ArmClient, signal?: AbortSignal): Promise<SubscriptionInfo[]> {
  const list = await arm.list<Obj>({ path: '/subscriptions', query: { 'api-version': SUBSCRIPTIONS_API_VERSION }, signal, what: 'list subscriptions', role: 'Reader' });
  return list
    .map((s) => ({ subscriptionId: str(s.subscriptionId) ?? '', displayName: str(s.displayName) ?? str(s.subscriptionId) ?? '', tenantId: str(s.tenantId), state: str(s.state) }))
    .filter((s) => s.subscriptionId && s.state !== 'Disabled')
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Log Analytics workspaces of a subscription that have Microsoft Sentinel onboarded. */
export async function listSentinelWorkspaces(arm: ArmClient, subscriptionId: string, signal?: AbortSignal): Promise<WorkspaceInfo[]> {
  const list = await arm.list<Obj>({
    path: `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.OperationalInsights/workspaces`,
    query: { 'api-version': WORKSPACE_API_VERSION }, signal, what: 'list Log Analytics workspaces', role: 'Reader',
  });
  const workspaces = list.map((w): WorkspaceInfo => {
    const id = str(w.id) ?? '';
    return {
      resourceId: id,
      name: str(w.name) ?? '',
      customerId: str((w.properties as Obj | undefined)?.customerId),
      location: str(w.location),
      resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(id)?.[1] ?? '',
    };
  });
  const enabled: WorkspaceInfo[] = [];
  // A few at a time: a subscription can hold many workspaces and ARM throttles per principal.
  for (let i = 0; i < workspaces.length; i += 5) {
    const batch = workspaces.slice(i, i + 5);
    const states = await Promise.all(batch.map(async (w) => {
      try {
        const body = await arm.request<{ value?: unknown[] }>({
          method: 'GET', path: `${w.resourceId}/providers/Microsoft.SecurityInsights/onboardingStates`,
          query: { 'api-version': ONBOARDING_API_VERSION }, signal, what: 'check Microsoft Sentinel onboarding',
        });
        return (body?.value ?? []).length > 0;
      } catch (e) {
        // No Sentinel (404) or no right to read it (403): not a workspace the user can triage here.
        if (e instanceof AzureRequestError && (e.status === 404 || e.status === 403)) return false;
        throw e;
      }
    }));
    batch.forEach((w, j) => states[j] && enabled.push(w));
  }
  return enabled.sort((a, b) => a.name.localeCompare(b.name));
}
