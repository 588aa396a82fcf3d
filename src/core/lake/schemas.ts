// Built-in schemas of the Sentinel / Defender XDR tables the product reads (real column names).
// Tables not listed here get their column types inferred when loaded.
import type { KqlType } from '../types';
import { REFERENCE_SCHEMAS } from './schemasReference';

export type TableSchema = Record<string, KqlType>;

const signin: TableSchema = {
  TimeGenerated: 'datetime', TenantId: 'string', UserPrincipalName: 'string', UserId: 'string',
  UserDisplayName: 'string', ResultType: 'string', ResultDescription: 'string', IPAddress: 'string',
  Location: 'string', LocationDetails: 'dynamic', AppDisplayName: 'string', AppId: 'string',
  ClientAppUsed: 'string', UserAgent: 'string', DeviceDetail: 'dynamic', AuthenticationRequirement: 'string',
  ConditionalAccessStatus: 'string', RiskLevelDuringSignIn: 'string', RiskState: 'string',
  RiskLevelAggregated: 'string', CorrelationId: 'string', AutonomousSystemNumber: 'int', Type: 'string',
  Status: 'dynamic', RiskDetail: 'string', RiskEventTypes_V2: 'string', ResourceDisplayName: 'string',
  UserType: 'string', IsInteractive: 'bool',
  // further documented SigninLogs columns real detections read
  // (https://learn.microsoft.com/azure/azure-monitor/reference/tables/signinlogs)
  Id: 'string', Identity: 'string', OperationName: 'string', Category: 'string', ResultSignature: 'string', AlternateSignInName: 'string',
  AuthenticationDetails: 'string', AuthenticationProcessingDetails: 'string', MfaDetail: 'dynamic', NetworkLocationDetails: 'string',
  HomeTenantId: 'string', ResourceTenantId: 'string', ResourceIdentity: 'string', SessionId: 'string', TokenIssuerType: 'string',
  UniqueTokenIdentifier: 'string', OriginalRequestId: 'string', RiskEventTypes: 'string', ConditionalAccessPolicies: 'dynamic',
  SourceSystem: 'string', _ResourceId: 'string',
};

const connectors: TableSchema = {
  TimeGenerated: 'datetime', ConnectorId: 'string', Kind: 'string', Name: 'string', State: 'string',
};

