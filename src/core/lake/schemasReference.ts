// Built-in schemas of further Sentinel / Defender XDR tables detections read, written from Microsoft's documented
// table references (column names and types as published; descriptions left out):
//   Defender XDR advanced hunting schema: https://learn.microsoft.com/defender-xdr/advanced-hunting-<table>-table
//   Azure Monitor Logs table reference:   https://learn.microsoft.com/azure/azure-monitor/reference/tables/<table>
// The Defender tables get `TimeGenerated` as well as `Timestamp` (both exist when Sentinel stores them), and every
// table gets the Log Analytics standard columns.
import type { KqlType } from '../types';

type Cols = Record<string, KqlType>;

/** Log Analytics standard columns (https://learn.microsoft.com/azure/azure-monitor/logs/log-standard-columns). */
export const STANDARD_COLUMNS: Cols = {
  TenantId: 'string',
  Type: 'string',
  _ResourceId: 'string',
  _SubscriptionId: 'string',
  _ItemId: 'string',
  _IsBillable: 'string',
  _BilledSize: 'real',
  SourceSystem: 'string',
};

/** Parses `Name:type Name2:type …` (type defaults to string). */
function cols(spec: string): Cols {
  const out: Cols = {};
  for (const item of spec.trim().split(/\s+/)) {
    const [name, type] = item.split(':');
    out[name] = (type ?? 'string') as KqlType;
  }
  return out;
}

const DEVICE =
  'Timestamp:datetime TimeGenerated:datetime DeviceId DeviceName ActionType ReportId:long MachineGroup AppGuardContainerId';
const INITIATING =
  'InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid InitiatingProcessAccountUpn ' +
  'InitiatingProcessAccountObjectId InitiatingProcessMD5 InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessFileName ' +
  'InitiatingProcessFileSize:long InitiatingProcessFolderPath InitiatingProcessId:long InitiatingProcessCommandLine ' +
  'InitiatingProcessCreationTime:datetime InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation ' +
  'InitiatingProcessParentId:long InitiatingProcessParentFileName InitiatingProcessParentCreationTime:datetime ' +
  'InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName InitiatingProcessVersionInfoProductVersion ' +
  'InitiatingProcessVersionInfoInternalFileName InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription ' +
  'InitiatingProcessSessionId:long IsInitiatingProcessRemoteSession:bool InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP';

