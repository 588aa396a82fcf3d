// Static markup of the results page (no data: results arrive by message and are set as text).
export const RESULTS_BODY = `
<header><span id="title">Results</span><span id="summary"></span><span id="warning" hidden></span></header>
<div id="note" class="note" role="note" hidden></div>
<div id="status">Waiting for results…</div>
<div id="error" hidden role="alert"><div id="error-title"></div><pre id="error-message"></pre></div>
<div id="content" hidden>
  <div class="toolbar" role="toolbar" aria-label="Results">
    <input id="filter" type="search" placeholder="Filter rows" aria-label="Filter rows">
    <button id="export-csv" class="primary" title="Export all rows as CSV">Export CSV</button>
    <button id="export-json" title="Export all rows as JSON">Export JSON</button>
    <button id="rerun" title="Run the query again">Run again</button>
    <button id="chart-toggle" hidden title="Show or hide the chart">Chart</button>
    <span id="copy-bar" hidden>
      <button id="copy-cell" title="Copy the selected cell (Ctrl+C)">Copy cell</button>
      <button id="copy-row" title="Copy the selected row with headers (Ctrl+Shift+C)">Copy row</button>
      <button id="copy-column" title="Copy the selected column">Copy column</button>
    </span>
  </div>
  <div id="chart" role="img"></div>
  <div class="grid-frame">
    <div class="grid-head-wrap"><div id="grid-head" role="row"></div></div>
    <div id="grid" tabindex="0" role="grid" aria-label="Query results"><div id="grid-body"></div></div>
  </div>
  <div id="detail" hidden><div id="detail-title"></div><pre id="detail-body"></pre></div>
</div>`;
