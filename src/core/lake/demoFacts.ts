// The demo tenant's stories as data: fixed identities, URLs, IPs and times that the generator plants
// and that tests, the sample workspace and the documentation refer to. Story facts do not depend on
// the seed (only the background noise does), so they hold for every generated lake.

export const DEMO_DEFAULT_NOW = '2026-11-20T12:00:00Z';
export const DEMO_LAKE_NAME = 'Contoso demo lake';
export const DEMO_WORKSPACE_ID = '8f3c2a61-5d4e-4b7a-9c1f-2e6d0b9a4c31';
export const DEMO_TENANT_ID = '5b1e7c0d-3a94-4f62-8d2e-91c4a7f0b6e8';
export const DEMO_DOMAIN = 'contoso.com';
/** Bumped whenever the generated data changes shape, so cached demo lakes are regenerated. */
export const DEMO_GENERATOR_VERSION = 1;

export const DEMO_USERS = {
  /** Password spray → success from Russia (single factor, high risk) → inbox rule forwarding externally. */
  compromised: 'megan.bowen@contoso.com',
  /** One medium-risk sign-in while travelling in Canada; MFA satisfied, risk remediated. No alerts. */
  benignRisky: 'alex.wilber@contoso.com',
  /** Routine sign-ins from the US and a single failed password; nothing else. */
  clean: 'lynne.robbins@contoso.com',
  /** On-premises-only account: in IdentityInfo without an Entra object id (the analyzer refuses it). */
  onPremOnly: 'ben.walters@contoso.com',
} as const;

/** Entra object ids of the story users (stable across seeds). */
export const DEMO_OBJECT_IDS = {
  'megan.bowen@contoso.com': 'a6b2c7d1-4e8f-4c3a-9b51-0d7e2f8a6c14',
  'alex.wilber@contoso.com': 'c3e9a4f2-7b1d-4a65-8e20-5f9b1c3d7e82',
  'lynne.robbins@contoso.com': 'e7d15b38-2c6a-4f9e-a143-8b2d6e0f9a57',
} as const;

export const DEMO_URLS = {
  phishing: 'https://secure-login.micros0ft-auth.com/common/oauth2/authorize',
  phishingDomain: 'secure-login.micros0ft-auth.com',
  phishingSender: 'account-security@micros0ft-auth.com',
  phishingSiteIp: '203.0.113.77',
  benign: 'https://contoso.sharepoint.com/sites/Benefits',
  benignDomain: 'contoso.sharepoint.com',
  lookalikeDomain: 'c0ntoso.com',
  lookalike: 'https://c0ntoso.com/payroll/update',
  lookalikeSender: 'payroll@c0ntoso.com',
  /** `cоntoso.com` with a Cyrillic "о". */
  punycodeDomain: 'xn--cntoso-wqf.com',
  punycode: 'https://xn--cntoso-wqf.com/it/password-reset',
  punycodeSender: 'it-helpdesk@xn--cntoso-wqf.com',
} as const;

/** Where the compromise comes from. */
export const DEMO_SPRAY = {
  /** The spray IPs with their countries; the compromising success comes from `successIp`. */
  ips: [
    { ip: '192.0.2.41', country: 'NL', city: 'Amsterdam', asn: 9009 },
    { ip: '192.0.2.66', country: 'RU', city: 'Moscow', asn: 49505 },
    { ip: '192.0.2.87', country: 'RU', city: 'Saint Petersburg', asn: 49505 },
    { ip: '192.0.2.113', country: 'VN', city: 'Hanoi', asn: 131414 },
  ],
  successIp: '192.0.2.66',
  successCountry: 'RU',
  /** The spray starts this long before `now`. */
  startHoursBeforeNow: 58,
  /** Failed attempts (50126) against the compromised user, every 75 s, rotating over the spray IPs. */
  targetFailures: 24,
  /** Other users hit with 1–2 attempts each (fewer when the tenant is smaller). */
  otherTargets: 20,
  /** Minutes after the spray start of the story's events. */
  minutes: {
    firstSuccess: 47,
    secondSuccess: 52,
    inboxRule: 68,
    mfaRegistration: 80,
  },
  forwardTo: 'm.bowen.archive@proton-relay.net',
  inboxRuleName: '.',
} as const;

export const DEMO_TRAVEL = {
  /** The benign risky sign-in: this long before now, from Toronto, medium risk, MFA satisfied. */
  riskySignInHoursBeforeNow: 38,
  ip: '203.0.113.140',
  country: 'CA',
  city: 'Toronto',
} as const;

export const DEMO_PHISHING = {
  /** The phishing email arrives this long before now. */
  deliveredHoursBeforeNow: 66,
  recipients: [
    'megan.bowen@contoso.com',
    'adele.vance@contoso.com',
    'diego.siciliani@contoso.com',
    'isaiah.langer@contoso.com',
    'patti.fernandez@contoso.com',
    'grady.archie@contoso.com',
    'miriam.graham@contoso.com',
    'nestor.wilke@contoso.com',
  ],
  /** ClickAllowed, IsClickedThrough true. */
  clickedThrough: ['megan.bowen@contoso.com', 'adele.vance@contoso.com', 'diego.siciliani@contoso.com'],
  /** ClickBlocked, IsClickedThrough false. */
  blocked: ['isaiah.langer@contoso.com', 'patti.fernandez@contoso.com'],
  /** Junked at delivery (ThreatTypes Phish); everyone else's copy was delivered to the inbox. */
  junked: ['nestor.wilke@contoso.com'],
  /** Devices whose DeviceNetworkEvents show a connection to the phishing URL. */
  devices: ['megan-bowen-lt.contoso.com', 'adele-vance-lt.contoso.com'],
} as const;

export const DEMO_LOOKALIKE = {
  deliveredHoursBeforeNow: 104,
  recipients: [
    'lidia.holloway@contoso.com',
    'lee.gu@contoso.com',
    'grady.archie@contoso.com',
    'henrietta.mueller@contoso.com',
  ],
  clicked: ['lidia.holloway@contoso.com', 'lee.gu@contoso.com'],
  punycodeRecipients: ['johanna.lorenz@contoso.com', 'joni.sherman@contoso.com'],
} as const;

/** Analytics rule ids used by the sample rules in `sample/rules/` and by the incidents that reference them. */
export const DEMO_RULE_IDS = {
  multipleFailedSignins: '0b5d1e39-6c2a-4b87-9f14-3e8a7d2c5b61',
  inboxForwarding: '7e4c2a18-9d3b-4f56-8a01-6b2e5c9d3f74',
  maliciousUrlClick: '3f9a6b24-1e7c-4d58-b2a9-8c4e0d6f1a35',
  lookalikeDomain: 'd82c4f17-5a3e-4b69-9c0d-2f7e1a8b4c96',
  massDownload: '5a1f8c3e-2b7d-4e94-a6c0-9d3b7e2f1c48',
  /** The Microsoft incident creation rule that turns every Defender XDR alert into an incident too. */
  xdrIncidentCreation: '9c7e3b51-4d2a-4f18-8e6b-1a5c9f0d2e73',
} as const;
