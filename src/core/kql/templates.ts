// The baseline library: parameterised queries over real Sentinel columns that run on the demo lake
// and on a workspace. Parameters are `let` string literals, filled in by safe substitution.
import { findParameters, ParameterShape, substituteParameter } from './parameters';

export interface BaselineTemplate {
  id: string;
  title: string;
  description: string;
  /** The kind of entity the template baselines (used to offer it for an entity). */
  entity: ParameterShape;
  text: string;
}

export const BASELINE_TEMPLATES: readonly BaselineTemplate[] = [
  {
    id: 'signin-daily',
    title: 'Daily sign-in baseline for a user',
    description: 'Sign-ins per day with failures, successes, distinct IPs and apps.',
    entity: 'upn',
    text: `// Daily sign-in baseline for a user
let TargetUpn = "megan.bowen@contoso.com";
SigninLogs
| where TimeGenerated between (ago(7d) .. now())
| where UserPrincipalName == TargetUpn
| summarize Total=count(), Failures=countif(ResultType != "0"), Successes=countif(ResultType == "0"), DistinctIPs=dcount(IPAddress), Apps=make_set(AppDisplayName, 20) by bin(TimeGenerated, 1d)
| order by TimeGenerated desc`,
  },
  {
    id: 'url-prevalence',
    title: 'URL click prevalence',
    description: 'How many users clicked a URL, by action, in the last 7 days.',
    entity: 'url',
    text: `// URL click prevalence across the tenant
let TargetUrl = "https://secure-login.micros0ft-auth.com/common/oauth2/authorize";
UrlClickEvents
| where TimeGenerated > ago(7d)
| where Url == TargetUrl
| summarize Clicks=count(), Users=dcount(AccountUpn), ClickedThrough=countif(IsClickedThrough == true), FirstClick=min(TimeGenerated), LastClick=max(TimeGenerated) by ActionType
| order by Clicks desc`,
  },
  {
    id: 'mfa-failures',
    title: 'MFA failures for a user',
    description: 'Sign-ins that failed or stopped at multi-factor authentication, per day and result.',
    entity: 'upn',
    text: `// MFA failures for a user
let TargetUpn = "megan.bowen@contoso.com";
SigninLogs
| where TimeGenerated > ago(14d)
| where UserPrincipalName =~ TargetUpn
| where ResultType in ("50074", "50076", "500121", "50158")
| summarize Attempts=count(), IPs=make_set(IPAddress, 10), Apps=make_set(AppDisplayName, 10) by bin(TimeGenerated, 1d), ResultType, ResultDescription
| order by TimeGenerated desc`,
  },
  {
    id: 'new-countries',
    title: 'New countries for a user (vs the previous 30 days)',
    description: 'Countries a user signed in from in the last 7 days that the 30 days before never saw.',
    entity: 'upn',
    text: `// New sign-in countries for a user compared with the previous 30 days
let TargetUpn = "megan.bowen@contoso.com";
let Known = SigninLogs
| where TimeGenerated between (ago(37d) .. ago(7d))
| where UserPrincipalName =~ TargetUpn
| distinct Location;
SigninLogs
| where TimeGenerated > ago(7d)
| where UserPrincipalName =~ TargetUpn
| join kind=leftanti Known on Location
| summarize SignIns=count(), Successes=countif(ResultType == "0"), IPs=make_set(IPAddress, 10), FirstSeen=min(TimeGenerated) by Location
| order by SignIns desc`,
  },
  {
    id: 'inbox-rules',
    title: 'Inbox rules created by a user',
    description: 'New-InboxRule / Set-InboxRule and mailbox permission changes in CloudAppEvents.',
    entity: 'upn',
    text: `// Inbox rules and mailbox permission changes by a user
let TargetUpn = "megan.bowen@contoso.com";
let Account = IdentityInfo
| where AccountUPN =~ TargetUpn
| distinct AccountObjectId;
CloudAppEvents
| where TimeGenerated > ago(14d)
| where ActionType in ("New-InboxRule", "Set-InboxRule", "Add-MailboxPermission", "UpdateInboxRules")
| join kind=inner Account on AccountObjectId
| project TimeGenerated, ActionType, Application, IPAddress, CountryCode, RawEventData
| order by TimeGenerated desc`,
  },
  {
    id: 'oauth-consents',
    title: 'OAuth consents by a user',
    description: 'Applications a user consented to.',
    entity: 'upn',
    text: `// OAuth application consents by a user
let TargetUpn = "megan.bowen@contoso.com";
let Account = IdentityInfo
| where AccountUPN =~ TargetUpn
| distinct AccountObjectId;
CloudAppEvents
| where TimeGenerated > ago(30d)
| where ActionType has "Consent to application"
| join kind=inner Account on AccountObjectId
| project TimeGenerated, ActionType, Application, IPAddress, CountryCode, ActivityObjects
| order by TimeGenerated desc`,
  },
  {
    id: 'url-click-timeline',
    title: 'URL click timeline by action',
    description: 'Clicks on a URL per hour, split by allowed / blocked.',
    entity: 'url',
    text: `// Click timeline for a URL by action
let TargetUrl = "https://secure-login.micros0ft-auth.com/common/oauth2/authorize";
UrlClickEvents
| where TimeGenerated > ago(7d)
| where Url == TargetUrl
| summarize Clicks=count() by bin(TimeGenerated, 1h), ActionType
| order by TimeGenerated asc`,
  },
  {
    id: 'domain-devices',
    title: 'Devices that connected to a domain',
    description: 'Devices and processes that reached a domain in DeviceNetworkEvents.',
    entity: 'text',
    text: `// Devices that connected to a domain
let TargetDomain = "micros0ft-auth.com";
DeviceNetworkEvents
| where TimeGenerated > ago(14d)
| where RemoteUrl has TargetDomain
| summarize Connections=count(), FirstSeen=min(TimeGenerated), LastSeen=max(TimeGenerated), Processes=make_set(InitiatingProcessFileName, 10) by DeviceName, InitiatingProcessAccountUpn
| order by Connections desc`,
  },
  {
    id: 'ip-signins',
    title: 'Sign-ins from an IP address',
    description: 'Users and results seen from one IP address (spray check).',
    entity: 'ip',
    text: `// Sign-ins from an IP address
let TargetIp = "203.0.113.10";
SigninLogs
| where TimeGenerated > ago(7d)
| where IPAddress == TargetIp
| summarize Attempts=count(), Failures=countif(ResultType != "0"), Users=dcount(UserPrincipalName), UserList=make_set(UserPrincipalName, 25) by bin(TimeGenerated, 1h)
| order by TimeGenerated desc`,
  },
];

/** Renders a template with its first parameter set to `value` (as a safe literal), or unchanged. */
export function renderTemplate(template: BaselineTemplate, value?: string): string {
  if (value === undefined) return template.text + '\n';
  const [first] = findParameters(template.text);
  if (!first) return template.text + '\n';
  return substituteParameter(template.text, 0, first, value) + '\n';
}

/** Templates that fit an entity of the given shape (URL templates for URLs, and so on). */
export function templatesFor(shape: ParameterShape): BaselineTemplate[] {
  return BASELINE_TEMPLATES.filter((t) => t.entity === shape);
}