/** Defender XDR advanced hunting tables. */
const XDR: Record<string, string> = {
  AlertInfo:
    'Timestamp:datetime TimeGenerated:datetime AlertId Title Category Severity ServiceSource DetectionSource AttackTechniques',
  DeviceProcessEvents:
    `${DEVICE} FileName FolderPath SHA1 SHA256 MD5 FileSize:long ProcessVersionInfoCompanyName ProcessVersionInfoProductName ` +
    'ProcessVersionInfoProductVersion ProcessVersionInfoInternalFileName ProcessVersionInfoOriginalFileName ProcessVersionInfoFileDescription ' +
    'ProcessId:long ProcessCommandLine ProcessIntegrityLevel ProcessTokenElevation ProcessCreationTime:datetime AccountDomain AccountName ' +
    `AccountSid AccountUpn AccountObjectId LogonId:long ${INITIATING} InitiatingProcessLogonId:long AdditionalFields:dynamic ProcessRemoteSessionDeviceName ProcessRemoteSessionIP IsProcessRemoteSession:bool`,
  DeviceFileEvents:
    `${DEVICE} FileName FolderPath SHA1 SHA256 MD5 FileOriginUrl FileOriginReferrerUrl FileOriginIP PreviousFolderPath ` +
    'PreviousFileName FileSize:long IsAzureInfoProtectionApplied:bool SensitivityLabel SensitivitySubLabel ShareName RequestProtocol ' +
    `RequestSourceIP RequestSourcePort:int RequestAccountName RequestAccountDomain RequestAccountSid ${INITIATING} AdditionalFields:dynamic`,
  DeviceLogonEvents:
    `${DEVICE} LogonType AccountDomain AccountName AccountSid Protocol FailureReason IsLocalAdmin:bool LogonId:long ` +
    `RemoteDeviceName RemoteIP RemoteIPType RemotePort:int ${INITIATING} AdditionalFields:dynamic`,
  DeviceRegistryEvents:
    `${DEVICE} RegistryKey RegistryValueType RegistryValueName RegistryValueData PreviousRegistryKey ` +
    `PreviousRegistryValueName PreviousRegistryValueData ${INITIATING}`,
  DeviceEvents:
    `${DEVICE} FileName FolderPath SHA1 SHA256 MD5 FileSize:long AccountDomain AccountName AccountSid RemoteUrl RemoteDeviceName ` +
    'ProcessId:long ProcessCommandLine ProcessCreationTime:datetime ProcessTokenElevation LogonId:long RegistryKey RegistryValueName ' +
    `RegistryValueData RemoteIP RemotePort:int LocalIP LocalPort:int FileOriginUrl FileOriginIP AdditionalFields:dynamic ${INITIATING} InitiatingProcessLogonId:long`,
  DeviceNetworkEvents: `${DEVICE} RemoteIP RemotePort:int RemoteUrl LocalIP LocalPort:int Protocol LocalIPType RemoteIPType ${INITIATING} AdditionalFields:dynamic`,
  DeviceInfo:
    'Timestamp:datetime TimeGenerated:datetime DeviceId DeviceName ClientVersion PublicIP OSArchitecture OSPlatform OSBuild:long ' +
    'IsAzureADJoined:bool JoinType AadDeviceId LoggedOnUsers:dynamic RegistryDeviceTag OSVersion MachineGroup ReportId:long ' +
    'OnboardingStatus AdditionalFields:dynamic DeviceCategory DeviceType DeviceSubtype Model Vendor OSDistribution OSVersionInfo ' +
    'MergedDeviceIds:dynamic MergedToDeviceId IsInternetFacing:bool SensorHealthState IsExcluded:bool ExclusionReason ExposureLevel AssetValue',
  DeviceNetworkInfo:
    'Timestamp:datetime TimeGenerated:datetime DeviceId DeviceName ReportId:long NetworkAdapterName NetworkAdapterType ' +
    'NetworkAdapterStatus NetworkAdapterVendor TunnelType ConnectedNetworks:dynamic DnsAddresses:dynamic DefaultGateways:dynamic ' +
    'IPv4Dhcp IPv6Dhcp IPAddresses:dynamic MacAddress',
  DeviceImageLoadEvents: `${DEVICE} FileName FolderPath SHA1 SHA256 MD5 FileSize:long ${INITIATING}`,
  DeviceTvmSoftwareVulnerabilities:
    'DeviceId DeviceName OSPlatform OSVersion OSArchitecture SoftwareVendor SoftwareName SoftwareVersion ' +
    'CveId VulnerabilitySeverityLevel RecommendedSecurityUpdate RecommendedSecurityUpdateId CveTags:dynamic CveMitigationStatus',
  DeviceTvmSoftwareVulnerabilitiesKB:
    'CveId CvssScore:real IsExploitAvailable:bool VulnerabilitySeverityLevel LastModifiedTime:datetime ' +
    'PublishedDate:datetime VulnerabilityDescription AffectedSoftware:dynamic',
  DeviceTvmInfoGathering:
    'Timestamp:datetime LastSeenTime:datetime DeviceId DeviceName OSPlatform AdditionalFields:dynamic',
  DeviceTvmSecureConfigurationAssessment:
    'DeviceId DeviceName OSPlatform Timestamp:datetime ConfigurationId ConfigurationCategory ' +
    'ConfigurationSubcategory ConfigurationImpact:real IsCompliant:bool IsApplicable:bool Context:dynamic IsExpectedUserImpact:bool',
  EmailEvents:
    'Timestamp:datetime TimeGenerated:datetime NetworkMessageId InternetMessageId SenderMailFromAddress SenderFromAddress ' +
    'SenderDisplayName SenderObjectId SenderMailFromDomain SenderFromDomain SenderIPv4 SenderIPv6 RecipientEmailAddress RecipientObjectId ' +
    'Subject EmailClusterId:long EmailDirection DeliveryAction DeliveryLocation ThreatTypes ThreatNames DetectionMethods ConfidenceLevel ' +
    'BulkComplaintLevel:int EmailAction EmailActionPolicy EmailActionPolicyGuid AuthenticationDetails AttachmentCount:int UrlCount:int ' +
    'EmailLanguage Connectors OrgLevelAction OrgLevelPolicy UserLevelAction UserLevelPolicy ReportId LatestDeliveryLocation LatestDeliveryAction AdditionalFields:dynamic',
  EmailAttachmentInfo:
    'Timestamp:datetime TimeGenerated:datetime NetworkMessageId SenderFromAddress SenderDisplayName SenderObjectId ' +
    'RecipientEmailAddress RecipientObjectId FileName FileType SHA256 FileSize:long ThreatTypes ThreatNames DetectionMethods ReportId',
  EmailUrlInfo: 'Timestamp:datetime TimeGenerated:datetime NetworkMessageId Url UrlDomain UrlLocation ReportId',
  EmailPostDeliveryEvents:
    'Timestamp:datetime TimeGenerated:datetime NetworkMessageId InternetMessageId Action ActionType ActionTrigger ' +
    'ActionResult RecipientEmailAddress DeliveryLocation ThreatTypes DetectionMethods ReportId',
  UrlClickEvents:
    'Timestamp:datetime TimeGenerated:datetime Url ActionType AccountUpn Workload NetworkMessageId ThreatTypes DetectionMethods ' +
    'IPAddress IsClickedThrough:bool UrlChain:dynamic ReportId',
  IdentityLogonEvents:
    'Timestamp:datetime TimeGenerated:datetime ActionType Application LogonType Protocol FailureReason AccountName ' +
    'AccountDomain AccountUpn AccountSid AccountObjectId AccountDisplayName DeviceName DeviceType OSPlatform IPAddress Port:int ' +
    'DestinationDeviceName DestinationIPAddress DestinationPort:int TargetDeviceName TargetAccountDisplayName Location ISP ReportId AdditionalFields:dynamic',
  IdentityQueryEvents:
    'Timestamp:datetime TimeGenerated:datetime ActionType Application QueryType QueryTarget Query Protocol AccountName ' +
    'AccountDomain AccountUpn AccountSid AccountObjectId AccountDisplayName DeviceName IPAddress Port:int DestinationDeviceName ' +
    'DestinationIPAddress DestinationPort:int TargetDeviceName TargetAccountUpn TargetAccountDisplayName ReportId AdditionalFields:dynamic',
  IdentityDirectoryEvents:
    'Timestamp:datetime TimeGenerated:datetime ActionType Application TargetAccountUpn TargetAccountDisplayName ' +
    'TargetDeviceName DestinationDeviceName DestinationIPAddress DestinationPort:int Protocol AccountName AccountDomain AccountUpn ' +
    'AccountSid AccountObjectId AccountDisplayName DeviceName IPAddress Port:int Location ISP ReportId AdditionalFields:dynamic',
  CloudAppEvents:
    'Timestamp:datetime TimeGenerated:datetime ActionType Application ApplicationId:int AccountObjectId AccountId ' +
    'AccountDisplayName IsAdminOperation:bool DeviceType OSPlatform IPAddress IsAnonymousProxy:bool CountryCode City ISP UserAgent ' +
    'ActivityType ActivityObjects:dynamic ObjectName ObjectType ObjectId ReportId RawEventData:dynamic AdditionalFields:dynamic ' +
    'AccountType IsExternalUser:bool IsImpersonated:bool IPTags:dynamic IPCategory UserAgentTags:dynamic',
  AADSignInEventsBeta:
    'Timestamp:datetime TimeGenerated:datetime Application ApplicationId LogonType ErrorCode:int CorrelationId SessionId ' +
    'AccountDisplayName AccountObjectId AccountUpn IsExternalUser:int IsGuestUser:bool AlternateSignInName ' +
    'LastPasswordChangeTimestamp:datetime ResourceDisplayName ResourceId ResourceTenantId DeviceName AadDeviceId OSPlatform ' +
    'DeviceTrustType IsManaged:int IsCompliant:int AuthenticationProcessingDetails AuthenticationRequirement TokenIssuerType:int ' +
    'RiskLevelAggregated:int RiskLevelDuringSignIn:int RiskEventTypes RiskState:int UserAgent ClientAppUsed Browser ' +
    'ConditionalAccessPolicies ConditionalAccessStatus:int IPAddress Country State City Latitude Longitude NetworkLocationDetails ' +
    'RequestId ReportId EndpointCall',
  AADSpnSignInEventsBeta:
    'Timestamp:datetime TimeGenerated:datetime Application ApplicationId IsManagedIdentity:bool ErrorCode:int CorrelationId ' +
    'ServicePrincipalName ServicePrincipalId ResourceDisplayName ResourceId ResourceTenantId IPAddress Country State City ' +
    'Latitude Longitude RequestId ReportId',
  IdentityInfo:
    'Timestamp:datetime TimeGenerated:datetime ReportId AccountObjectId AccountUpn OnPremSid AccountDisplayName AccountName ' +
    'AccountDomain DistinguishedName CloudSid GivenName Surname Department JobTitle EmailAddress SipProxyAddress Address City ' +
    'Country IsAccountEnabled:bool Manager Phone CreatedDateTime:datetime SourceProvider ChangeSource Tags:dynamic AssignedRoles:dynamic',
  AlertEvidence:
    'Timestamp:datetime TimeGenerated:datetime AlertId Title Categories:dynamic AttackTechniques ServiceSource DetectionSource ' +
    'EntityType EvidenceRole EvidenceDirection FileName FolderPath SHA1 SHA256 FileSize:long ThreatFamily RemoteIP RemoteUrl AccountName ' +
    'AccountDomain AccountSid AccountObjectId AccountUpn DeviceId DeviceName LocalIP NetworkMessageId EmailSubject ApplicationId:int ' +
    'Application ProcessCommandLine AdditionalFields:dynamic RegistryKey RegistryValueName RegistryValueData Severity',
};

