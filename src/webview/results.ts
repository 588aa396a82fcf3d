// The results panel page: a virtualised grid (only visible rows are in the DOM), typed cells, sort,
// filter, copy, export, and a uPlot timechart. Text from results is only ever set with textContent.
import uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css';
import type { QueryResult, ResultColumn } from '../core/types';
import type { HostToResults, ResultsMeta, ResultsState, ResultsToHost } from './_resultsProtocol';
import { isRealTimeSeries } from './_chartShape';

declare function acquireVsCodeApi(): {
  postMessage(m: ResultsToHost): void;
  getState(): ResultsState | undefined;
  setState(s: ResultsState): void;
};

const vscode = acquireVsCodeApi();
const initialState = (window as unknown as { __initialState?: ResultsState }).__initialState;
if (initialState && !vscode.getState()) vscode.setState(initialState);
const ROW_HEIGHT = 22;
const OVERSCAN = 10;
const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

interface View {
  result: QueryResult;
  /** Rows still to arrive in `rows` messages. */
  pending: number;
  meta: ResultsMeta;
  /** Row indexes after filter and sort. */
  order: Int32Array;
  sortColumn: number;
  sortDescending: boolean;
  filter: string;
  /** Lower-cased row text, built on first filter. */
  rowText?: string[];
  widths: number[];
  selected?: { row: number; col: number }; // row = position in `order`
}

let view: View | undefined;
let chart: uPlot | undefined;

// --- rendering of cells -------------------------------------------------------------------------

function display(value: unknown, column: ResultColumn): string {
  if (value === null || value === undefined) return '';
  if (column.type === 'datetime' && typeof value === 'string') return value.replace('T', ' ').replace(/Z$/, '');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function columnWidths(result: QueryResult): number[] {
  const sample = result.rows.slice(0, 200);
  return result.columns.map((c, i) => {
    let chars = c.name.length + 2;
    for (const row of sample) chars = Math.max(chars, Math.min(60, display(row[i], c).length));
    return Math.max(70, Math.min(440, chars * 8.2 + 20));
  });
}

// --- header line, toolbar -------------------------------------------------------------------------

function renderHeader(v: View) {
  const { stats } = v.result;
  const loaded = v.result.rows.length;
  const parts = [
    `${v.order.length.toLocaleString()}${v.filter ? ` of ${loaded.toLocaleString()}` : ''} rows${v.pending ? ` (loading ${(loaded + v.pending).toLocaleString()})` : ''}`,
    `${Math.round(stats.elapsedMs).toLocaleString()} ms`,
    v.meta.backend,
    v.meta.timeRange,
  ];
  $('summary').textContent = parts.join(' · ');
  const note = $('note');
  note.textContent = v.meta.note ?? '';
  note.hidden = !v.meta.note;
  $('title').textContent = v.meta.title;
  const warn = $('warning');
  warn.textContent = stats.truncated
    ? `Showing the first ${stats.rowsReturned.toLocaleString()} rows (sentinelWorkbench.query.maxRows).`
    : '';
  warn.hidden = !stats.truncated;
}

// --- grid -------------------------------------------------------------------------------------------

function renderGridHeader(v: View) {
  const head = $('grid-head');
  head.replaceChildren();
  head.style.width = `${v.widths.reduce((a, b) => a + b, 0)}px`;
  v.result.columns.forEach((c, i) => {
    const cell = el('div', 'hcell');
    cell.style.width = `${v.widths[i]}px`;
    cell.setAttribute('role', 'columnheader');
    cell.tabIndex = 0;
    cell.title = `${c.name} (${c.type}) — click to sort`;
    const name = el('span', 'hname', c.name);
    const arrow = el('span', 'sort', v.sortColumn === i ? (v.sortDescending ? '▼' : '▲') : '');
    cell.append(name, arrow);
    if (NUMERIC.has(c.type)) cell.classList.add('num');
    cell.setAttribute('aria-sort', v.sortColumn === i ? (v.sortDescending ? 'descending' : 'ascending') : 'none');
    const sort = () => sortBy(i);
    cell.addEventListener('click', sort);
    cell.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        sort();
      }
    });
    head.append(cell);
  });
}

