// Entity extraction: SecurityAlert's `Entities` column (a JSON string with `$id`/`$ref` links, PascalCase
// properties and a lower-case `Type`) and the Sentinel ARM `incidents/{id}/entities` response (camelCase
// `properties`, PascalCase `kind`) both become the same `Entity` objects with stable keys.
import type { Entity, EntityKind } from './types';
import { type Obj, trimmed as str } from '../fields';

export interface ExtractedEntities {
  entities: Entity[];
  /** Inputs that could not be read: malformed JSON strings, non-arrays, elements without a type. */
  skipped: number;
}

const KIND_BY_TYPE: Record<string, EntityKind> = {
  account: 'Account',
  url: 'Url',
  ip: 'Ip',
  host: 'Host',
  mailbox: 'Mailbox',
  filehash: 'FileHash',
  file: 'File',
  process: 'Process',
  'cloud-application': 'CloudApplication',
  cloudapplication: 'CloudApplication',
  mailmessage: 'MailMessage',
  'mail-message': 'MailMessage',
};

/** Entity kinds in the order the UI lists them. */
export const ENTITY_KIND_ORDER: EntityKind[] = [
  'Account',
  'Url',
  'Ip',
  'Host',
  'Mailbox',
  'MailMessage',
  'FileHash',
  'File',
  'Process',
  'CloudApplication',
  'Other',
];

export function entityKindOf(type: unknown): EntityKind {
  if (typeof type !== 'string') return 'Other';
  return KIND_BY_TYPE[type.trim().toLowerCase()] ?? 'Other';
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Case-insensitive property access (alerts use PascalCase, ARM camelCase). */
function getter(o: Obj): (...names: string[]) => unknown {
  const lower = new Map<string, unknown>();
  for (const [k, v] of Object.entries(o)) if (!lower.has(k.toLowerCase())) lower.set(k.toLowerCase(), v);
  return (...names) => {
    for (const n of names) {
      const v = lower.get(n.toLowerCase());
      if (v !== undefined && v !== null && v !== '') return v;
    }
    return undefined;
  };
}

/** Builds an Entity from one entity object whose `$ref`s are already resolved where needed. */
export function entityFromObject(kind: EntityKind, o: Obj, rawType?: string): Entity | undefined {
  const g = getter(o);
  const s = (...names: string[]) => str(g(...names));
  let displayName: string | undefined;
  let id: string | undefined;
  switch (kind) {
    case 'Account': {
      const name = s('Name', 'accountName');
      const suffix = s('UPNSuffix', 'upnSuffix');
      const upn = name && suffix ? `${name}@${suffix}` : name?.includes('@') ? name : undefined;
      const aad = s('AadUserId', 'aadUserId');
      const sid = s('Sid', 'sid');
      const domain = s('NTDomain', 'ntDomain');
      displayName =
        upn ??
        (name && domain ? `${domain}\\${name}` : undefined) ??
        name ??
        aad ??
        sid ??
        s('friendlyName', 'DisplayName');
      id = (upn ?? aad ?? (name && domain ? `${domain}\\${name}` : name) ?? sid)?.toLowerCase();
      break;
    }
    case 'Url':
      displayName = s('Url', 'url');
      id = displayName;
      break;
    case 'Ip':
      displayName = s('Address', 'address');
      id = displayName?.toLowerCase();
      break;
    case 'Host': {
      const host = s('HostName', 'hostName');
      const dns = s('DnsDomain', 'dnsDomain');
      displayName =
        host && dns
          ? `${host}.${dns}`
          : (host ?? s('NetBiosName', 'netBiosName') ?? s('AzureID', 'azureID') ?? s('friendlyName'));
      id = displayName?.toLowerCase();
      break;
    }
    case 'Mailbox':
      displayName = s('MailboxPrimaryAddress', 'mailboxPrimaryAddress', 'Upn', 'upn', 'DisplayName', 'displayName');
      id = displayName?.toLowerCase();
      break;
    case 'FileHash': {
      displayName = s('Value', 'hashValue');
      const alg = s('Algorithm', 'algorithm');
      id = displayName ? `${(alg ?? 'unknown').toLowerCase()}:${displayName.toLowerCase()}` : undefined;
      break;
    }
    case 'File': {
      const name = s('Name', 'fileName');
      const dir = s('Directory', 'directory');
      displayName = name;
      id = name ? (dir ? `${dir.replace(/[\\/]+$/, '')}\\${name}` : name).toLowerCase() : undefined;
      break;
    }
    case 'Process': {
      const cmd = s('CommandLine', 'commandLine');
      const pid = s('ProcessId', 'processId');
      const image = g('ImageFile', 'imageFile');
      const imageName = isObj(image) ? str(getter(image)('Name', 'fileName')) : undefined;
      displayName =
        imageName && pid ? `${imageName} (${pid})` : (imageName ?? cmd ?? (pid ? `process ${pid}` : undefined));
      const hostObj = g('Host', 'host');
      const hostName = isObj(hostObj) ? str(getter(hostObj)('HostName', 'hostName')) : undefined;
      id = displayName ? [hostName, pid, cmd ?? imageName].filter(Boolean).join('|').toLowerCase() : undefined;
      break;
    }
    case 'CloudApplication': {
      displayName =
        s('Name', 'appName', 'InstanceName', 'instanceName') ??
        (s('AppId', 'appId') ? `app ${s('AppId', 'appId')}` : undefined);
      id = (s('AppId', 'appId') ?? displayName)?.toLowerCase();
      break;
    }
    case 'MailMessage': {
      const subject = s('Subject', 'subject');
      const nmid = s('NetworkMessageId', 'networkMessageId', 'InternetMessageId', 'internetMessageId');
      displayName = subject ?? nmid ?? s('Sender', 'sender');
      id =
        (
          nmid ?? [s('Sender', 'sender'), s('Recipient', 'recipient'), subject].filter(Boolean).join('|')
        ).toLowerCase() || undefined;
      break;
    }
    default: {
      displayName = s('friendlyName', 'FriendlyName', 'Name', 'name', 'Value', 'value', 'DomainName', 'domainName');
      id = displayName?.toLowerCase();
    }
  }
  if (!displayName || !id) return undefined;
  const prefix = kind === 'Other' ? `other:${(rawType ?? 'unknown').toLowerCase()}` : kind.toLowerCase();
  return { kind, key: `${prefix}:${id}`, displayName, properties: plainProperties(o) };
}

/** Own properties without `$id`, with nested entities summarised (avoids cycles and huge trees). */
function plainProperties(o: Obj): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === '$id' || k === '$ref') continue;
    if (isObj(v)) {
      const g = getter(v);
      const summary = str(g('Name', 'HostName', 'Address', 'Url', 'Value', 'friendlyName'));
      out[k] = summary ?? '[object]';
    } else if (Array.isArray(v)) {
      out[k] = v.length && v.every((x) => !isObj(x)) ? v : `[${v.length} items]`;
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Collects every object with a `$id` anywhere in the graph. */
function indexIds(value: unknown, ids: Map<string, Obj>, depth = 0): void {
  if (depth > 32) return;
  if (Array.isArray(value)) {
    for (const v of value) indexIds(v, ids, depth + 1);
  } else if (isObj(value)) {
    const id = value.$id;
    if (typeof id === 'string' || typeof id === 'number') ids.set(String(id), value);
    for (const v of Object.values(value)) indexIds(v, ids, depth + 1);
  }
}

/** Replaces `{"$ref": "n"}` values one level deep (enough for process → image file, file → hashes). */
function resolveShallow(o: Obj, ids: Map<string, Obj>): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (isObj(v) && v.$ref !== undefined) out[k] = ids.get(String(v.$ref)) ?? v;
    else if (Array.isArray(v))
      out[k] = v.map((x) => (isObj(x) && x.$ref !== undefined ? (ids.get(String(x.$ref)) ?? x) : x));
    else out[k] = v;
  }
  return out;
}

