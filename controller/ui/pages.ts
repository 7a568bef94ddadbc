// The dashboard's pages, rendered on the server. Each page wraps its changing part in <main id="live">;
// the client script re-fetches that part when the event stream says the fleet changed.
import type { PlannedRequest } from '../domain/types.js';
import type { ReconcileRecord } from '../domain/status.js';
import { CELL_STATES, type CellState, type FleetCell, type FleetRow, type FleetView } from './fleet-view.js';
import {
  DEFAULT_PAGE_SIZE,
  pageOf,
  queryToUrl,
  wavesPageOf,
  wavesUrl,
  type FleetQuery,
  type WavesPage,
  type WavesQuery,
} from './fleet-query.js';
import { html, type Html } from './html.js';
import { isRestart } from '../platform/audit-log.js';
import { LOOKBACK_DAYS } from './audit-trail.js';

export interface PageContext {
  /** Feed version: the client compares it with the event stream's. */
  version: number;
  /** Actions (reconcile now) are offered: a token is configured, the viewer presented it, a controller runs. */
  canAct: boolean;
  /** A token is configured but this viewer has not logged in. */
  canLogIn: boolean;
  /** Why the latest observation failed, while the page shows an older one. */
  error?: string;
}

const STATE_LABEL: Record<CellState, string> = {
  'in-sync': 'in sync',
  drifted: 'drifted (change planned)',
  blocked: 'blocked',
  waiting: 'waiting (request in flight)',
  manual: 'manual',
};

function runtimeHref(key: string): string {
  return `/ui/runtime/${key.split('/').map(encodeURIComponent).join('/')}`;
}