export const BUILTIN_SCHEMAS: Record<string, TableSchema> = {
  SigninLogs: signin,
  AADNonInteractiveUserSignInLogs: { ...signin },
  AlertEvidence: {
    TimeGenerated: 'datetime', Timestamp: 'datetime', AlertId: 'string', Title: 'string', Severity: 'string', Categories: 'dynamic',
    AttackTechniques: 'string', ServiceSource: 'string', DetectionSource: 'string', EntityType: 'string',
    EvidenceRole: 'string', AccountUpn: 'string', AccountObjectId: 'string', AccountName: 'string',
    RemoteUrl: 'string', RemoteIP: 'string', DeviceName: 'string', AdditionalFields: 'dynamic',
    FileName: 'string', SHA256: 'string', NetworkMessageId: 'string',
  },
  SecurityAlert: {
    TimeGenerated: 'datetime', SystemAlertId: 'string', AlertName: 'string', AlertSeverity: 'string',
    Description: 'string', ProviderName: 'string', ProductName: 'string', Status: 'string', Tactics: 'string',
    Techniques: 'string', Entities: 'string', StartTime: 'datetime', EndTime: 'datetime', CompromisedEntity: 'string',
    AlertLink: 'string', DisplayName: 'string', VendorName: 'string', VendorOriginalId: 'string',
    ExtendedProperties: 'string',
  },
  SecurityIncident: {
    TimeGenerated: 'datetime', IncidentNumber: 'int', IncidentName: 'string', Title: 'string', Description: 'string',
    Severity: 'string', Status: 'string', Classification: 'string', Owner: 'dynamic', ProviderName: 'string',
    CreatedTime: 'datetime', LastModifiedTime: 'datetime', FirstActivityTime: 'datetime', LastActivityTime: 'datetime',
    AlertIds: 'dynamic', RelatedAnalyticRuleIds: 'dynamic', IncidentUrl: 'string', AdditionalData: 'dynamic',
    ClassificationReason: 'string', ClassificationComment: 'string', ModifiedBy: 'string', ClosedTime: 'datetime',
  },
  CloudAppEvents: {
    TimeGenerated: 'datetime', Timestamp: 'datetime', ActionType: 'string', Application: 'string', AccountObjectId: 'string',
    AccountId: 'string', AccountDisplayName: 'string', IPAddress: 'string', CountryCode: 'string',
    ActivityType: 'string', RawEventData: 'dynamic', ActivityObjects: 'dynamic',
    ObjectName: 'string', ObjectType: 'string', UserAgent: 'string',
  },
  IdentityInfo: {
    TimeGenerated: 'datetime', AccountUPN: 'string', AccountObjectId: 'string', AccountDisplayName: 'string',
    AccountName: 'string', Department: 'string', JobTitle: 'string', AssignedRoles: 'dynamic',
    IsAccountEnabled: 'bool', Country: 'string', City: 'string', Tags: 'dynamic',
    AccountDomain: 'string', OnPremSid: 'string', RiskLevel: 'string', RiskState: 'string',
  },
  BehaviorAnalytics: {
    TimeGenerated: 'datetime', UserPrincipalName: 'string', UserName: 'string', ActivityType: 'string',
    ActionType: 'string', SourceIPAddress: 'string', SourceIPLocation: 'string', InvestigationPriority: 'int',
    ActivityInsights: 'dynamic', UsersInsights: 'dynamic', EventSource: 'string',
  },
  EmailEvents: {
    TimeGenerated: 'datetime', Timestamp: 'datetime', NetworkMessageId: 'string', SenderFromAddress: 'string', SenderFromDomain: 'string',
    RecipientEmailAddress: 'string', Subject: 'string', DeliveryAction: 'string', DeliveryLocation: 'string',
    ThreatTypes: 'string', UrlCount: 'int',
    EmailDirection: 'string', SenderIPv4: 'string', RecipientObjectId: 'string', DetectionMethods: 'string',
    AttachmentCount: 'int', InternetMessageId: 'string',
  },
  EmailUrlInfo: {
    TimeGenerated: 'datetime', Timestamp: 'datetime', NetworkMessageId: 'string', Url: 'string', UrlDomain: 'string', UrlLocation: 'string',
  },
  UrlClickEvents: {
    TimeGenerated: 'datetime', Timestamp: 'datetime', Url: 'string', ActionType: 'string', AccountUpn: 'string', Workload: 'string',
    NetworkMessageId: 'string', ThreatTypes: 'string', DetectionMethods: 'string', IsClickedThrough: 'bool',
    UrlChain: 'dynamic', IPAddress: 'string',
  },
  ThreatIntelIndicators: {
    TimeGenerated: 'datetime', Id: 'string', ObservableKey: 'string', ObservableValue: 'string', Confidence: 'int',
    IsActive: 'bool', ValidFrom: 'datetime', ValidUntil: 'datetime', Tags: 'dynamic', Pattern: 'string', Data: 'dynamic',
    SourceSystem: 'string',
  },
  Watchlist: {
    TimeGenerated: 'datetime', WatchlistAlias: 'string', SearchKey: 'string', WatchlistItem: 'dynamic',
  },
  DeviceNetworkEvents: {
    TimeGenerated: 'datetime', Timestamp: 'datetime', DeviceName: 'string', ActionType: 'string', RemoteIP: 'string', RemotePort: 'int',
    RemoteUrl: 'string', InitiatingProcessFileName: 'string', InitiatingProcessAccountUpn: 'string',
    DeviceId: 'string', LocalIP: 'string', Protocol: 'string',
  },
  AuditLogs: {
    TimeGenerated: 'datetime', OperationName: 'string', Category: 'string', Result: 'string', InitiatedBy: 'dynamic',
    TargetResources: 'dynamic', AdditionalDetails: 'dynamic',
    Id: 'string', Identity: 'string', LoggedByService: 'string', CorrelationId: 'string',
    ActivityDisplayName: 'string', ActivityDateTime: 'datetime', AADOperationType: 'string', ResultReason: 'string',
  },
  /** Comments added from the workbench to local incidents (persisted by the local backend). */
  IncidentComments: {
    TimeGenerated: 'datetime', IncidentName: 'string', IncidentNumber: 'int', CommentId: 'string', Author: 'string',
    Message: 'string',
  },
  /** Data connector inventory (current), for the migration checklist's auto-enabled connector check. */
  DataConnectors: connectors,
  /** Data connector inventory captured before the Defender portal cutover. */
  DataConnectorsBeforeCutover: { ...connectors },
};

const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

const merged = new Map<string, TableSchema>();

/**
 * The built-in schema of a table: the product's own columns above (in their order), then every further
 * documented column of the same table, so a column a real workspace has is never unknown here.
 */
export function builtinSchema(table: string): TableSchema | undefined {
  const own = has(BUILTIN_SCHEMAS, table) ? BUILTIN_SCHEMAS[table] : undefined;
  const documented = has(REFERENCE_SCHEMAS, table) ? REFERENCE_SCHEMAS[table] : undefined;
  if (!own || !documented) return own ?? documented;
  let m = merged.get(table);
  if (!m) merged.set(table, (m = { ...own, ...documented, ...own }));
  return m;
}

/** The columns the demo generator writes for a table: the product's own schema, else the documented one. */
export function demoSchema(table: string): TableSchema | undefined {
  if (has(BUILTIN_SCHEMAS, table)) return BUILTIN_SCHEMAS[table];
  return has(REFERENCE_SCHEMAS, table) ? REFERENCE_SCHEMAS[table] : undefined;
}
