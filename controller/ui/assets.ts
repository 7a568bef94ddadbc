// The dashboard's static files: its stylesheet and script (plain CSS and JavaScript, no build step) and
// htmx, served from the installed htmx.org package.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export interface Asset {
  contentType: string;
  body: string | Buffer;
}

const STYLE = `
:root { --ok:#1a7f37; --ok-bg:#dafbe1; --drift:#9a6700; --drift-bg:#fff8c5; --block:#cf222e; --block-bg:#ffebe9;
  --wait:#0969da; --wait-bg:#ddf4ff; --manual:#8250df; --manual-bg:#fbefff; --line:#d0d7de; --muted:#57606a; }
* { box-sizing: border-box; }
body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; }
header.top { display:flex; gap:1.5rem; align-items:center; padding:.5rem 1rem; background:#24292f; color:#fff; }
header.top a { color:#fff; text-decoration:none; margin-right:1rem; }
header.top .brand { font-weight:700; }
header.top .mode, header.top .keys { color:#afb8c1; font-size:12px; }
header.top .keys { margin-left:auto; }
main, form.filters, p.legend { padding: 0 1rem; }
form.filters { display:flex; gap:1rem; flex-wrap:wrap; padding-top:.75rem; }
p.legend { display:flex; gap:.5rem; align-items:center; flex-wrap:wrap; }
.hint, .note, .sub { color: var(--muted); font-size: 12px; }
.error { color: var(--block); background: var(--block-bg); padding:.5rem; border-radius:4px; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align:left; vertical-align:top; }
table.matrix thead th { position: sticky; top: 0; background:#f6f8fa; }
tr.group th { background:#f6f8fa; font-size:13px; }
tr.group .env { color: var(--muted); margin-left:.5rem; }
tr.row:focus, tr.row.selected { outline: 2px solid var(--wait); outline-offset:-2px; }
td.cell i { display:block; font-size:11px; font-style:normal; color: var(--muted); }
td.empty { background: repeating-linear-gradient(45deg,#fff,#fff 4px,#f6f8fa 4px,#f6f8fa 8px); }
.chip { padding:.1rem .4rem; border-radius:1rem; font-size:12px; }
.s-in-sync.cell, .chip.s-in-sync, tr.s-in-sync td .chip { background: var(--ok-bg); color: var(--ok); }
.s-drifted.cell, .chip.s-drifted { background: var(--drift-bg); color: var(--drift); }
.s-blocked.cell, .chip.s-blocked { background: var(--block-bg); color: var(--block); }
.s-waiting.cell, .chip.s-waiting { background: var(--wait-bg); color: var(--wait); }
.s-manual.cell, .chip.s-manual { background: var(--manual-bg); color: var(--manual); }
td.cell i.why { color: inherit; font-weight:600; }
ol.timeline { list-style:none; padding-left:0; }
ol.timeline li { border-left:3px solid var(--wait); padding:.2rem .6rem; margin:.2rem 0; }
ol.timeline time { font-family: ui-monospace, monospace; margin-right:.5rem; }
button.suspend { color: var(--block); }
.tag { font-size:11px; background:#eaeef2; padding:0 .3rem; border-radius:3px; }
dl.facts { display:grid; grid-template-columns: max-content 1fr; gap:.25rem 1rem; }
dl.facts dt { color: var(--muted); }
nav.pager { display:flex; gap:1rem; padding:.5rem 0; }
ol.waves { padding-left: 0; list-style: none; }
#help { position:fixed; right:1rem; bottom:1rem; background:#fff; border:1px solid var(--line); padding:1rem; box-shadow:0 4px 12px #0003; }
`;

// Live updates: the server's event stream says when the fleet changed; the page then re-fetches its own
// URL and swaps <main id="live">, keeping the selected row. Keyboard: j/k (or arrows) move between rows,
// Enter opens one, / focuses the search, f goes to the fleet, w to the waves, ? shows the keys.
const SCRIPT = `
(function () {
  'use strict';
  var live = function () { return document.getElementById('live'); };
  var selectedKey = null;
  function rows() { return Array.prototype.slice.call(document.querySelectorAll('tr.row[data-href]')); }
  function select(row) {
    rows().forEach(function (r) { r.classList.remove('selected'); });
    if (!row) return;
    row.classList.add('selected');
    row.focus({ preventScroll: false });
    selectedKey = row.getAttribute('data-key');
  }
  function reselect() {
    if (!selectedKey) return;
    var row = rows().filter(function (r) { return r.getAttribute('data-key') === selectedKey; })[0];
    if (row) select(row);
  }
  function refresh() {
    if (!window.htmx || !live()) return;
    window.htmx.ajax('GET', location.pathname + location.search, { target: '#live', select: '#live', swap: 'outerHTML' })
      .then(reselect);
  }
  // The stream is closed when the page is left: a page kept in the back/forward cache would otherwise hold
  // its connection, and after six pages the browser's per-host limit leaves none for the next page.
  var events = null;
  function listen() {
    events = new EventSource('/ui/events');
    events.addEventListener('fleet', function (event) {
      var version = JSON.parse(event.data).version;
      var current = live() && live().getAttribute('data-version');
      if (String(version) !== current) refresh();
    });
  }
  if (window.EventSource && live()) {
    listen();
    window.addEventListener('pagehide', function () { if (events) { events.close(); events = null; } });
    window.addEventListener('pageshow', function (event) { if (event.persisted && !events) listen(); });
  }
  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA')) {
      if (event.key === 'Escape') target.blur();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var list = rows();
    var index = list.indexOf(document.querySelector('tr.row.selected'));
    if (event.key === 'j' || event.key === 'ArrowDown') { select(list[Math.min(index + 1, list.length - 1)]); event.preventDefault(); }
    else if (event.key === 'k' || event.key === 'ArrowUp') { select(list[Math.max(index - 1, 0)]); event.preventDefault(); }
    else if (event.key === 'Enter' && index >= 0) { location.href = list[index].getAttribute('data-href'); }
    else if (event.key === '/') { var q = document.getElementById('q'); if (q) { q.focus(); event.preventDefault(); } }
    else if (event.key === 'f') { location.href = '/ui'; }
    else if (event.key === 'w') { location.href = '/ui/waves'; }
    else if (event.key === '?') { toggleHelp(); }
  });
  function toggleHelp() {
    var help = document.getElementById('help');
    if (help) { help.remove(); return; }
    help = document.createElement('div');
    help.id = 'help';
    help.innerHTML = '<strong>Keys</strong><br>j / k or arrows: move between runtimes<br>Enter: open the runtime<br>/: search<br>f: fleet · w: waves<br>?: close this';
    document.body.appendChild(help);
  }
})();
`;

const require = createRequire(import.meta.url);
let htmxScript: Promise<Buffer> | undefined;

export async function readAsset(name: string): Promise<Asset | undefined> {
  if (name === 'ui.css') return { contentType: 'text/css; charset=utf-8', body: STYLE };
  if (name === 'ui.js') return { contentType: 'text/javascript; charset=utf-8', body: SCRIPT };
  if (name === 'htmx.min.js') {
    htmxScript ??= readFile(require.resolve('htmx.org/dist/htmx.min.js'));
    return { contentType: 'text/javascript; charset=utf-8', body: await htmxScript };
  }
  return undefined;
}