function layout(title: string, view: FleetView | undefined, context: PageContext, body: Html): string {
  const mode =
    view?.mode === 'plan-only'
      ? 'plan-only: observes and plans, never writes'
      : view?.mode === 'controller'
        ? 'controller'
        : '';
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} · atomsync</title>
        <link rel="stylesheet" href="/ui/assets/ui.css" />
        <script src="/ui/assets/htmx.min.js" defer></script>
        <script src="/ui/assets/ui.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/ui">atomsync</a>
          <nav><a href="/ui" accesskey="m">Fleet</a> <a href="/ui/waves" accesskey="w">Waves</a></nav>
          <span class="mode">${mode}</span>
          ${context.canLogIn ? html`<a class="login" href="/ui/login">Log in to act</a>` : ''}
          <span class="keys" title="keyboard"
            >j/k move · Enter open · / search · f fleet · w waves · ? help</span
          >
        </header>
        ${body}
      </body>
    </html> `.text;
}

export function loadingPage(context: PageContext): string {
  return layout(
    'Fleet',
    undefined,
    context,
    html`<main id="live" data-version="${context.version}">
      <p class="note">Observing the platform for the first time…</p>
      ${errorNote(context)}
    </main>`,
  );
}

export function matrixPage(view: FleetView, query: FleetQuery, context: PageContext): string {
  return layout(
    'Fleet',
    view,
    context,
    html`${filterForm(view, query)}${legend()}${matrixLive(view, query, context)}`,
  );
}

function filterForm(view: FleetView, query: FleetQuery): Html {
  const environments = ['TEST', 'PROD', '—'];
  return html`<form
    class="filters"
    action="/ui"
    method="get"
    hx-get="/ui"
    hx-target="#live"
    hx-select="#live"
    hx-swap="outerHTML"
    hx-push-url="true"
    hx-trigger="change, keyup changed delay:300ms from:#q"
  >
    <label
      >Account
      <select name="account">
        <option value="">all</option>
        ${view.accounts.map(
          (account) => html`<option ${account === query.account ? 'selected' : ''}>${account}</option>`,
        )}
      </select></label
    >
    <label
      >Environment
      <select name="env">
        <option value="">all</option>
        ${environments.map(
          (env) => html`<option ${env === query.environment ? 'selected' : ''}>${env}</option>`,
        )}
      </select></label
    >
    <label
      >Outcome
      <select name="state">
        <option value="">all</option>
        ${CELL_STATES.map(
          (state) =>
            html`<option value="${state}" ${state === query.state ? 'selected' : ''}>
              ${STATE_LABEL[state]}
            </option>`,
        )}
      </select></label
    >
    <label
      >Runtime <input id="q" name="q" type="search" value="${query.text ?? ''}" placeholder="name contains…"
    /></label>
    <noscript><button>Filter</button></noscript>
  </form>`;
}

function legend(): Html {
  return html`<p class="legend">
    ${CELL_STATES.map((state) => html`<span class="chip s-${state}">${STATE_LABEL[state]}</span>`)}<span
      class="hint"
      >each cell: current · pinned → target · pending · rollback</span
    >
  </p>`;
}

function matrixLive(view: FleetView, query: FleetQuery, context: PageContext): Html {
  const page = pageOf(view.rows, query);
  const summary = view.summary;
  return html`<main id="live" data-version="${context.version}" data-generated="${view.generatedAt}">
    ${errorNote(context)}${view.accountErrors.map((e) => html`<p class="error">account ${e.account}: ${e.message}</p>`)}
    <p class="summary">
      <strong>${summary.atomVersions}</strong> runtimes · ${summary.pins} pins: ${summary.inSync} in sync,
      ${summary.toChange} to change in ${summary.requests} request(s), ${summary.waiting} waiting,
      ${summary.blocked} blocked, ${summary.manual} manual · planned ${view.generatedAt}
    </p>
    <table class="matrix" id="matrix">
      <thead>
        <tr>
          <th>Runtime</th>
          ${view.columns.map((column) => html`<th scope="col">${columnTitle(column)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${groupedRows(page.rows, view.columns)}
      </tbody>
    </table>
    ${pager(page, query)}
  </main>`;
}

function groupedRows(rows: readonly FleetRow[], columns: readonly string[]): Html[] {
  const out: Html[] = [];
  let group = '';
  for (const row of rows) {
    const heading = `${row.account} · ${row.environment}`;
    if (heading !== group) {
      group = heading;
      out.push(
        html`<tr class="group">
          <th colspan="${columns.length + 1}">${row.account} <span class="env">${row.environment}</span></th>
        </tr>`,
      );
    }
    out.push(matrixRow(row, columns));
  }
  return out;
}

function matrixRow(row: FleetRow, columns: readonly string[]): Html {
  const cells = new Map(row.cells.map((cell) => [cell.column, cell]));
  return html`<tr
    class="row s-${row.state}"
    data-key="${row.key}"
    data-href="${runtimeHref(row.key)}"
    tabindex="-1"
  >
    <th scope="row">
      <a href="${runtimeHref(row.key)}">${row.runtimeName}</a
      >${row.suspended ? html` <span class="tag">suspended</span>` : ''}
      <div class="sub">${row.key}</div>
    </th>
    ${columns.map((column) => matrixCell(cells.get(column)))}
  </tr>`;
}

function matrixCell(cell: FleetCell | undefined): Html {
  if (!cell) return html`<td class="empty"></td>`;
  const target = cell.target ?? cell.pinned;
  const moves = target !== cell.current;
  return html`<td
    class="cell s-${cell.state}"
    data-column="${cell.column}"
    data-state="${cell.state}"
    ${cell.state === 'in-sync' ? '' : html`title="${cell.reason ?? cell.outcome}"`}
  >
    <b>${cell.current ?? '—'}</b
    >${moves ? html` → <b>${target}</b>` : ''}${cell.pinned !== target ? html`<i>pin ${cell.pinned}</i>` : ''}${cell.pending && cell.pending !== target ? html`<i>pending ${cell.pending}</i>` : ''}${cell.rollback && cell.rollback !== target ? html`<i>rollback ${cell.rollback}</i>` : ''}${cell.reason ? html`<i class="why">${cell.reason}</i>` : ''}
  </td>`;
}

function pager(page: ReturnType<typeof pageOf>, query: FleetQuery): Html {
  return pageNav(page, 'Rows', page.rows.length, (n) => queryToUrl(query, { page: n }));
}

/** "Rows 101–200 of 10000", previous/next links and "page 2 of 100", for any paged list. */
function pageNav(
  page: { first: number; total: number; page: number; pages: number },
  noun: string,
  shown: number,
  urlOf: (page: number) => string,
): Html {
  const last = page.first === 0 ? 0 : page.first + shown - 1;
  return html`<nav class="pager">
    ${noun} ${page.first}–${last} of ${page.total}
    ${page.page > 1 ? html`<a rel="prev" href="${urlOf(page.page - 1)}">previous</a>` : ''}
    ${page.page < page.pages ? html`<a rel="next" href="${urlOf(page.page + 1)}">next</a>` : ''}
    <span>page ${page.page} of ${page.pages}</span>
  </nav>`;
}

function columnTitle(column: string): string {
  if (column === 'runtime') return 'Runtime version';
  const [kind, ...name] = column.split(':');
  return `${name.join(':')} (${kind === 'pack' ? 'pack' : 'connector'})`;
}

export function runtimePage(view: FleetView, row: FleetRow, context: PageContext): string {
  const blocked = row.cells.filter((cell) => cell.state === 'blocked');
  const manual = row.cells.filter((cell) => cell.state === 'manual');
  const requests = view.waves
    .flatMap((wave) => wave.requests)
    .filter((request) => request.keys.includes(row.key));
  return layout(
    row.runtimeName,
    view,
    context,
    html`<main id="live" data-version="${context.version}" data-key="${row.key}">
      ${errorNote(context)}
      <p class="crumbs">
        <a href="/ui">Fleet</a> ›
        <a href="${queryToUrl({ account: row.account, page: 1, pageSize: DEFAULT_PAGE_SIZE })}"
          >${row.account}</a
        >
        › ${row.environment}
      </p>
      <h1 class="s-${row.state}">
        ${row.runtimeName} <span class="chip s-${row.state}">${STATE_LABEL[row.state]}</span>
      </h1>
      <dl class="facts">
        <dt>AtomVersion</dt>
        <dd>${row.key}</dd>
        <dt>Pinned in</dt>
        <dd class="origin">${row.origin}</dd>
        <dt>Account</dt>
        <dd>${row.account} (${row.accountId})</dd>
        <dt>Environment</dt>
        <dd>${row.environment}${row.environmentName ? ` — ${row.environmentName}` : ''}</dd>
        <dt>Runtime</dt>
        <dd>${row.runtimeType ?? 'not found'} ${row.runtimeStatus ?? ''}</dd>
        ${suspensionFact(row)}
      </dl>
      ${context.canAct ? actionButtons(row) : ''}
      <h2>Pins</h2>
      <table class="pins">
        <thead>
          <tr>
            <th>Pin</th>
            <th>Current</th>
            <th>Pinned</th>
            <th>Target</th>
            <th>Pending</th>
            <th>Rollback</th>
            <th>Outcome</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          ${row.cells.map(
            (cell) =>
              html`<tr class="s-${cell.state}" data-column="${cell.column}">
                <th scope="row">${cell.kind === 'runtime' ? 'runtime' : `${cell.kind} ${cell.name}`}</th>
                <td>${cell.current ?? '—'}</td>
                <td>${cell.pinned}</td>
                <td>${cell.target ?? '—'}</td>
                <td>${cell.pending ?? ''}</td>
                <td>${cell.rollback ?? ''}</td>
                <td><span class="chip s-${cell.state}">${cell.outcome}</span></td>
                <td>${cell.reason ? html`<code>${cell.reason}</code> ` : ''}${cell.message}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        blocked.length > 0
          ? html`<h2>Blocked: what to do</h2>
              <ul class="blocked">
                ${blocked.map((cell) => html`<li><strong>${cell.name}</strong> <code>${cell.reason ?? ''}</code>: ${cell.message}${cell.advice ? html`<br /><em>${cell.advice}</em>` : ''}</li>`)}
              </ul>`
          : ''
      }
      ${
        manual.length > 0
          ? html`<h2>Manual steps</h2>
              ${manual.map(
                (cell) =>
                  html`<h3>${cell.name}</h3>
                    <p>${cell.message}</p>
                    <ol>
                      ${(cell.manualSteps ?? []).map((step) => html`<li>${step}</li>`)}
                    </ol>`,
              )}`
          : ''
      }
      <h2>Planned requests</h2>
      ${requests.length === 0 ? html`<p class="note">none</p>` : requestTable(requests)}
      <h2>Requests in flight</h2>
      ${
        row.requests.length === 0
          ? html`<p class="note">none</p>`
          : html`<table>
              <thead>
                <tr>
                  <th>Request</th>
                  <th>Kind</th>
                  <th>Action</th>
                  <th>Components</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                ${row.requests.map(
                  (r) =>
                    html`<tr>
                      <td><code>${r.id}</code></td>
                      <td>${r.kind}</td>
                      <td>${r.action ?? ''}</td>
                      <td>${r.components.join(', ')}</td>
                      <td>${r.status}</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      ${statusSection(row)} ${auditSection(row)}
    </main>`,
  );
}

function suspensionFact(row: FleetRow): Html | string {
  if (row.suspension)
    return html`<dt>Suspended</dt>
      <dd class="suspended">
        by ${row.suspension.by} at ${row.suspension.at}: observed, but nothing is sent until it is resumed
      </dd>`;
  if (row.suspended)
    return html`<dt>Suspended</dt>
      <dd class="suspended">in the pins (spec.policy.suspend): lift it there</dd>`;
  return '';
}

/** Offered only to a viewer who presented the configured token, inside `atomsync run`. */
function actionButtons(row: FleetRow): Html {
  const href = runtimeHref(row.key);
  const post = (action: string, label: string): Html =>
    html`<button class="${action}" hx-post="${href}/${action}" hx-target="#action-result">${label}</button>`;
  const toggle = row.suspension ? post('resume', 'Resume') : row.suspended ? '' : post('suspend', 'Suspend');
  return html`<p class="actions">
    ${post('reconcile', 'Reconcile now')} ${toggle} <span id="action-result"></span>
  </p>`;
}

/** The AuditLog entries about this runtime: who changed it (in the platform's UI, by API, atomsync) and its restarts. */
function auditSection(row: FleetRow): Html | string {
  if (!row.audit) return '';
  const restarts = row.audit.filter(isRestart);
  const changes = row.audit.filter((entry) => !isRestart(entry));
  return html`<h2>Restarts</h2>
    ${
      restarts.length === 0
        ? html`<p class="note">No restart in the platform's AuditLog of the last ${LOOKBACK_DAYS} days.</p>`
        : html`<ol class="timeline restarts">
            ${[...restarts].reverse().map(
              (entry) =>
                html`<li>
                  <time>${entry.date}</time> ${entry.modifier ?? entry.action} · ${entry.userId ?? ''}
                  <span class="sub">${entry.message ?? ''}</span>
                </li>`,
            )}
          </ol>`
    }
    <h2>AuditLog</h2>
    ${
      changes.length === 0
        ? html`<p class="note">No AuditLog entry about this runtime in the last ${LOOKBACK_DAYS} days.</p>`
        : html`<table class="audit">
            <thead>
              <tr>
                <th>At</th>
                <th>Who</th>
                <th>Via</th>
                <th>What</th>
                <th>Changes</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              ${[...changes].reverse().map(
                (entry) =>
                  html`<tr>
                    <td>${entry.date}</td>
                    <td>${entry.userId ?? ''}</td>
                    <td>${entry.source ?? ''}</td>
                    <td>${entry.type} ${entry.action}${entry.modifier ? ` ${entry.modifier}` : ''}</td>
                    <td>
                      ${entry.properties.map((p) => `${p.name} ${p.previousValue ?? ''} → ${p.value ?? ''}`).join(', ')}
                    </td>
                    <td>${entry.message ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }`;
}

function restartTimeline(view: FleetView): Html | string {
  if (!view.restarts) return '';
  const shown = view.restarts.slice(0, RESTARTS_SHOWN);
  return html`<h2 id="restarts">Timeline of restarts</h2>
    ${
      shown.length === 0
        ? html`<p class="note">No restart in the platform's AuditLog of the last ${LOOKBACK_DAYS} days.</p>`
        : html`<ol class="timeline restarts">
            ${shown.map(
              (restart) =>
                html`<li>
                  <time>${restart.date}</time>
                  ${restart.key ? html`<a href="${runtimeHref(restart.key)}">${restart.runtimeName}</a>` : restart.runtimeName}
                  (${restart.account}) ${restart.modifier ?? 'RESTART'}
                  <span class="sub">${restart.message ?? ''}</span>
                </li>`,
            )}
          </ol>`
    }
    ${(view.auditErrors ?? []).map((e) => html`<p class="note">AuditLog of ${e.account} unreadable: ${e.message}</p>`)}`;
}

/** Newest restarts on the waves page. */
const RESTARTS_SHOWN = 50;

function statusSection(row: FleetRow): Html {
  const status = row.status;
  if (!status)
    return html`<h2>History</h2>
      <p class="note">No reconcile history: ${row.key} has not been reconciled by a controller.</p>`;
  return html`<h2>Conditions</h2>
    ${status.changedBy ? html`<p class="changed-by">Changed by: ${status.changedBy}</p>` : ''}
    <table>
      <thead>
        <tr>
          <th>Type</th>
          <th>Status</th>
          <th>Reason</th>
          <th>Message</th>
          <th>Since</th>
        </tr>
      </thead>
      <tbody>
        ${status.conditions.map(
          (c) =>
            html`<tr>
              <td>${c.type}</td>
              <td>${c.status}</td>
              <td>${c.reason}</td>
              <td>${c.message}</td>
              <td>${c.lastTransitionTime}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <h2>History</h2>
    <table class="history">
      <thead>
        <tr>
          <th>At</th>
          <th>Trigger</th>
          <th>Revision</th>
          <th>Result</th>
          <th>Requests</th>
          <th>Message</th>
        </tr>
      </thead>
      <tbody>
        ${[...status.history].reverse().map(historyRow)}
      </tbody>
    </table>`;
}

function historyRow(record: ReconcileRecord): Html {
  return html`<tr>
    <td>${record.at}</td>
    <td>${record.trigger}</td>
    <td><code>${record.revision.slice(0, 12)}</code></td>
    <td>${record.result}</td>
    <td>
      ${record.actions.map((a) => html`${a.kind}${a.action ? ` ${a.action}` : ''} ${a.components.join(', ')}${a.requestId ? html` <code>${a.requestId}</code>` : ''}<br />`)}
    </td>
    <td>${record.message ?? ''}</td>
  </tr>`;
}

function requestTable(requests: readonly PlannedRequest[]): Html {
  return html`<table class="requests">
    <thead>
      <tr>
        <th>Wave</th>
        <th>Runtime</th>
        <th>Class</th>
        <th>Request</th>
        <th>Components</th>
        <th>AtomVersions</th>
      </tr>
    </thead>
    <tbody>
      ${requests.map(
        (r) =>
          html`<tr>
            <td>${r.wave}</td>
            <td>${r.runtimeName}</td>
            <td>${r.classification ?? '—'}</td>
            <td>${r.kind}${r.action ? ` ${r.action}` : ''}</td>
            <td>
              ${r.packs ? r.packs.map((p) => `${p.name} ${p.fromVersion} → ${p.toVersion}`).join(', ') : r.components.join(', ')}
            </td>
            <td>${r.keys.map((key) => html`<a href="${runtimeHref(key)}">${key}</a> `)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

export function wavesPage(view: FleetView, query: WavesQuery, context: PageContext): string {
  const page = wavesPageOf(view.waves, query);
  const restartsIn = new Map(
    view.waves.map((wave) => [
      wave.wave,
      new Set(wave.requests.map((r) => `${r.accountId}/${r.runtimeId}`)).size,
    ]),
  );
  return layout(
    'Waves',
    view,
    context,
    html`<main id="live" data-version="${context.version}">
      ${errorNote(context)}
      <h1>Waves of the current plan</h1>
      <p class="note">
        TEST runtimes restart before unclassified ones, then PROD; each wave restarts at most the configured
        number of runtimes at once (maxConcurrentRestarts). Each runtime restarts once per wave, in this
        order.
      </p>
      ${view.waves.length === 0 ? html`<p class="note">Nothing to send: every pin is in sync, waiting, blocked or manual.</p>` : html`<p class="summary"><strong>${page.total}</strong> planned request(s) in ${page.waveCount} wave(s)</p>`}
      <ol class="waves">
        ${page.waves.map(
          (wave) =>
            html`<li class="wave" data-wave="${wave.wave}">
              <h2>
                Wave ${wave.wave}
                <span class="sub">${restartsIn.get(wave.wave) ?? 0} runtime(s) restart</span>
              </h2>
              ${requestTable(wave.requests)}
            </li>`,
        )}
      </ol>
      ${page.pages > 1 ? wavesPager(page, query) : ''} ${restartTimeline(view)}
    </main>`,
  );
}

function wavesPager(page: WavesPage, query: WavesQuery): Html {
  const shown = page.waves.reduce((n, wave) => n + wave.requests.length, 0);
  return pageNav(page, 'Requests', shown, (n) => wavesUrl(query, n));
}

export function notFoundPage(view: FleetView | undefined, context: PageContext, message: string): string {
  return layout(
    'Not found',
    view,
    context,
    html`<main id="live" data-version="${context.version}">
      <p class="error">${message}</p>
      <p><a href="/ui">Back to the fleet</a></p>
    </main>`,
  );
}

export function loginPage(message: string | undefined): string {
  return layout(
    'Log in',
    undefined,
    { version: 0, canAct: false, canLogIn: false },
    // Not live: refreshed with the fleet, the form was swapped while the user typed the token into it.
    html`<main>
      <h1>Log in</h1>
      ${message ? html`<p class="error">${message}</p>` : ''}
      <form method="post" action="/ui/login">
        <label>Token <input name="token" type="password" autocomplete="current-password" autofocus /></label>
        <button>Log in</button>
      </form>
      <p class="note">The token is the one configured in server.tokenEnv or server.tokenFile.</p>
    </main>`,
  );
}

function errorNote(context: PageContext): Html {
  return context.error
    ? html`<p class="error" role="alert">The latest observation failed: ${context.error}</p>`
    : html``;
}
