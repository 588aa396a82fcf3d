// How entity kinds are named to people, the same in every view: one entity ("IP address") and a group ("IP addresses").
import type { EntityKind } from '../backends/types';

export const ENTITY_KIND_NAMES: Record<EntityKind, { one: string; many: string }> = {
  Account: { one: 'Account', many: 'Accounts' },
  Url: { one: 'URL', many: 'URLs' },
  Ip: { one: 'IP address', many: 'IP addresses' },
  Host: { one: 'Host', many: 'Hosts' },
  Mailbox: { one: 'Mailbox', many: 'Mailboxes' },
  FileHash: { one: 'File hash', many: 'File hashes' },
  File: { one: 'File', many: 'Files' },
  Process: { one: 'Process', many: 'Processes' },
  CloudApplication: { one: 'Cloud app', many: 'Cloud apps' },
  MailMessage: { one: 'Mail message', many: 'Mail messages' },
  Other: { one: 'Other', many: 'Other' },
};

export function entityKindName(kind: string): string {
  return ENTITY_KIND_NAMES[kind as EntityKind]?.one ?? kind;
}