/** Log Analytics / Sentinel tables (Azure Monitor Logs table reference). */
const LOG_ANALYTICS: Record<string, string> = {
  SecurityEvent:
    'TimeGenerated:datetime Computer EventID:int Activity Channel Level Task:int EventSourceName Account AccountType AccountName ' +
    'AccountDomain SubjectUserName SubjectDomainName SubjectUserSid SubjectLogonId SubjectAccount TargetUserName TargetDomainName ' +
    'TargetUserSid TargetLogonId TargetAccount TargetSid LogonType:int LogonTypeName LogonProcessName AuthenticationPackageName ' +
    'WorkstationName IpAddress IpPort Status SubStatus FailureReason Process ProcessName ProcessId NewProcessName NewProcessId ' +
    'ParentProcessName CommandLine TokenElevationType MandatoryLabel ServiceName ServiceFileName ServiceType ServiceStartType ' +
    'ObjectName ObjectType ObjectServer AccessMask AccessList MemberName MemberSid GroupMembership PrivilegeList ShareName ' +
    'EventData Keywords SourceComputerId ManagementGroupName EventOriginId ElevatedToken LogonGuid LmPackageName KeyLength:int ' +
    'ImpersonationLevel RestrictedAdminMode VirtualAccount TargetLinkedLogonId TargetOutboundUserName TargetOutboundDomainName',
  Syslog:
    'TimeGenerated:datetime Computer HostName HostIP Facility SeverityLevel SyslogMessage ProcessName ProcessID:int EventTime:datetime ' +
    'SourceSystem CollectorHostName MG',
  CommonSecurityLog:
    'TimeGenerated:datetime DeviceVendor DeviceProduct DeviceVersion DeviceEventClassID Activity LogSeverity Message ' +
    'DeviceAction ApplicationProtocol SourceIP SourcePort:int DestinationIP DestinationPort:int Protocol SourceUserName SourceUserID ' +
    'DestinationUserName DestinationUserID DestinationHostName SourceHostName DeviceName DeviceAddress Computer RequestURL RequestMethod ' +
    'RequestClientApplication RequestContext FileName FilePath FileHash ReceivedBytes:long SentBytes:long EventCount:int ' +
    'CommunicationDirection SimplifiedDeviceAction AdditionalExtensions IndicatorThreatType ThreatSeverity:int ThreatConfidence ' +
    'DeviceCustomString1 DeviceCustomString1Label DeviceCustomString2 DeviceCustomString2Label DeviceCustomString3 ' +
    'DeviceCustomString3Label DeviceCustomString4 DeviceCustomString4Label DeviceCustomString5 DeviceCustomString5Label ' +
    'DeviceCustomString6 DeviceCustomString6Label DeviceCustomNumber1:int DeviceCustomNumber1Label DeviceCustomNumber2:int ' +
    'DeviceCustomNumber2Label DeviceCustomNumber3:int DeviceCustomNumber3Label DeviceExternalID DeviceFacility DeviceInboundInterface ' +
    'DeviceOutboundInterface SourceTranslatedAddress DestinationTranslatedAddress SourceNTDomain DestinationNTDomain ' +
    'MaliciousIP MaliciousIPCountry ReportReferenceLink RemoteIP RemotePort OriginalLogSeverity EventOutcome',
  AzureActivity:
    'TimeGenerated:datetime OperationName OperationNameValue Level ActivityStatus ActivityStatusValue ActivitySubstatus ' +
    'ActivitySubstatusValue ResourceGroup SubscriptionId CorrelationId Caller CallerIpAddress Category CategoryValue HTTPRequest ' +
    'Properties Properties_d:dynamic EventSubmissionTimestamp:datetime Authorization Authorization_d:dynamic Claims Claims_d:dynamic ' +
    'ResourceProvider ResourceProviderValue Resource ResourceId OperationId EventDataId Hierarchy TenantId',
  OfficeActivity:
    'TimeGenerated:datetime RecordType Operation OrganizationId UserType UserKey OfficeWorkload ResultStatus OfficeObjectId ' +
    'UserId ClientIP ClientIP_ ExternalAccess:bool OriginatingServer OrganizationName LogonUserSid MailboxOwnerUPN MailboxOwnerSid ' +
    'MailboxGuid ClientInfoString Client_IPAddress ClientMachineName ClientProcessName ClientVersion Folder Folders:dynamic ' +
    'AffectedItems Parameters Site_ SourceFileName SourceFileExtension SourceRelativeUrl Site_Url ItemType EventSource UserAgent ' +
    'OfficeId OfficeTenantId SourceRecordId Item Members TeamName TeamGuid ChannelName ChannelType ChannelGuid CommunicationType ' +
    'AADGroupId AddOnName AddonName AddOnType AppDistributionMode AzureADAppId Name OldValue NewValue ModifiedObjectResolvedName ' +
    'DestinationFileName DestinationFileExtension DestinationRelativeUrl Event_Data TargetUserOrGroupName TargetUserOrGroupType ' +
    'Application CrossMailboxOperation:bool DestMailboxId DestMailboxOwnerUPN DestFolder SendAsUserSmtp SendOnBehalfOfUserSmtp ' +
    'ExtendedProperties:dynamic ModifiedProperties:dynamic Actor:dynamic ActorContextId ActorIpAddress InterSystemsId ' +
    'IntraSystemId SupportTicketId TargetContextId DataCenterSecurityEventType:int EffectiveOrganization ElevationTime:datetime ' +
    'ElevationApprover ElevationApprovedTime:datetime ElevationRequestId ElevationRole ElevationDuration:int GenericInfo Start_Time:datetime',
  AzureDiagnostics:
    'TimeGenerated:datetime ResourceId Category ResourceGroup SubscriptionId ResourceProvider Resource ResourceType ' +
    'OperationName ResultType ResultSignature ResultDescription DurationMs:long CallerIPAddress CorrelationId Level Message ' +
    'clientIP_s requestUri_s httpMethod_s httpStatus_d:real host_s userAgent_s action_s ruleName_s ruleSetType_s ruleSetVersion_s ' +
    'msg_s details_message_s details_data_s transactionId_g policy_s OperationVersion identity_claim_upn_s ' +
    'id_s clientIp_s Protocol_s SourceIP DestinationIp TargetIp_s',
  W3CIISLog:
    'TimeGenerated:datetime Date Time Computer sSiteName sComputerName sIP csMethod csUriStem csUriQuery sPort:long csUserName ' +
    'cIP csUserAgent csReferer csHost csCookie scStatus scSubStatus scWin32Status scBytes:long csBytes:long TimeTaken:long ' +
    'csVersion FileUri FileOffset:long SourceSystem MG ManagementGroupName RoleInstance Role Tenant Confidence StorageAccount',
  Event:
    'TimeGenerated:datetime Source EventLog Computer EventLevel:int EventLevelName ParameterXml EventData EventID:int ' +
    'RenderedDescription AzureDeploymentID Role EventCategory:int UserName Message MG ManagementGroupName',
  Heartbeat:
    'TimeGenerated:datetime Computer ComputerIP ComputerPrivateIPs:dynamic Category Version OSType OSName OSMajorVersion ' +
    'OSMinorVersion SCAgentChannel IsGatewayInstalled:bool RemoteIPLongitude:real RemoteIPLatitude:real RemoteIPCountry SubscriptionId ' +
    'ResourceGroup ResourceProvider Resource ResourceId ResourceType ComputerEnvironment Solutions VMUUID ManagementGroupName SourceComputerId',
  LAQueryLogs:
    'TimeGenerated:datetime AADClientId AADEmail AADObjectId AADTenantId CorrelationId IsBillableQuery:bool ' +
    'IsWorkspaceInFailover:bool QueryText QueryTimeRangeEnd:datetime QueryTimeRangeStart:datetime RequestClientApp ' +
    'RequestContext:dynamic RequestContextFilters:dynamic RequestTarget ResponseCode:int ResponseDurationMs:real ResponseRowCount:int ' +
    'ScannedGB:real StatsCPUTimeMs:real StatsDataProcessedEnd:datetime StatsDataProcessedStart:datetime StatsRegionCount:int ' +
    'StatsWorkspaceCount:int WorkspaceRegion',
  VMConnection:
    'TimeGenerated:datetime AgentId BytesReceived:long BytesSent:long Computer Confidence ConnectionId Description ' +
    'DestinationIp DestinationPort:int Direction FirstReportedDateTime IndicatorThreatType IsActive LastReportedDateTime ' +
    'LinksEstablished:long LinksFailed:long LinksLive:long LinksTerminated:long Machine MaliciousIp Process ProcessName Protocol ' +
    'RemoteClassification RemoteCountry RemoteDnsCanonicalNames RemoteDnsQuestions RemoteIp RemoteLatitude:real RemoteLongitude:real ' +
    'Responses:long ResponseTimeMax:long ResponseTimeMin:long ResponseTimeSum:long Severity:int SourceIp TLPLevel',
  BehaviorAnalytics:
    'TimeGenerated:datetime SourceRecordId EventSource ActivityType ActionType UserName UserPrincipalName EventVendor ' +
    'EventProductVersion ActivityInsights:dynamic UsersInsights:dynamic DevicesInsights:dynamic InvestigationPriority:int ' +
    'SourceIPAddress SourceIPLocation SourceDevice DestinationIPAddress DestinationIPLocation DestinationDevice',
  AzureDevOpsAuditing:
    'TimeGenerated:datetime ActivityId ActorCUID ActorClientId ActorDisplayName ActorImageUrl ActorUPN ActorUserId Area ' +
    'AuthenticationMechanism Category CategoryDisplayName CorrelationId Data:dynamic Details IpAddress OperationName ProjectId ' +
    'ProjectName ScopeDisplayName ScopeId ScopeType UserAgent',
  WireData:
    'TimeGenerated:datetime Computer ApplicationProtocol Direction IPVersion LatencyMilliseconds:int ' +
    'LatencySamplingFailureRate:real LatencySamplingTimeStamp:datetime LocalIP LocalMAC LocalPortNumber:int LocalSubnet ' +
    'MaliciousIP ProcessID:int ProcessName ProtocolName ReceivedBytes:long ReceivedPackets:long RemoteIP RemoteIPCountry ' +
    'RemoteIPLatitude:real RemoteIPLongitude:real RemoteMAC RemotePortNumber:int SentBytes:long SentPackets:long ' +
    'SequenceNumber:long SessionEndTime:datetime SessionStartTime:datetime SessionState TotalBytes:long Confidence Description ' +
    'IndicatorThreatType Severity:int TLPLevel ManagementGroupName',
  DnsEvents:
    'TimeGenerated:datetime Computer EventId:int SubType ClientIP Name IPAddresses QueryType Result ResultCode:int ' +
    'Confidence Severity:int Description IndicatorThreatType MaliciousIP RemoteIPCountry RemoteIPLatitude:real RemoteIPLongitude:real TaskCategory',
};

function withStandard(spec: string): Cols {
  return { ...cols(spec), ...STANDARD_COLUMNS };
}

/** Reference schemas by table (the Defender XDR and Log Analytics tables above). */
export const REFERENCE_SCHEMAS: Record<string, Cols> = Object.fromEntries([
  ...Object.entries(XDR).map(([t, s]) => [t, withStandard(s)] as const),
  ...Object.entries(LOG_ANALYTICS).map(([t, s]) => [t, withStandard(s)] as const),
]);

/** Where a reference schema came from. */
export function referenceSchemaSource(table: string): string | undefined {
  if (Object.prototype.hasOwnProperty.call(XDR, table))
    return `https://learn.microsoft.com/defender-xdr/advanced-hunting-${table.toLowerCase()}-table`;
  if (Object.prototype.hasOwnProperty.call(LOG_ANALYTICS, table))
    return `https://learn.microsoft.com/azure/azure-monitor/reference/tables/${table.toLowerCase()}`;
  return undefined;
}
