// The labelled scenario suite for the local Entity Analyzer: attacks and the benign look-alikes an analyst
// must not flag, for users and URLs. Each accepts the verdicts a careful analyst would accept.
import { COLLEAGUES, EventSpec, OFFICE_IP, POPULAR_URL, Scenario } from './scenario';

const C = 'Compromised' as const;
const S = 'Suspicious activity found' as const;
const N = 'No evidence of compromise' as const;
const M = 'Malicious' as const;
const US = 'Suspicious' as const;
const UN = 'No evidence of malicious activity' as const;

/** The subject's home IP (the builder gives the one listed person the address after the colleagues'). */
const SUBJECT_HOME = '198.51.100.52';
const ATTACKER = '203.0.113.66';
const ATTACKER2 = '203.0.113.91';
const user = (id: string) => ({ type: 'User' as const, id: `${id}@fabrikam.example` });
const url = (id: string) => ({ type: 'Url' as const, id });

/** A day-by-day routine sign-in of every colleague from one IP (a shared VPN egress, say). */
function everyoneDaily(ip: string, country: string, days: number): EventSpec[] {
  return COLLEAGUES.map((c) => ({ kind: 'signin', user: c, h: days * 24 - 3, ip, country, count: days, everyMin: 1440 } as EventSpec));
}

const LURE = 'https://mfa-verify-portal.example.net/session/continue';

