// Results grid budget: first paint of 100,000 rows × 20 columns ≤ 500 ms in Chromium, and scrolling
// stays virtualised (only visible rows in the DOM). Loads the real page bundle with a stand-in host.
// Usage: npm run build && npm run bench:grid
require('tsx/cjs');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { RESULTS_BODY } = require('../src/webview/_resultsMarkup.ts');
const { FIRST_CHUNK_ROWS, CHUNK_ROWS } = require('../src/webview/_resultsProtocol.ts');

const ROWS = 100_000;
const COLS = 20;

async function main() {
  const root = path.join(__dirname, '..');
  const script = fs.readFileSync(path.join(root, 'dist/webview/results.js'), 'utf8');
  const css = fs.readFileSync(path.join(root, 'media/results.css'), 'utf8');
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.setContent(
      `<!DOCTYPE html><html><head><style>${css}</style></head><body data-nonce="">${RESULTS_BODY}</body></html>`,
    );
    await page.evaluate(() => {
      window.acquireVsCodeApi = () => ({
        postMessage() {},
        getState() {
          return undefined;
        },
        setState() {},
      });
    });
    await page.addScriptTag({ content: script });
    const timings = [];
    for (let run = 0; run < 5; run++) {
      const ms = await page.evaluate(
        ({ rows, cols, first, chunk }) => {
          const columns = [
            { name: 'TimeGenerated', type: 'datetime' },
            ...Array.from({ length: cols - 1 }, (_, i) => ({
              name: `Col${i}`,
              type: i % 3 === 0 ? 'long' : i % 3 === 1 ? 'string' : 'dynamic',
            })),
          ];
          const base = Date.parse('2026-11-01T00:00:00Z');
          const data = new Array(rows);
          for (let r = 0; r < rows; r++) {
            const row = [new Date(base + r * 60000).toISOString()];
            for (let c = 1; c < cols; c++)
              row.push(c % 3 === 1 ? r * c : c % 3 === 2 ? `user${r % 997}@contoso.com` : { city: 'Seattle', n: r });
            data[r] = row;
          }
          // The same messages the host sends (see resultMessages): first rows at once, the rest in chunks.
          const stats = { rowsScanned: rows, rowsReturned: rows, elapsedMs: 1, truncated: false };
          const messages = [
            {
              type: 'results',
              result: { columns, rows: data.slice(0, first), stats },
              meta: { title: 'bench', backend: 'bench', timeRange: '-', ranAt: '' },
              totalRows: rows,
            },
          ];
          for (let i = first; i < rows; i += chunk)
            messages.push({ type: 'rows', rows: data.slice(i, i + chunk), done: i + chunk >= rows });
          delete document.body.dataset.rows;
          document.getElementById('grid-body').replaceChildren();
          return new Promise((resolve) => {
            const t0 = performance.now();
            let firstPaint = 0;
            // Like the host's stream: the first message, then the rest as the page takes them.
            window.postMessage(messages[0], '*');
            const check = () => {
              if (!firstPaint && document.querySelector('#grid-body .row')) {
                firstPaint = performance.now() - t0;
                for (const m of messages.slice(1)) window.postMessage(m, '*');
              }
              if (firstPaint && document.body.dataset.rows === String(rows))
                requestAnimationFrame(() => resolve([firstPaint, performance.now() - t0]));
              else requestAnimationFrame(check);
            };
            check();
          });
        },
        { rows: ROWS, cols: COLS, first: FIRST_CHUNK_ROWS, chunk: CHUNK_ROWS },
      );
      timings.push(ms);
    }
    const all = timings.map((t) => t[1]).sort((a, b) => a - b);
    timings.splice(0, timings.length, ...timings.map((t) => t[0]));
    const domRows = await page.evaluate(() => document.querySelectorAll('#grid-body .row').length);
    await page.evaluate(() => {
      document.getElementById('grid').scrollTop = 22 * 50000;
    });
    await page.waitForFunction(() =>
      [...document.querySelectorAll('#grid-body .row')].some((r) => parseFloat(r.style.top) >= 22 * 50000),
    );
    const afterScroll = await page.evaluate(() => document.querySelectorAll('#grid-body .row').length);
    timings.sort((a, b) => a - b);
    const median = timings[timings.length >> 1];
    console.log(
      `Results grid, ${ROWS.toLocaleString()} rows × ${COLS} columns: first paint median ${median.toFixed(0)} ms (runs: ${timings.map((t) => t.toFixed(0)).join(', ')}) — budget 500 ms: ${median <= 500 ? 'OK' : 'OVER'}`,
    );
    console.log(`All rows loaded (sortable, filterable): median ${all[all.length >> 1].toFixed(0)} ms`);
    console.log(`Rows in the DOM: ${domRows} at the top, ${afterScroll} after scrolling to row 50,000 (virtualised).`);
    process.exitCode = median <= 500 ? 0 : 1;
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
