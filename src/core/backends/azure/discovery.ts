// ARM lists behind "Connect to Azure Workspace": tenants → subscriptions → Sentinel-enabled workspaces. Each entry
// is read with a schema (ids required, as ARM always sends them); a name ARM did not send shows the id.
import { z } from 'zod';
import { AzureRequestError, type ArmClient } from './arm';
import { ListPage, parseArm } from './armSchemas';
import { DEFAULT_API_VERSION, WORKSPACE_API_VERSION } from './config';

const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
/** Onboarding states exist in every api-version of Microsoft.SecurityInsights since 2021. */
const ONBOARDING_API_VERSION = DEFAULT_API_VERSION;

export interface TenantInfo {
  tenantId: string;
  displayName: string;
  defaultDomain?: string;
}
export interface SubscriptionInfo {
  subscriptionId: string;
  displayName: string;
  tenantId?: string;
  state?: string;
}
export interface WorkspaceInfo {
  resourceId: string;
  name: string;
  customerId?: string;
  location?: string;
  resourceGroup: string;
}

const str = (v: string | null | undefined) => (v ? v : undefined);
const text = z.string().nullable().optional();
const Tenant = z.object({ tenantId: z.string().min(1), displayName: text, defaultDomain: text }).passthrough();
const Subscription = z
  .object({ subscriptionId: z.string().min(1), displayName: text, tenantId: text, state: text })
  .passthrough();
const Workspace = z
  .object({
    id: z
      .string()
      .regex(
        /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i,
      ),
    name: z.string().min(1),
    location: text,
    properties: z.object({ customerId: text }).passthrough().nullable().optional(),
  })
  .passthrough();

export async function listTenants(arm: ArmClient, signal?: AbortSignal): Promise<TenantInfo[]> {
  const list = await arm.list<unknown>({
    path: '/tenants',
    query: { 'api-version': SUBSCRIPTIONS_API_VERSION },
    signal,
    what: 'list tenants',
    role: 'Reader',
  });
  return list
    .map((item) => parseArm(Tenant, item, 'a tenant'))
    .map((t) => ({
      tenantId: t.tenantId,
      displayName: str(t.displayName) ?? str(t.defaultDomain) ?? t.tenantId,
      defaultDomain: str(t.defaultDomain),
    }));
}

export async function listSubscriptions(arm: ArmClient, signal?: AbortSignal): Promise<SubscriptionInfo[]> {
  const list = await arm.list<unknown>({
    path: '/subscriptions',
    query: { 'api-version': SUBSCRIPTIONS_API_VERSION },
    signal,
    what: 'list subscriptions',
    role: 'Reader',
  });
  return list
    .map((item) => parseArm(Subscription, item, 'a subscription'))
    .map((s) => ({
      subscriptionId: s.subscriptionId,
      displayName: str(s.displayName) ?? s.subscriptionId,
      tenantId: str(s.tenantId),
      state: str(s.state),
    }))
    .filter((s) => s.state !== 'Disabled')
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** Log Analytics workspaces of a subscription that have Microsoft Sentinel onboarded. */
export async function listSentinelWorkspaces(
  arm: ArmClient,
  subscriptionId: string,
  signal?: AbortSignal,
): Promise<WorkspaceInfo[]> {
  const list = await arm.list<unknown>({
    path: `/subscriptions/${encodeURIComponent(subscriptionId)}/providers/Microsoft.OperationalInsights/workspaces`,
    query: { 'api-version': WORKSPACE_API_VERSION },
    signal,
    what: 'list Log Analytics workspaces',
    role: 'Reader',
  });
  const workspaces = list.map((item): WorkspaceInfo => {
    const w = parseArm(Workspace, item, 'a Log Analytics workspace');
    return {
      resourceId: w.id,
      name: w.name,
      customerId: str(w.properties?.customerId),
      location: str(w.location),
      resourceGroup: /\/resourceGroups\/([^/]+)/i.exec(w.id)![1],
    };
  });
  const enabled: WorkspaceInfo[] = [];
  // A few at a time: a subscription can hold many workspaces and ARM throttles per principal.
  for (let i = 0; i < workspaces.length; i += 5) {
    const batch = workspaces.slice(i, i + 5);
    const states = await Promise.all(
      batch.map(async (w) => {
        try {
          const body = await arm.request<unknown>({
            method: 'GET',
            path: `${w.resourceId}/providers/Microsoft.SecurityInsights/onboardingStates`,
            query: { 'api-version': ONBOARDING_API_VERSION },
            signal,
            what: 'check Microsoft Sentinel onboarding',
          });
          return parseArm(ListPage, body, 'check Microsoft Sentinel onboarding').value.length > 0;
        } catch (e) {
          // No Sentinel (404) or no right to read it (403): not a workspace the user can triage here.
          if (e instanceof AzureRequestError && (e.status === 404 || e.status === 403)) return false;
          throw e;
        }
      }),
    );
    batch.forEach((w, j) => states[j] && enabled.push(w));
  }
  return enabled.sort((a, b) => a.name.localeCompare(b.name));
}