export const SCENARIOS: Scenario[] = [
  // ------------------------------------------------------------------------------------------ users: attacks
  {
    id: 'user-aitm',
    story: 'Clicks a phishing link, 15 minutes later an MFA-satisfied sign-in from Nigeria, the attacker registers a new MFA method from that IP, then a hiding inbox rule.',
    entity: user('mia'),
    accept: [C],
    people: [{ name: 'mia' }],
    events: [
      { kind: 'ti', type: 'url', value: LURE, confidence: 85 },
      { kind: 'email', h: 30, to: ['mia'], sender: 'it-notice@mfa-verify-portal.example.net', subject: 'Re-verify your sign-in', urls: [LURE] },
      { kind: 'click', user: 'mia', h: 29.9, url: LURE },
      { kind: 'signin', user: 'mia', h: 29.65, ip: ATTACKER, country: 'NG', mfa: true, unmanaged: true },
      { kind: 'audit', h: 29.5, op: 'User registered security info', by: 'mia', ip: ATTACKER, target: 'mia', details: [{ key: 'Method', value: 'Authenticator App' }] },
      { kind: 'cloud', user: 'mia', h: 29.4, action: 'New-InboxRule', ip: ATTACKER, country: 'NG', params: [{ Name: 'Name', Value: '..' }, { Name: 'MoveToFolder', Value: 'RSS Feeds' }, { Name: 'MarkAsRead', Value: 'True' }] },
    ],
  },
  {
    id: 'user-aitm-no-ti',
    story: 'Clicks a link Safe Links later marks as phish, signs in from Brazil 10 minutes later with MFA satisfied by the proxy, attacker adds a phone method.',
    entity: user('noah'),
    accept: [C],
    people: [{ name: 'noah' }],
    events: [
      { kind: 'click', user: 'noah', h: 50, url: 'https://login-fabrikam-sso.example.org/oauth2/v2.0/authorize', threats: 'Phish', through: true },
      { kind: 'signin', user: 'noah', h: 49.8, ip: ATTACKER2, country: 'BR', mfa: true, unmanaged: true },
      { kind: 'signin', user: 'noah', h: 49.7, ip: ATTACKER2, country: 'BR', interactive: false, count: 5, everyMin: 20 },
      { kind: 'audit', h: 49.5, op: 'User registered security info', by: 'noah', ip: ATTACKER2, target: 'noah', details: [{ key: 'Method', value: 'Phone' }] },
    ],
  },
  {
    id: 'user-consent-phishing',
    story: 'Clicks a lure, then consents to an unknown app asking for Mail.ReadWrite, Files.ReadWrite.All and offline_access.',
    entity: user('olga'),
    accept: [C],
    people: [{ name: 'olga' }],
    events: [
      { kind: 'email', h: 20, to: ['olga'], sender: 'share@docs-review.example.com', subject: 'Document shared with you', urls: ['https://docs-review.example.com/open'] },
      { kind: 'click', user: 'olga', h: 19.8, url: 'https://docs-review.example.com/open' },
      { kind: 'audit', h: 19.7, op: 'Consent to application', category: 'ApplicationManagement', by: 'olga', ip: SUBJECT_HOME, target: 'DocReview Pro', targetType: 'ServicePrincipal',
        modified: [{ displayName: 'ConsentAction.Permissions', newValue: 'Scope: Mail.ReadWrite Files.ReadWrite.All offline_access User.Read' }] },
      { kind: 'cloud', user: 'olga', h: 19.7, action: 'Consent to application.', ip: SUBJECT_HOME, country: 'US', raw: { Target: [{ ID: 'DocReview Pro' }], ModifiedProperties: [{ Name: 'ConsentAction.Permissions', NewValue: 'Scope: Mail.ReadWrite Files.ReadWrite.All offline_access User.Read' }] } },
    ],
  },
  {
    id: 'user-consent-no-lure',
    story: 'Consents to a never-seen app with Mail.Read and offline_access, no click before it.',
    entity: user('pete'),
    accept: [S, C],
    people: [{ name: 'pete' }],
    events: [
      { kind: 'audit', h: 40, op: 'Consent to application', category: 'ApplicationManagement', by: 'pete', ip: OFFICE_IP, target: 'Mail Organizer X', targetType: 'ServicePrincipal',
        modified: [{ displayName: 'ConsentAction.Permissions', newValue: 'Scope: Mail.Read offline_access' }] },
    ],
  },
  {
    id: 'user-dormant-wakes-abroad',
    story: 'An account idle for the whole baseline signs in from Romania with a password only and downloads 120 files.',
    entity: user('quinn'),
    accept: [C],
    people: [{ name: 'quinn', dormant: true }],
    events: [
      { kind: 'signin', user: 'quinn', h: 12, ip: ATTACKER, country: 'RO', mfa: false, unmanaged: true },
      { kind: 'cloud', user: 'quinn', h: 11.8, action: 'FileDownloaded', ip: ATTACKER, country: 'RO', count: 120, everyMin: 0.3 },
    ],
  },
  {
    id: 'user-dormant-wakes-no-mfa',
    story: 'A dormant account signs in from China with a password only, nothing else.',
    entity: user('rosa'),
    accept: [S, C],
    people: [{ name: 'rosa', dormant: true }],
    events: [{ kind: 'signin', user: 'rosa', h: 30, ip: ATTACKER2, country: 'CN', mfa: false, unmanaged: true }],
  },
  {
    id: 'user-token-replay',
    story: 'Non-interactive sign-ins from a Chinese IP that never appears in the user\'s interactive sign-ins, and mail read from that IP.',
    entity: user('sam'),
    accept: [C],
    people: [{ name: 'sam' }],
    events: [
      { kind: 'signin', user: 'sam', h: 20, ip: ATTACKER2, country: 'CN', interactive: false, count: 12, everyMin: 15, unmanaged: true },
      { kind: 'cloud', user: 'sam', h: 19.5, action: 'MailItemsAccessed', ip: ATTACKER2, country: 'CN', count: 40, everyMin: 2 },
    ],
  },
  {
    id: 'user-token-replay-quiet',
    story: 'A few non-interactive sign-ins from a foreign IP never used interactively, no other activity from it.',
    entity: user('tara'),
    accept: [S, C],
    people: [{ name: 'tara' }],
    events: [{ kind: 'signin', user: 'tara', h: 30, ip: ATTACKER, country: 'NG', interactive: false, count: 4, everyMin: 30, unmanaged: true }],
  },
  {
    id: 'user-ti-ip-success',
    story: 'A successful password-only sign-in from an IP that threat intelligence lists with high confidence.',
    entity: user('uma'),
    accept: [C],
    people: [{ name: 'uma' }],
    events: [
      { kind: 'ti', type: 'ipv4', value: ATTACKER, confidence: 90, tags: ['AiTM infrastructure'] },
      { kind: 'signin', user: 'uma', h: 25, ip: ATTACKER, country: 'RO', mfa: false, unmanaged: true },
      { kind: 'cloud', user: 'uma', h: 24.9, action: 'MailItemsAccessed', ip: ATTACKER, country: 'RO', count: 5 },
    ],
  },
  {
    id: 'user-ti-ip-noninteractive',
    story: 'Token refreshes (non-interactive only) from a TI-listed IP in another country.',
    entity: user('vic'),
    accept: [S, C],
    people: [{ name: 'vic' }],
    events: [
      { kind: 'ti', type: 'ipv4', value: ATTACKER2, confidence: 80, tags: ['Botnet'] },
      { kind: 'signin', user: 'vic', h: 22, ip: ATTACKER2, country: 'BR', interactive: false, count: 3, everyMin: 40, unmanaged: true },
    ],
  },
  {
    id: 'user-password-changed-by-other',
    story: 'A new-country sign-in, then someone else\'s account changes the user\'s password from that IP.',
    entity: user('will'),
    accept: [C, S],
    people: [{ name: 'will' }],
    events: [
      { kind: 'signin', user: 'will', h: 40, ip: ATTACKER, country: 'RO', mfa: true, unmanaged: true },
      { kind: 'audit', h: 39.8, op: 'Reset user password', by: 'ava', ip: ATTACKER, target: 'will' },
      { kind: 'audit', h: 39.7, op: 'Change user password', by: 'ava', ip: ATTACKER, target: 'will' },
    ],
  },
  {
    id: 'user-mailbox-forwarding',
    story: 'A sign-in from Nigeria with a password only, then Set-Mailbox -ForwardingSmtpAddress to an outside address.',
    entity: user('xena'),
    accept: [C],
    people: [{ name: 'xena' }],
    events: [
      { kind: 'signin', user: 'xena', h: 60, ip: ATTACKER, country: 'NG', mfa: false, unmanaged: true },
      { kind: 'cloud', user: 'xena', h: 59.8, action: 'Set-Mailbox', ip: ATTACKER, country: 'NG', params: [{ Name: 'Identity', Value: 'xena' }, { Name: 'ForwardingSmtpAddress', Value: 'smtp:xena.backup@mailbox-drop.example.net' }, { Name: 'DeliverToMailboxAndForward', Value: 'False' }] },
    ],
  },
  {
    id: 'user-mailbox-forwarding-only',
    story: 'Mailbox-level forwarding to an outside address from the user\'s usual IP, nothing else.',
    entity: user('yuri'),
    accept: [S],
    people: [{ name: 'yuri' }],
    events: [
      { kind: 'cloud', user: 'yuri', h: 60, action: 'Set-Mailbox', ip: OFFICE_IP, country: 'US', params: [{ Name: 'Identity', Value: 'yuri' }, { Name: 'ForwardingSmtpAddress', Value: 'smtp:yuri.home@freemail.example.com' }] },
    ],
  },
  {
    id: 'user-device-registered-after-new-country',
    story: 'An MFA sign-in from Japan on an unmanaged device, then a new device registered and an MFA method added from that IP.',
    entity: user('zoe'),
    accept: [C, S],
    people: [{ name: 'zoe' }],
    events: [
      { kind: 'signin', user: 'zoe', h: 70, ip: ATTACKER2, country: 'JP', mfa: true, unmanaged: true },
      { kind: 'audit', h: 69.9, op: 'Register device', category: 'Device', by: 'zoe', ip: ATTACKER2, target: 'DESKTOP-Q8X1', targetType: 'Device' },
      { kind: 'audit', h: 69.8, op: 'User registered security info', by: 'zoe', ip: ATTACKER2, target: 'zoe', details: [{ key: 'Method', value: 'Authenticator App' }] },
    ],
  },
  {
    id: 'user-spray-success',
    story: 'A spray from two foreign IPs against every colleague, then a password-only success for the user from one of them and a forwarding rule.',
    entity: user('abe'),
    accept: [C],
    people: [{ name: 'abe' }],
    events: [
      ...COLLEAGUES.map((c, i) => ({ kind: 'signin', user: c, h: 48 - i * 0.01, ip: i % 2 ? ATTACKER : ATTACKER2, country: 'RO', result: '50126', mfa: false, unmanaged: true } as EventSpec)),
      { kind: 'signin', user: 'abe', h: 48, ip: ATTACKER, country: 'RO', result: '50126', mfa: false, unmanaged: true, count: 8, everyMin: 2 },
      { kind: 'signin', user: 'abe', h: 47.5, ip: ATTACKER, country: 'RO', mfa: false, unmanaged: true },
      { kind: 'cloud', user: 'abe', h: 47.3, action: 'New-InboxRule', ip: ATTACKER, country: 'RO', params: [{ Name: 'Name', Value: 'x' }, { Name: 'ForwardTo', Value: 'drop@mailbox-drop.example.net' }] },
    ],
  },
  {
    id: 'user-bulk-after-anomalous',
    story: 'A risky MFA sign-in from Romania, then 300 mail items and 80 files read from that IP.',
    entity: user('bea'),
    accept: [C, S],
    people: [{ name: 'bea' }],
    events: [
      { kind: 'signin', user: 'bea', h: 10, ip: ATTACKER, country: 'RO', mfa: true, risk: 'medium', riskState: 'atRisk', unmanaged: true },
      { kind: 'cloud', user: 'bea', h: 9.9, action: 'MailItemsAccessed', ip: ATTACKER, country: 'RO', count: 300, everyMin: 0.2 },
      { kind: 'cloud', user: 'bea', h: 8.9, action: 'FileAccessed', ip: ATTACKER, country: 'RO', count: 80, everyMin: 0.2 },
    ],
  },
  {
    id: 'user-impossible-travel-single-factor',
    story: 'A password-only success from China an hour after an office sign-in in the US, then an inbox rule that deletes mail.',
    entity: user('cal'),
    accept: [C],
    people: [{ name: 'cal' }],
    events: [
      { kind: 'signin', user: 'cal', h: 33, ip: OFFICE_IP, country: 'US' },
      { kind: 'signin', user: 'cal', h: 32, ip: ATTACKER2, country: 'CN', mfa: false, unmanaged: true },
      { kind: 'cloud', user: 'cal', h: 31.8, action: 'New-InboxRule', ip: ATTACKER2, country: 'CN', params: [{ Name: 'Name', Value: 'z' }, { Name: 'DeleteMessage', Value: 'True' }] },
    ],
  },
  {
    id: 'user-clicked-malicious-only',
    story: 'Clicked through a known phishing URL; no sign-in from anywhere new afterwards.',
    entity: user('dora'),
    accept: [S, N],
    people: [{ name: 'dora' }],
    events: [
      { kind: 'ti', type: 'url', value: 'https://payroll-update.example.net/confirm', confidence: 90 },
      { kind: 'click', user: 'dora', h: 40, url: 'https://payroll-update.example.net/confirm' },
    ],
  },
  {
    id: 'user-high-alert-and-new-country',
    story: 'A high-severity alert names the user and a password-only sign-in from Nigeria follows.',
    entity: user('eli'),
    accept: [C],
    people: [{ name: 'eli' }],
    events: [
      { kind: 'alert', h: 20, user: 'eli', title: 'Suspicious sign-in after phishing click', severity: 'High' },
      { kind: 'signin', user: 'eli', h: 21, ip: ATTACKER, country: 'NG', mfa: false, unmanaged: true },
    ],
  },
  {
    id: 'user-privileged-ti-failures',
    story: 'A global admin receives failed password attempts from a TI-listed IP; nothing succeeds.',
    entity: user('finn'),
    accept: [N, S],
    people: [{ name: 'finn', roles: ['Global Administrator'] }],
    events: [
      { kind: 'ti', type: 'ipv4', value: ATTACKER, confidence: 70, tags: ['Brute force'] },
      { kind: 'signin', user: 'finn', h: 30, ip: ATTACKER, country: 'RO', result: '50126', mfa: false, unmanaged: true, count: 3, everyMin: 5 },
    ],
  },

  // ------------------------------------------------------------------------------------------ users: benign look-alikes
  {
    id: 'user-typos-then-sspr',
    story: 'Seven mistyped passwords from the office, then a self-service password reset from the same IP and a normal MFA sign-in.',
    entity: user('gia'),
    accept: [N],
    people: [{ name: 'gia' }],
    events: [
      { kind: 'signin', user: 'gia', h: 26, ip: OFFICE_IP, country: 'US', result: '50126', mfa: false, count: 7, everyMin: 1 },
      { kind: 'audit', h: 25.85, op: 'Reset password (self-service)', category: 'UserManagement', by: 'gia', ip: OFFICE_IP, target: 'gia', details: [{ key: 'MethodsUsed', value: 'Mobile app notification' }] },
      { kind: 'signin', user: 'gia', h: 25.8, ip: OFFICE_IP, country: 'US' },
    ],
  },
  {
    id: 'user-failures-then-mfa-usual-ip',
    story: 'Six failed attempts from home on the usual laptop, then an MFA sign-in from the same IP.',
    entity: user('hal'),
    accept: [N],
    people: [{ name: 'hal' }],
    events: [
      { kind: 'signin', user: 'hal', h: 50, ip: SUBJECT_HOME, country: 'US', result: '50126', mfa: false, count: 6, everyMin: 1 },
      { kind: 'signin', user: 'hal', h: 49.85, ip: SUBJECT_HOME, country: 'US', mfa: true },
    ],
  },
  {
    id: 'user-corporate-vpn-egress',
    story: 'First sign-in through the corporate VPN egress in Ireland that every colleague uses daily, an hour after a home sign-in.',
    entity: user('ian'),
    accept: [N],
    people: [{ name: 'ian' }],
    events: [
      ...everyoneDaily('203.0.113.200', 'IE', 20),
      { kind: 'signin', user: 'ian', h: 31, ip: OFFICE_IP, country: 'US' },
      { kind: 'signin', user: 'ian', h: 30, ip: '203.0.113.200', country: 'IE', mfa: false },
    ],
  },
  {
    id: 'user-disabled-refused',
    story: 'A disabled leaver account receives 30 attempts from abroad; every one is refused (account disabled).',
    entity: user('jon'),
    accept: [N, S],
    people: [{ name: 'jon', enabled: false }],
    events: [{ kind: 'signin', user: 'jon', h: 15, ip: ATTACKER, country: 'RO', result: '50057', mfa: false, unmanaged: true, count: 30, everyMin: 1 }],
  },
  {
    id: 'user-new-mfa-usual-ip',
    story: 'The user registers a new authenticator app from the office after a normal sign-in (new phone).',
    entity: user('kim'),
    accept: [N],
    people: [{ name: 'kim' }],
    events: [
      { kind: 'signin', user: 'kim', h: 44, ip: OFFICE_IP, country: 'US' },
      { kind: 'audit', h: 43.9, op: 'User registered security info', by: 'kim', ip: OFFICE_IP, target: 'kim', details: [{ key: 'Method', value: 'Authenticator App' }] },
    ],
  },
  {
    id: 'user-helpdesk-reset',
    story: 'The helpdesk admin resets the user\'s password from the office egress; the user then signs in normally.',
    entity: user('lia'),
    accept: [N],
    people: [{ name: 'lia' }],
    events: [
      { kind: 'audit', h: 28, op: 'Reset user password', by: 'ava', ip: OFFICE_IP, target: 'lia' },
      { kind: 'signin', user: 'lia', h: 27.5, ip: OFFICE_IP, country: 'US' },
    ],
  },
  {
    id: 'user-new-laptop',
    story: 'A new laptop is registered from the user\'s home IP.',
    entity: user('max'),
    accept: [N],
    people: [{ name: 'max' }],
    events: [{ kind: 'audit', h: 52, op: 'Register device', category: 'Device', by: 'max', ip: SUBJECT_HOME, target: 'LAPTOP-MAX2', targetType: 'Device' }],
  },
  {
    id: 'user-travel-with-mfa',
    story: 'A business trip to France: MFA sign-ins on the managed laptop for two days.',
    entity: user('nia'),
    accept: [N],
    people: [{ name: 'nia' }],
    events: [
      { kind: 'signin', user: 'nia', h: 80, ip: '203.0.113.140', country: 'FR', mfa: true, count: 6, everyMin: 300 },
    ],
  },
  {
    id: 'user-bulk-usual-ip',
    story: 'Downloads 90 files from the office before an audit — the user\'s usual IP, no anomalous sign-in.',
    entity: user('oli'),
    accept: [N],
    people: [{ name: 'oli' }],
    events: [{ kind: 'cloud', user: 'oli', h: 55, action: 'FileDownloaded', ip: OFFICE_IP, country: 'US', count: 90, everyMin: 0.3 }],
  },
  {
    id: 'user-benign-consent',
    story: 'Consents to an app the tenant already uses, asking for User.Read only.',
    entity: user('pia'),
    accept: [N],
    people: [{ name: 'pia' }],
    events: [
      { kind: 'audit', h: 200, op: 'Consent to application', category: 'ApplicationManagement', by: 'ava', ip: OFFICE_IP, target: 'Calendar Sync', targetType: 'ServicePrincipal', modified: [{ displayName: 'ConsentAction.Permissions', newValue: 'Scope: User.Read' }] },
      { kind: 'audit', h: 30, op: 'Consent to application', category: 'ApplicationManagement', by: 'pia', ip: OFFICE_IP, target: 'Calendar Sync', targetType: 'ServicePrincipal', modified: [{ displayName: 'ConsentAction.Permissions', newValue: 'Scope: User.Read' }] },
    ],
  },
  {
    id: 'user-filing-rule',
    story: 'Creates an inbox rule moving newsletters into a folder.',
    entity: user('ray'),
    accept: [N],
    people: [{ name: 'ray' }],
    events: [{ kind: 'cloud', user: 'ray', h: 60, action: 'New-InboxRule', ip: OFFICE_IP, country: 'US', params: [{ Name: 'Name', Value: 'Newsletters' }, { Name: 'MoveToFolder', Value: 'Newsletters' }] }],
  },
  {
    id: 'user-clean',
    story: 'Ordinary work from the office and home.',
    entity: user('sia'),
    accept: [N],
    people: [{ name: 'sia' }],
    events: [],
  },
  {
    id: 'user-internal-forwarding',
    story: 'Mailbox forwarding to the assistant inside the tenant while on leave.',
    entity: user('ted'),
    accept: [N],
    people: [{ name: 'ted' }],
    events: [{ kind: 'cloud', user: 'ted', h: 70, action: 'Set-Mailbox', ip: OFFICE_IP, country: 'US', params: [{ Name: 'Identity', Value: 'ted' }, { Name: 'ForwardingSmtpAddress', Value: 'smtp:ava@fabrikam.example' }] }],
  },
  {
    id: 'user-expired-ti-ip',
    story: 'Signs in from home; that IP was a TI indicator months ago and is now inactive.',
    entity: user('una'),
    accept: [N],
    people: [{ name: 'una' }],
    events: [{ kind: 'ti', type: 'ipv4', value: SUBJECT_HOME, confidence: 60, active: false, fromDays: 90, untilDays: -60 }],
  },
  {
    id: 'user-dormant-returns-home',
    story: 'Back from parental leave: a dormant account signs in from the US office with MFA.',
    entity: user('val'),
    accept: [N, S],
    people: [{ name: 'val', dormant: true }],
    events: [{ kind: 'signin', user: 'val', h: 20, ip: OFFICE_IP, country: 'US', mfa: true, count: 3, everyMin: 120 }],
  },
  {
    id: 'user-clicked-popular',
    story: 'Clicks the intranet news page many colleagues read.',
    entity: user('wes'),
    accept: [N],
    people: [{ name: 'wes' }],
    events: [{ kind: 'click', user: 'wes', h: 10, url: POPULAR_URL }],
  },
  {
    id: 'user-blocked-click-only',
    story: 'A phishing click Safe Links blocked; the user did not click through.',
    entity: user('xia'),
    accept: [N, S],
    people: [{ name: 'xia' }],
    events: [{ kind: 'click', user: 'xia', h: 15, url: 'https://parcel-redelivery.example.org/track', action: 'ClickBlocked', through: false, threats: 'Phish' }],
  },

  // ------------------------------------------------------------------------------------------ URLs: malicious and suspicious
  {
    id: 'url-fresh-idn',
    story: 'A fresh IDN domain (not imitating any brand) mailed to three people.',
    entity: url('https://xn--80aqafcrtq.example/login'),
    accept: [US, M],
    events: [{ kind: 'email', h: 20, to: ['ava', 'ben', 'carla'], sender: 'noreply@xn--80aqafcrtq.example', subject: 'Account check', urls: ['https://xn--80aqafcrtq.example/login'] }],
  },
  {
    id: 'url-cred-harvest-path',
    story: 'A login.php?user= link on a fresh domain, mailed to two people and clicked once.',
    entity: url('https://secure-docs-portal.example.top/auth/login.php?user=ava@fabrikam.example'),
    accept: [US, M],
    events: [
      { kind: 'email', h: 15, to: ['ava', 'dev'], sender: 'scan@secure-docs-portal.example.top', subject: 'Scanned document', urls: ['https://secure-docs-portal.example.top/auth/login.php?user=ava@fabrikam.example'] },
      { kind: 'click', user: 'ava', h: 14.5, url: 'https://secure-docs-portal.example.top/auth/login.php?user=ava@fabrikam.example' },
    ],
  },
  {
    id: 'url-oauth-path-fresh',
    story: 'An /oauth2/authorize page on a fresh, unknown domain arriving in mail.',
    entity: url('https://signin-review.example.xyz/common/oauth2/authorize?client_id=1'),
    accept: [US, M],
    events: [{ kind: 'email', h: 40, to: ['emma'], sender: 'admin@signin-review.example.xyz', subject: 'Review sign-in', urls: ['https://signin-review.example.xyz/common/oauth2/authorize?client_id=1'] }],
  },
  {
    id: 'url-phish-junked',
    story: 'Mail flagged Phish by Defender for Office 365 and sent to junk; not in TI.',
    entity: url('https://invoice-center.example.info/view'),
    accept: [US, M],
    events: [{ kind: 'email', h: 30, to: ['femi', 'gus'], sender: 'billing@invoice-center.example.info', subject: 'Overdue invoice', urls: ['https://invoice-center.example.info/view'], threats: 'Phish', action: 'Junked', location: 'Junk folder' }],
  },
  {
    id: 'url-compromised-partner',
    story: 'A partner site on the allow-list whose exact URL is now an active TI indicator.',
    entity: url('https://portal.partner-logistics.example/shipments/update'),
    accept: [US, M],
    events: [
      { kind: 'watchlist', alias: 'ApprovedPartners', key: 'portal.partner-logistics.example' },
      { kind: 'ti', type: 'url', value: 'https://portal.partner-logistics.example/shipments/update', confidence: 75 },
      { kind: 'email', h: 25, to: ['hana'], sender: 'ops@partner-logistics.example', subject: 'Shipment update', urls: ['https://portal.partner-logistics.example/shipments/update'] },
    ],
  },
  {
    id: 'url-ti-clicked',
    story: 'An active URL indicator, mailed and clicked through by two people.',
    entity: url('https://wallet-verify.example.net/step1'),
    accept: [M],
    events: [
      { kind: 'ti', type: 'url', value: 'https://wallet-verify.example.net/step1', confidence: 80 },
      { kind: 'email', h: 45, to: ['ivan', 'jade'], sender: 'security@wallet-verify.example.net', subject: 'Verify now', urls: ['https://wallet-verify.example.net/step1'] },
      { kind: 'click', user: 'ivan', h: 44.8, url: 'https://wallet-verify.example.net/step1' },
      { kind: 'click', user: 'jade', h: 44.5, url: 'https://wallet-verify.example.net/step1' },
    ],
  },
  {
    id: 'url-domain-ti-flagged-mail',
    story: 'An active domain indicator and mail flagged Malware.',
    entity: url('https://files.cdn-drop.example.click/a.zip'),
    accept: [M],
    events: [
      { kind: 'ti', type: 'domain', value: 'files.cdn-drop.example.click', confidence: 85, tags: ['Malware'] },
      { kind: 'email', h: 50, to: ['kai'], sender: 'hr@cdn-drop.example.click', subject: 'Salary review', urls: ['https://files.cdn-drop.example.click/a.zip'], threats: 'Malware', action: 'Blocked', location: 'Quarantine' },
    ],
  },
  {
    id: 'url-safelinks-phish-through',
    story: 'Safe Links flags the URL as phish; one person clicks through the warning; the mail was flagged phish.',
    entity: url('https://office-docs-share.example.site/view'),
    accept: [M, US],
    events: [
      { kind: 'email', h: 60, to: ['lena', 'ava'], sender: 'share@office-docs-share.example.site', subject: 'Shared file', urls: ['https://office-docs-share.example.site/view'], threats: 'Phish' },
      { kind: 'click', user: 'lena', h: 59.5, url: 'https://office-docs-share.example.site/view', action: 'ClickBlocked', threats: 'Phish', through: true },
    ],
  },
  {
    id: 'url-blocklist-phish-mail',
    story: 'On the team\'s block list and delivered in phish-flagged mail.',
    entity: url('https://hr-benefits-update.example.net/form'),
    accept: [M, US],
    events: [
      { kind: 'watchlist', alias: 'BlockedDomains', key: 'hr-benefits-update.example.net' },
      { kind: 'email', h: 22, to: ['ben'], sender: 'hr@hr-benefits-update.example.net', subject: 'Benefits', urls: ['https://hr-benefits-update.example.net/form'], threats: 'Phish' },
    ],
  },
  {
    id: 'url-brand-typosquat',
    story: 'A typosquat of a well-known brand with a login path, first seen this week.',
    entity: url('https://www.paypa1-secure.com/signin'),
    accept: [US, M],
    events: [{ kind: 'email', h: 33, to: ['carla'], sender: 'service@paypa1-secure.com', subject: 'Limited account', urls: ['https://www.paypa1-secure.com/signin'] }],
  },

  // ------------------------------------------------------------------------------------------ URLs: benign look-alikes
  {
    id: 'url-tenant-policy-block',
    story: 'A popular video site the tenant blocks by policy: ClickBlockedByTenantPolicy for many people over weeks.',
    entity: url('https://video.streaming.example/watch'),
    accept: [UN],
    events: COLLEAGUES.flatMap((c, i) => [
      { kind: 'click', user: c, h: 400 + i * 3, url: 'https://video.streaming.example/watch', action: 'ClickBlockedByTenantPolicy', through: false } as EventSpec,
      { kind: 'click', user: c, h: 20 + i, url: 'https://video.streaming.example/watch', action: 'ClickBlockedByTenantPolicy', through: false } as EventSpec,
    ]),
  },
  {
    id: 'url-expired-indicator',
    story: 'A widely used supplier site that was an indicator months ago; the indicator expired and is inactive.',
    entity: url('https://orders.supplier-north.example/portal'),
    accept: [UN],
    events: [
      { kind: 'ti', type: 'domain', value: 'orders.supplier-north.example', confidence: 50, active: false, fromDays: 120, untilDays: -90, tags: ['Compromised site'] },
      ...COLLEAGUES.flatMap((c, i) => [
        { kind: 'click', user: c, h: 500 + i, url: 'https://orders.supplier-north.example/portal' } as EventSpec,
        { kind: 'click', user: c, h: 30 + i, url: 'https://orders.supplier-north.example/portal' } as EventSpec,
      ]),
    ],
  },
  {
    id: 'url-popular-intranet',
    story: 'The intranet news page everyone reads.',
    entity: url(POPULAR_URL),
    accept: [UN],
    events: [],
  },
  {
    id: 'url-established-login',
    story: 'The established HR system\'s login page, used by everyone for weeks.',
    entity: url('https://hr.workday-tenant.example/login'),
    accept: [UN],
    events: COLLEAGUES.flatMap((c, i) => [
      { kind: 'click', user: c, h: 600 + i, url: 'https://hr.workday-tenant.example/login' } as EventSpec,
      { kind: 'click', user: c, h: 50 + i, url: 'https://hr.workday-tenant.example/login' } as EventSpec,
    ]),
  },
  {
    id: 'url-established-idn',
    story: 'A German partner\'s IDN domain (bücher) used by many people for months.',
    entity: url('https://www.xn--bcher-kva.example/katalog'),
    accept: [UN],
    events: COLLEAGUES.flatMap((c, i) => [
      { kind: 'click', user: c, h: 700 + i, url: 'https://www.xn--bcher-kva.example/katalog' } as EventSpec,
      { kind: 'click', user: c, h: 60 + i, url: 'https://www.xn--bcher-kva.example/katalog' } as EventSpec,
    ]),
  },
  {
    id: 'url-never-seen',
    story: 'A URL nobody in the tenant has seen.',
    entity: url('https://unknown-site.example.org/page'),
    accept: [UN],
    events: [],
  },
  {
    id: 'url-allowlisted',
    story: 'An allow-listed partner site, not in TI, mailed and clicked.',
    entity: url('https://portal.partner-logistics.example/shipments'),
    accept: [UN],
    events: [
      { kind: 'watchlist', alias: 'ApprovedPartners', key: 'portal.partner-logistics.example' },
      { kind: 'email', h: 25, to: ['hana'], sender: 'ops@partner-logistics.example', subject: 'Shipments', urls: ['https://portal.partner-logistics.example/shipments'] },
      { kind: 'click', user: 'hana', h: 24, url: 'https://portal.partner-logistics.example/shipments' },
    ],
  },
  {
    id: 'url-spam-newsletter',
    story: 'A marketing newsletter link, junked as spam only.',
    entity: url('https://deals.shop-weekly.example/offers'),
    accept: [UN],
    events: [{ kind: 'email', h: 26, to: ['ivan', 'kai', 'lena'], sender: 'deals@shop-weekly.example', subject: 'Deals', urls: ['https://deals.shop-weekly.example/offers'], threats: 'Spam', action: 'Junked', location: 'Junk folder' }],
  },
  {
    id: 'url-fresh-partner-plain',
    story: 'A new supplier\'s ordinary product page, first mailed this week, nothing flagged.',
    entity: url('https://www.new-supplier.example/products/catalog'),
    accept: [UN],
    events: [
      { kind: 'email', h: 70, to: ['dev'], sender: 'sales@new-supplier.example', subject: 'Our catalog', urls: ['https://www.new-supplier.example/products/catalog'] },
      { kind: 'click', user: 'dev', h: 69, url: 'https://www.new-supplier.example/products/catalog' },
    ],
  },
  // ------------------------------------------------------------------------------------------ second batch
  // Written after the rules above existed and run once as they were: their first result is reported as is.
  {
    id: 'h-user-mfa-fatigue',
    story: 'Fifteen denied MFA prompts from a Romanian IP, then an MFA-approved sign-in from it on an unknown device.',
    entity: user('amir'),
    accept: [C, S],
    people: [{ name: 'amir' }],
    events: [
      { kind: 'signin', user: 'amir', h: 14, ip: ATTACKER, country: 'RO', result: '500121', mfa: true, unmanaged: true, count: 15, everyMin: 2 },
      { kind: 'signin', user: 'amir', h: 13.4, ip: ATTACKER, country: 'RO', mfa: true, unmanaged: true },
    ],
  },
  {
    id: 'h-user-hotel-new-phone',
    story: 'On a trip to Japan the user signs in with MFA on the managed laptop and registers a new phone from the hotel IP.',
    entity: user('bo'),
    accept: [N, S],
    people: [{ name: 'bo' }],
    events: [
      { kind: 'signin', user: 'bo', h: 60, ip: '203.0.113.150', country: 'JP', mfa: true, count: 4, everyMin: 240 },
      { kind: 'audit', h: 59.5, op: 'User registered security info', by: 'bo', ip: '203.0.113.150', target: 'bo', details: [{ key: 'Method', value: 'Phone' }] },
    ],
  },
  {
    id: 'h-user-legacy-imap-bulk',
    story: 'A password-only IMAP sign-in from Nigeria, then 200 mail items read from that IP.',
    entity: user('cy'),
    accept: [C],
    people: [{ name: 'cy' }],
    events: [
      { kind: 'signin', user: 'cy', h: 9, ip: ATTACKER2, country: 'NG', mfa: false, unmanaged: true, app: 'IMAP' },
      { kind: 'cloud', user: 'cy', h: 8.9, action: 'MailItemsAccessed', ip: ATTACKER2, country: 'NG', count: 200, everyMin: 0.2 },
    ],
  },
  {
    id: 'h-user-admin-consent-after-click',
    story: 'A global admin clicks a mailed link and consents two minutes later to a new app asking for Directory.ReadWrite.All and offline_access.',
    entity: user('dina'),
    accept: [C],
    people: [{ name: 'dina', roles: ['Global Administrator'] }],
    events: [
      { kind: 'email', h: 5, to: ['dina'], sender: 'it@tenant-audit.example.org', subject: 'Tenant audit app', urls: ['https://tenant-audit.example.org/start'] },
      { kind: 'click', user: 'dina', h: 4.9, url: 'https://tenant-audit.example.org/start' },
      { kind: 'audit', h: 4.87, op: 'Consent to application', category: 'ApplicationManagement', by: 'dina', ip: OFFICE_IP, target: 'Tenant Audit', targetType: 'ServicePrincipal', modified: [{ displayName: 'ConsentAction.Permissions', newValue: 'Scope: Directory.ReadWrite.All offline_access' }] },
    ],
  },
  {
    id: 'h-user-replay-through-vpn',
    story: 'Non-interactive sign-ins only through the corporate VPN egress (used by everyone daily), never used interactively by the user.',
    entity: user('ezra'),
    accept: [N],
    people: [{ name: 'ezra' }],
    events: [
      ...everyoneDaily('203.0.113.201', 'DE', 20),
      { kind: 'signin', user: 'ezra', h: 20, ip: '203.0.113.201', country: 'DE', interactive: false, count: 6, everyMin: 30 },
    ],
  },
  {
    id: 'h-user-low-confidence-ti-home',
    story: 'The user\'s own home IP appears as an active low-confidence (30) indicator; their sign-ins from it are routine.',
    entity: user('fay'),
    accept: [N, S],
    people: [{ name: 'fay' }],
    events: [{ kind: 'ti', type: 'ipv4', value: SUBJECT_HOME, confidence: 30, tags: ['Scanner'] }],
  },
  {
    id: 'h-user-dormant-failures-only',
    story: 'A dormant account receives eight failed passwords from abroad; none succeeds.',
    entity: user('gil'),
    accept: [N, S],
    people: [{ name: 'gil', dormant: true }],
    events: [{ kind: 'signin', user: 'gil', h: 40, ip: ATTACKER, country: 'RO', result: '50126', mfa: false, unmanaged: true, count: 8, everyMin: 3 }],
  },
  {
    id: 'h-url-ti-domain-established',
    story: 'An active domain indicator on a CDN host the whole tenant has used for weeks.',
    entity: url('https://static.cdn-assets.example/lib.js'),
    accept: [US, M],
    events: [
      { kind: 'ti', type: 'domain', value: 'static.cdn-assets.example', confidence: 60, tags: ['Malware'] },
      ...COLLEAGUES.flatMap((c, i) => [
        { kind: 'click', user: c, h: 500 + i, url: 'https://static.cdn-assets.example/lib.js' } as EventSpec,
        { kind: 'click', user: c, h: 40 + i, url: 'https://static.cdn-assets.example/lib.js' } as EventSpec,
      ]),
    ],
  },
  {
    id: 'h-url-wp-login-phish',
    story: 'A /wp-login.php page on a fresh domain, mailed and flagged Phish; one click was blocked and clicked through.',
    entity: url('https://garden-supplies.example.site/wp-login.php'),
    accept: [M, US],
    events: [
      { kind: 'email', h: 18, to: ['ava', 'ben'], sender: 'promo@garden-supplies.example.site', subject: 'Your account', urls: ['https://garden-supplies.example.site/wp-login.php'], threats: 'Phish' },
      { kind: 'click', user: 'ben', h: 17.5, url: 'https://garden-supplies.example.site/wp-login.php', action: 'ClickBlocked', threats: 'Phish', through: true },
    ],
  },
  {
    id: 'h-url-brand-in-name',
    story: 'microsoft-support-desk.example, first seen this week, mailed to two people.',
    entity: url('https://microsoft-support-desk.example/ticket/4411'),
    accept: [US, M],
    events: [{ kind: 'email', h: 28, to: ['carla', 'dev'], sender: 'support@microsoft-support-desk.example', subject: 'Ticket 4411', urls: ['https://microsoft-support-desk.example/ticket/4411'] }],
  },
  {
    id: 'h-url-established-sso-email-param',
    story: 'The company\'s long-used SSO page with ?email= in the query, clicked by everyone for weeks.',
    entity: url('https://sso.benefits-partner.example/start?email=ava%40fabrikam.example'),
    accept: [UN],
    events: COLLEAGUES.flatMap((c, i) => [
      { kind: 'click', user: c, h: 600 + i, url: 'https://sso.benefits-partner.example/start?email=ava%40fabrikam.example' } as EventSpec,
      { kind: 'click', user: c, h: 70 + i, url: 'https://sso.benefits-partner.example/start?email=ava%40fabrikam.example' } as EventSpec,
    ]),
  },
  {
    id: 'h-url-tenant-lookalike',
    story: 'fabrikarn.example (rn for m), a look-alike of the tenant domain, mailed this week.',
    entity: url('https://fabrikarn.example/hr/benefits'),
    accept: [US, M],
    events: [{ kind: 'email', h: 36, to: ['emma', 'femi', 'gus'], sender: 'hr@fabrikarn.example', subject: 'Benefits', urls: ['https://fabrikarn.example/hr/benefits'] }],
  },
  {
    id: 'h-url-inactive-indicator-unseen',
    story: 'A URL that was an indicator long ago, inactive now, and never seen in the tenant.',
    entity: url('https://old-campaign.example.info/x'),
    accept: [UN],
    events: [{ kind: 'ti', type: 'url', value: 'https://old-campaign.example.info/x', confidence: 70, active: false, fromDays: 200, untilDays: -150 }],
  },
];