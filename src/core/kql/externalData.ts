// externaldata offline: the local engine never fetches over the network. Each URL a query reads is mapped to a
// local file — by `externaldata.json` in the lake folder ({"https://…": "file.csv"}, paths relative to the lake)
// or by the caller (ExecuteOptions.externalData, e.g. `swb query --external-data MAP.json`). An unmapped URL is
// refused with an error that names it and says how to map it.
import * as fs from 'fs';
import * as path from 'path';
import { KqlError, positionAt, UserError } from '../errors';
import { forEachPlan, Plan } from './ir';

export type ExternalDataMap = Record<string, string>;

const MAX_FILE_BYTES = 256 << 20;
const DELIMITERS: Record<string, string> = { csv: ',', scsv: ';', psv: '|', tsv: '\t', tsve: '\t', sohsv: '\u0001' };

/** Reads a URL → file mapping (a JSON object); relative paths are relative to the mapping file's folder. */
export function readExternalDataMap(file: string): ExternalDataMap {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the externaldata mapping ${file}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new UserError(
      `${file}: expected an object mapping URLs to local files, e.g. {"https://example.com/list.csv": "list.csv"}`,
    );
  const out: ExternalDataMap = Object.create(null);
  for (const [url, f] of Object.entries(doc as Record<string, unknown>)) {
    if (typeof f !== 'string' || !f) throw new UserError(`${file}: the file for ${url} must be a path`);
    out[url] = path.resolve(path.dirname(file), f);
  }
  return out;
}

/** The mapping of a lake folder (its `externaldata.json`), or an empty one. */
export function lakeExternalDataMap(lakeDir: string): ExternalDataMap {
  const file = path.join(lakeDir, 'externaldata.json');
  return fs.existsSync(file) ? readExternalDataMap(file) : Object.create(null);
}

/** Reads the rows of every externaldata URL of a plan from the files they are mapped to. */
export async function loadExternalData(
  plan: Plan,
  map: ExternalDataMap,
  text: string,
  mapHint: string,
): Promise<Map<string, unknown[][]>> {
  const out = new Map<string, unknown[][]>();
  const nodes: Extract<Plan, { k: 'externalData' }>[] = [];
  forEachPlan(plan, (p) => {
    if (p.k === 'externalData') nodes.push(p);
  });
  for (const node of nodes) {
    for (const url of node.urls) {
      if (out.has(url)) continue;
      const file = Object.prototype.hasOwnProperty.call(map, url) ? map[url] : undefined;
      if (!file) {
        const { line, column } = positionAt(text, node.pos);
        throw new KqlError(
          `externaldata reads ${url}, and the local engine never fetches from the network: map the URL to a local file in ${mapHint}, e.g. {"${url}": "${suggestName(url)}"} (line ${line}, col ${column})`,
          { line, column },
          'ExternalDataUnmapped',
        );
      }
      out.set(url, await readRows(file, node, url));
    }
  }
  return out;
}

function suggestName(url: string): string {
  const last = url.split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? 'data.csv';
  return /^[\w.-]+$/.test(last) ? last : 'data.csv';
}

async function readRows(file: string, node: Extract<Plan, { k: 'externalData' }>, url: string): Promise<unknown[][]> {
  let st: fs.Stats;
  try {
    st = await fs.promises.stat(file);
  } catch {
    throw new UserError(`externaldata: ${url} is mapped to ${file}, which does not exist`);
  }
  if (!st.isFile()) throw new UserError(`externaldata: ${url} is mapped to ${file}, which is not a file`);
  if (st.size > MAX_FILE_BYTES) throw new UserError(`externaldata: ${file} is larger than ${MAX_FILE_BYTES >> 20} MB`);
  const text = (await fs.promises.readFile(file, 'utf8')).replace(/^\ufeff/, '');
  const names = node.cols.map((c) => c.name);
  let rows: unknown[][];
  switch (node.format) {
    case 'txt':
      rows = lines(text).map((l) => [l]);
      break;
    case 'raw':
      rows = [[text]];
      break;
    case 'json':
    case 'multijson':
    case 'singlejson':
      rows = jsonRecords(text, file).map((r) => recordRow(r, names));
      break;
    default:
      rows = delimited(text, DELIMITERS[node.format] ?? ',');
  }
  return node.ignoreFirstRecord ? rows.slice(1) : rows;
}

function lines(text: string): string[] {
  const ls = text.split(/\r?\n/);
  if (ls.length && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

/** Delimited records (RFC 4180 quoting: "a ""b""", embedded delimiters and newlines). */
function delimited(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      i++;
      continue;
    }
    if (c === sep) {
      row.push(cell);
      cell = '';
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += c;
    i++;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => !(r.length === 1 && r[0] === ''));
}

/** JSON records: one document (an object or an array of them), or one object a line. */
function jsonRecords(text: string, file: string): unknown[] {
  const t = text.trim();
  if (!t) return [];
  try {
    const doc = JSON.parse(t);
    return Array.isArray(doc) ? doc : [doc];
  } catch {
    return lines(t)
      .filter((l) => l.trim())
      .map((l, n) => {
        try {
          return JSON.parse(l);
        } catch {
          throw new UserError(`externaldata: ${file}:${n + 1}: not a JSON record`);
        }
      });
  }
}

function recordRow(r: unknown, names: string[]): unknown[] {
  if (!r || typeof r !== 'object' || Array.isArray(r)) return names.map(() => null);
  const o = r as Record<string, unknown>;
  return names.map((n) => (Object.prototype.hasOwnProperty.call(o, n) ? o[n] : null));
}