/**
 * Entities of one SecurityAlert `Entities` value (the JSON string, or an already parsed array).
 * Top-level `$ref` elements resolve to the referenced entity. Malformed JSON counts as one skipped input.
 */
export function entitiesFromAlertJson(value: unknown): ExtractedEntities {
  if (value === null || value === undefined || value === '') return { entities: [], skipped: 0 };
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return { entities: [], skipped: 1 };
    }
  }
  if (!Array.isArray(parsed)) return { entities: [], skipped: 1 };
  const ids = new Map<string, Obj>();
  indexIds(parsed, ids);
  return collectEntities(parsed, (raw) => {
    const element = isObj(raw) && raw.$ref !== undefined ? ids.get(String(raw.$ref)) : raw;
    if (!isObj(element)) return undefined;
    const type = getter(element)('Type', 'kind');
    if (typeof type !== 'string') return undefined;
    return entityFromObject(entityKindOf(type), resolveShallow(element, ids), type);
  });
}

/** Converts each item (undefined = skipped and counted), keeping the first entity of each key. */
function collectEntities(items: unknown[], toEntity: (item: unknown) => Entity | undefined): ExtractedEntities {
  const entities: Entity[] = [];
  const seen = new Set<string>();
  let skipped = 0;
  for (const item of items) {
    const entity = toEntity(item);
    if (!entity) {
      skipped++;
      continue;
    }
    if (seen.has(entity.key)) continue;
    seen.add(entity.key);
    entities.push(entity);
  }
  return { entities, skipped };
}

/** Entities of a Sentinel ARM `POST incidents/{id}/entities` (or alert entities) response body. */
export function entitiesFromArm(body: unknown): ExtractedEntities {
  const list = isObj(body) && Array.isArray(body.entities) ? body.entities : Array.isArray(body) ? body : undefined;
  if (!list) return { entities: [], skipped: body === undefined || body === null ? 0 : 1 };
  return collectEntities(list, (item) =>
    isObj(item) && typeof item.kind === 'string' && isObj(item.properties)
      ? entityFromObject(entityKindOf(item.kind), item.properties, item.kind)
      : undefined,
  );
}

/** Merges entity lists, first occurrence of a key wins. */
export function mergeEntities(lists: Entity[][]): Entity[] {
  const seen = new Map<string, Entity>();
  for (const list of lists) for (const e of list) if (!seen.has(e.key)) seen.set(e.key, e);
  return [...seen.values()];
}

/** The value an analysis or a baseline uses for an entity: the UPN (or object id) of an account, the URL. */
export function analysisTarget(entity: Entity): { type: 'User' | 'Url'; id: string } | undefined {
  if (entity.kind === 'Url') return { type: 'Url', id: entity.displayName };
  if (entity.kind === 'Account') {
    const g = getter(entity.properties);
    const name = str(g('Name', 'accountName'));
    const suffix = str(g('UPNSuffix', 'upnSuffix'));
    if (name && suffix) return { type: 'User', id: `${name}@${suffix}` };
    if (name?.includes('@')) return { type: 'User', id: name };
    const aad = str(g('AadUserId', 'aadUserId'));
    if (aad) return { type: 'User', id: aad };
    return { type: 'User', id: entity.displayName };
  }
  return undefined;
}