function renderRows() {
  const v = view;
  if (!v) return;
  const scroller = $('grid');
  const body = $('grid-body');
  const total = v.order.length;
  body.style.height = `${total * ROW_HEIGHT}px`;
  body.style.width = `${v.widths.reduce((a, b) => a + b, 0)}px`;
  const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const visible = Math.ceil(scroller.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
  const last = Math.min(total, first + visible);
  const frag = document.createDocumentFragment();
  const cols = v.result.columns;
  for (let pos = first; pos < last; pos++) {
    const rowIndex = v.order[pos];
    const row = v.result.rows[rowIndex];
    const tr = el('div', pos % 2 ? 'row odd' : 'row');
    tr.style.top = `${pos * ROW_HEIGHT}px`;
    tr.setAttribute('role', 'row');
    for (let c = 0; c < cols.length; c++) {
      const value = row[c];
      const td = el('div', 'cell', display(value, cols[c]));
      td.style.width = `${v.widths[c]}px`;
      td.dataset.pos = String(pos);
      td.dataset.col = String(c);
      td.setAttribute('role', 'gridcell');
      if (NUMERIC.has(cols[c].type)) td.classList.add('num');
      if (cols[c].type === 'dynamic' && value !== null && typeof value === 'object') td.classList.add('dyn');
      if (value === null || value === undefined) td.classList.add('null');
      if (v.selected && v.selected.row === pos && v.selected.col === c) td.classList.add('selected');
      tr.append(td);
    }
    frag.append(tr);
  }
  body.replaceChildren(frag);
}

function select(pos: number, col: number, reveal = true) {
  const v = view;
  if (!v || v.order.length === 0) return;
  pos = Math.max(0, Math.min(v.order.length - 1, pos));
  col = Math.max(0, Math.min(v.result.columns.length - 1, col));
  v.selected = { row: pos, col };
  if (reveal) {
    const scroller = $('grid');
    const top = pos * ROW_HEIGHT;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight - ROW_HEIGHT)
      scroller.scrollTop = top - scroller.clientHeight + 2 * ROW_HEIGHT;
  }
  renderRows();
  showDetail();
  $('copy-bar').hidden = false;
}

function showDetail() {
  const v = view;
  const detail = $('detail');
  if (!v?.selected) {
    detail.hidden = true;
    return;
  }
  const col = v.result.columns[v.selected.col];
  const value = v.result.rows[v.order[v.selected.row]][v.selected.col];
  $('detail-title').textContent = `${col.name} (${col.type}), row ${v.selected.row + 1}`;
  const pre = $('detail-body');
  pre.replaceChildren();
  if (value !== null && typeof value === 'object') pre.append(jsonTree(value, 0));
  else pre.textContent = value === null || value === undefined ? '(null)' : String(value);
  detail.hidden = false;
}

/** Expandable JSON: objects and arrays are <details> elements, leaves are text. */
function jsonTree(value: unknown, depth: number): Node {
  if (value === null || typeof value !== 'object')
    return el('span', `json-${value === null ? 'null' : typeof value}`, JSON.stringify(value));
  const entries = Array.isArray(value)
    ? value.map((v, i) => [String(i), v] as const)
    : Object.entries(value as Record<string, unknown>);
  const details = el('details');
  details.open = depth < 2;
  const summary = el('summary', 'json-summary', Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`);
  details.append(summary);
  for (const [k, v] of entries) {
    const line = el('div', 'json-entry');
    line.append(el('span', 'json-key', `${k}: `), jsonTree(v, depth + 1));
    details.append(line);
  }
  return details;
}

// --- sort and filter ------------------------------------------------------------------------------

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = typeof a === 'object' ? JSON.stringify(a) : String(a);
  const sb = typeof b === 'object' ? JSON.stringify(b) : String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function sortBy(col: number) {
  const v = view;
  if (!v) return;
  v.sortDescending = v.sortColumn === col ? !v.sortDescending : false;
  v.sortColumn = col;
  applyOrder(v);
  renderGridHeader(v);
  renderRows();
}

function applyOrder(v: View) {
  const rows = v.result.rows;
  let idx: number[] = [];
  if (v.filter) {
    const needle = v.filter.toLowerCase();
    v.rowText ??= rows.map((r) =>
      r
        .map((x, c) => display(x, v.result.columns[c]))
        .join('\u0001')
        .toLowerCase(),
    );
    for (let i = 0; i < rows.length; i++) if (v.rowText[i].includes(needle)) idx.push(i);
  } else {
    idx = Array.from({ length: rows.length }, (_, i) => i);
  }
  if (v.sortColumn >= 0) {
    const c = v.sortColumn;
    const sign = v.sortDescending ? -1 : 1;
    idx.sort((a, b) => sign * compareValues(rows[a][c], rows[b][c]) || a - b);
  }
  v.order = Int32Array.from(idx);
  v.selected = undefined;
  $('copy-bar').hidden = true;
  $('detail').hidden = true;
  renderHeader(v);
}

// --- copy -----------------------------------------------------------------------------------------

function tsvCell(value: unknown, column: ResultColumn): string {
  return display(value, column).replace(/[\t\r\n]+/g, ' ');
}

function copy(what: 'cell' | 'row' | 'column') {
  const v = view;
  if (!v?.selected) return;
  const cols = v.result.columns;
  const row = v.result.rows[v.order[v.selected.row]];
  let text: string;
  if (what === 'cell') {
    const value = row[v.selected.col];
    text =
      value !== null && typeof value === 'object'
        ? JSON.stringify(value, null, 2)
        : display(value, cols[v.selected.col]);
  } else if (what === 'row') {
    text = cols.map((c) => c.name).join('\t') + '\n' + row.map((x, i) => tsvCell(x, cols[i])).join('\t');
  } else {
    const c = v.selected.col;
    const values: string[] = [cols[c].name];
    for (const i of v.order) values.push(tsvCell(v.result.rows[i][c], cols[c]));
    text = values.join('\n');
  }
  vscode.postMessage({ type: 'copy', text, what });
}

// --- chart ----------------------------------------------------------------------------------------

const CHART_KINDS = new Set(['timechart', 'linechart', 'areachart', 'columnchart', 'barchart', 'scatterchart']);

/** A timechart when the result has a datetime column and numeric columns, or when the query asks for one. */
export function chartData(
  result: QueryResult,
): { x: number[]; series: { name: string; values: (number | null)[] }[]; bars: boolean } | undefined {
  const hint = result.render?.kind?.toLowerCase();
  if (hint && !CHART_KINDS.has(hint)) return undefined;
  const cols = result.columns;
  const xi = result.render?.xcolumn
    ? cols.findIndex((c) => c.name === result.render!.xcolumn)
    : cols.findIndex((c) => c.type === 'datetime');
  if (xi < 0 || cols[xi].type !== 'datetime') return undefined;
  const yNames = result.render?.ycolumns;
  const ys = cols
    .map((c, i) => i)
    .filter((i) => i !== xi && NUMERIC.has(cols[i].type) && (!yNames || yNames.includes(cols[i].name)));
  if (ys.length === 0 || result.rows.length < 1) return undefined;
  const split = cols.findIndex((c, i) => i !== xi && (c.type === 'string' || c.type === 'bool'));
  const bars = hint === 'columnchart' || hint === 'barchart';
  const xsSet = new Set<number>();
  for (const row of result.rows) {
    const t = Date.parse(String(row[xi]));
    if (!Number.isNaN(t)) xsSet.add(t / 1000);
  }
  const x = [...xsSet].sort((a, b) => a - b);
  const xPos = new Map(x.map((t, i) => [t, i]));
  const series: { name: string; values: (number | null)[] }[] = [];
  if (split >= 0) {
    // One series per distinct value of the first string column (e.g. ActionType), first numeric column.
    const y = ys[0];
    const byKey = new Map<string, (number | null)[]>();
    for (const row of result.rows) {
      const key = String(row[split] ?? '');
      if (!byKey.has(key)) {
        if (byKey.size >= 12) continue;
        byKey.set(key, new Array(x.length).fill(null));
      }
      const t = Date.parse(String(row[xi])) / 1000;
      const p = xPos.get(t);
      if (p !== undefined) byKey.get(key)![p] = (byKey.get(key)![p] ?? 0) + Number(row[y] ?? 0);
    }
    for (const [key, values] of byKey) series.push({ name: `${cols[y].name} (${key || '(empty)'})`, values });
  } else {
    for (const y of ys.slice(0, 12)) {
      const values: (number | null)[] = new Array(x.length).fill(null);
      for (const row of result.rows) {
        const p = xPos.get(Date.parse(String(row[xi])) / 1000);
        if (p !== undefined && row[y] !== null && row[y] !== undefined) values[p] = (values[p] ?? 0) + Number(row[y]);
      }
      series.push({ name: cols[y].name, values });
    }
  }
  return { x, series, bars };
}

function themeColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

function renderChart(result: QueryResult) {
  chart?.destroy();
  chart = undefined;
  const box = $('chart');
  box.replaceChildren();
  const data = chartData(result);
  $('chart-toggle').hidden = !data;
  // Drawn unasked only for a real time series (or when the query says `render …`); otherwise "Chart" offers it.
  const auto = !!data && (!!result.render?.kind || isRealTimeSeries(data));
  const choice = box.dataset.userChoice;
  const show = !!data && (choice === 'shown' || (choice !== 'hidden' && auto));
  $('chart-toggle').textContent = show ? 'Hide chart' : 'Chart';
  $('chart-toggle').setAttribute('aria-pressed', String(show));
  if (!data || !show) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  const palette = [
    '--vscode-charts-blue',
    '--vscode-charts-orange',
    '--vscode-charts-green',
    '--vscode-charts-red',
    '--vscode-charts-purple',
    '--vscode-charts-yellow',
  ].map((v, i) => themeColor(v, ['#3794ff', '#d18616', '#89d185', '#f14c4c', '#b180d7', '#cca700'][i]));
  const fg = themeColor('--vscode-foreground', '#ccc');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const opts: uPlot.Options = {
    width: Math.max(300, box.clientWidth || document.body.clientWidth - 24),
    height: 220,
    cursor: { drag: { x: true, y: false } },
    legend: { show: true },
    scales: { x: { time: true } },
    axes: [axis, axis],
    series: [
      {},
      ...data.series.map((s, i) => ({
        label: s.name,
        stroke: palette[i % palette.length],
        width: 1.5,
        fill: data.bars ? palette[i % palette.length] + '66' : undefined,
        paths: data.bars ? uPlot.paths.bars!({ size: [0.6, 40] }) : undefined,
        points: { show: data.x.length < 60 },
        spanGaps: false,
      })),
    ],
  };
  chart = new uPlot(opts, [data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData, box);
  box.setAttribute('aria-label', `Chart of ${data.series.map((s) => s.name).join(', ')} over time`);
}

// --- messages ----------------------------------------------------------------------------------------

function showResults(result: QueryResult, meta: ResultsMeta, totalRows: number) {
  $('status').hidden = true;
  $('error').hidden = true;
  $('content').hidden = false;
  const pending = Math.max(0, totalRows - result.rows.length);
  view = {
    result,
    meta,
    pending,
    order: new Int32Array(0),
    sortColumn: -1,
    sortDescending: false,
    filter: ($('filter') as HTMLInputElement).value.trim(),
    widths: columnWidths(result),
  };
  applyOrder(view);
  renderGridHeader(view);
  $('grid').scrollTop = 0;
  renderRows();
  if (!pending) loaded(view);
}

/** Appends streamed rows; sorting, filtering and the chart are brought up to date once all have arrived. */
function appendRows(rows: unknown[][], done: boolean) {
  const v = view;
  if (!v) return;
  const target = v.result.rows;
  for (const r of rows) target.push(r);
  v.pending = done ? 0 : Math.max(0, v.pending - rows.length);
  v.rowText = undefined;
  if (done || (!v.filter && v.sortColumn < 0)) {
    const selected = v.selected;
    applyOrder(v);
    if (selected && selected.row < v.order.length) v.selected = selected;
  } else {
    renderHeader(v);
  }
  renderRows();
  if (done) loaded(v);
}

function loaded(v: View) {
  renderChart(v.result);
  document.body.dataset.rows = String(v.result.rows.length);
}

window.addEventListener('message', (event: MessageEvent<HostToResults>) => {
  const m = event.data;
  switch (m.type) {
    case 'running':
      $('status').hidden = false;
      $('status').textContent = `Running ${m.title}…`;
      break;
    case 'results':
      vscode.setState({ ...vscode.getState(), title: m.meta.title });
      showResults(m.result, m.meta, m.totalRows);
      break;
    case 'rows':
      appendRows(m.rows, m.done);
      break;
    case 'error':
      $('status').hidden = true;
      $('content').hidden = true;
      $('error').hidden = false;
      $('error-title').textContent = m.title;
      $('error-message').textContent = m.message;
      break;
    case 'exported':
      $('status').hidden = false;
      $('status').textContent = `Exported to ${m.path}`;
      break;
  }
});

// --- wiring --------------------------------------------------------------------------------------------

function init() {
  const style = document.createElement('style');
  style.nonce = document.body.dataset.nonce ?? '';
  style.textContent = uplotCss;
  document.head.append(style);

  const scroller = $('grid');
  let frame = 0;
  scroller.addEventListener('scroll', () => {
    $('grid-head').style.transform = `translateX(${-scroller.scrollLeft}px)`;
    if (!frame)
      frame = requestAnimationFrame(() => {
        frame = 0;
        renderRows();
      });
  });
  new ResizeObserver(() => {
    renderRows();
    if (chart && view) chart.setSize({ width: Math.max(300, $('chart').clientWidth), height: 220 });
  }).observe(scroller);

  $('grid-body').addEventListener('click', (e) => {
    const cell = (e.target as HTMLElement).closest<HTMLElement>('.cell');
    if (cell) {
      select(Number(cell.dataset.pos), Number(cell.dataset.col), false);
      scroller.focus();
    }
  });
  scroller.addEventListener('keydown', (e) => {
    const v = view;
    if (!v) return;
    const s = v.selected ?? { row: 0, col: 0 };
    const page = Math.floor(scroller.clientHeight / ROW_HEIGHT) - 1;
    const moves: Record<string, [number, number]> = {
      ArrowDown: [1, 0],
      ArrowUp: [-1, 0],
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      PageDown: [page, 0],
      PageUp: [-page, 0],
    };
    if (moves[e.key]) {
      e.preventDefault();
      select(v.selected ? s.row + moves[e.key][0] : 0, v.selected ? s.col + moves[e.key][1] : 0);
    } else if (e.key === 'Home' && e.ctrlKey) {
      e.preventDefault();
      select(0, s.col);
    } else if (e.key === 'End' && e.ctrlKey) {
      e.preventDefault();
      select(v.order.length - 1, s.col);
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'c') {
      e.preventDefault();
      copy(e.shiftKey ? 'row' : 'cell');
    }
  });

  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  $('filter').addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      if (!view) return;
      view.filter = ($('filter') as HTMLInputElement).value.trim();
      applyOrder(view);
      scroller.scrollTop = 0;
      renderRows();
    }, 120);
  });
  $('export-csv').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  $('export-json').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));
  $('rerun').addEventListener('click', () => vscode.postMessage({ type: 'rerun' }));
  $('copy-cell').addEventListener('click', () => copy('cell'));
  $('copy-row').addEventListener('click', () => copy('row'));
  $('copy-column').addEventListener('click', () => copy('column'));
  $('chart-toggle').addEventListener('click', () => {
    const box = $('chart');
    box.dataset.userChoice = box.hidden ? 'shown' : 'hidden';
    if (view) renderChart(view.result);
  });
  vscode.postMessage({ type: 'ready' });
}

init();
