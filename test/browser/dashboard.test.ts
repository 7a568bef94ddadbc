// The dashboard in a real headless Chromium, as a new user meets it: `atomsync ui` (plan-only) against
// the demo world served by `atomsync sim` (a separate program, manual clock so restarts finish when the
// test says). Replays issue 15's observations: nobody could see the fleet across accounts (the matrix
// equals the plan), drill into one runtime (its pins, blocked reasons, origin file:line), or watch
// atomsync's work happen (a cell changes live while the simulator applies a request).
import { readFile, writeFile } from 'node:fs/promises';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureBuilt } from '../e2e/support/build.js';
import { parsePlanJson, type PlanJson } from '../e2e/support/plan-json.js';
import { runCli } from '../e2e/support/run-cli.js';
import { copyExamples, type Workspace } from '../e2e/support/workspace.js';
import { launchChromium } from './support/browser.js';
import { serve, type Served } from './support/long-running.js';
import { screenshotForDocs } from './support/screenshots.js';

// The machine may be shared and slow: one browser, generous timeouts, never a timed assertion.
vi.setConfig({ testTimeout: 60_000 });

const ADMIN = `Basic ${Buffer.from('BOOMI_TOKEN.admin@demo.atomsync:demo-admin-token').toString('base64')}`;
const STATE_OF: Record<string, string> = {
  InSync: 'in-sync',
  Blocked: 'blocked',
  Waiting: 'waiting',
  Manual: 'manual',
  ApplyPending: 'drifted',
  Rollback: 'drifted',
  ApplyPackPending: 'drifted',
  ReattachPack: 'drifted',
};

let ws: Workspace;
let sim: Served;
let ui: Served;
let browser: Browser;
let page: Page;
let plan: PlanJson;

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  sim = await serve(
    [
      'sim',
      '--scenario',
      ws.path('sim', 'demo.yaml'),
      '--listen',
      '127.0.0.1:0',
      '--clock',
      'manual',
      '--rate-limit',
      '0',
    ],
    ws.dir,
    /serving (http:\/\/[^/\s]+)/,
  );
  const config = (await readFile(ws.config, 'utf8')).replace(
    /embedded: \{ scenario: sim\/demo.yaml \}/,
    `url: ${sim.url}`,
  );
  await writeFile(ws.config, config);
  const planned = await runCli(['plan', '--config', 'atomsync.yaml', '--format', 'json'], { cwd: ws.dir });
  plan = parsePlanJson(planned.stdout);
  ui = await serve(
    ['ui', '--config', 'atomsync.yaml', '--listen', '127.0.0.1:0', '--interval', '300ms'],
    ws.dir,
    /at (http:\/\/[^/\s]+)\/ui/,
  );
  browser = await launchChromium();
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await sim?.stop();
  await ws?.remove();
});

/** Logs in through the form as a user does, and lands on the fleet (or says what the page showed). */
async function logIn(on: Page, base: string, token: string): Promise<void> {
  await on.goto(`${base}/ui/login`, { waitUntil: 'load' });
  await on.type('input[name="token"]', token);
  await Promise.all([on.waitForNavigation(), on.click('form button')]);
  expect(new URL(on.url()).pathname, await on.$eval('main', (main) => main.textContent ?? '')).toBe('/ui');
}

async function cellStates(): Promise<Record<string, string>> {
  return page.$$eval('tr.row td.cell', (cells) =>
    Object.fromEntries(
      cells.map((cell) => [
        `${cell.closest('tr')?.getAttribute('data-key')}|${cell.getAttribute('data-column')}`,
        cell.getAttribute('data-state') ?? '',
      ]),
    ),
  );
}

/** Browser-side code as text: the test program is type-checked without the DOM library. */
async function waitForCellState(selector: string, state: string): Promise<void> {
  const cell = `document.querySelector(${JSON.stringify(selector)})`;
  await page.waitForFunction(`${cell}?.getAttribute('data-state') === ${JSON.stringify(state)}`, {
    timeout: 20_000,
  });
}

function columnOf(pin: PlanJson['pins'][number]): string {
  return pin.kind === 'runtime' ? 'runtime' : `${pin.kind}:${pin.name}`;
}

describe('the fleet matrix', () => {
  it('shows every pin of the plan as a cell coloured by its outcome', async () => {
    await screenshotForDocs(page, `${ui.url}/ui`, 'fleet');
    await screenshotForDocs(page, `${ui.url}/ui/runtime/integration/prod-west-atom`, 'runtime');
    await screenshotForDocs(page, `${ui.url}/ui/waves`, 'waves');
    await page.goto(`${ui.url}/ui`, { waitUntil: 'load' });
    const expected = Object.fromEntries(
      plan.pins.map((pin) => [`${pin.key}|${columnOf(pin)}`, STATE_OF[pin.outcome] ?? '?']),
    );
    expect(await cellStates()).toEqual(expected);
    const groups = await page.$$eval('tr.group th', (rows) => rows.map((row) => row.textContent?.trim()));
    expect(groups).toContain('acme-prod PROD');
    expect(groups).toContain('acme-dev TEST');
  });

  it('filters by outcome with a deep link that survives a reload', async () => {
    await page.select('select[name="state"]', 'blocked');
    await page.waitForFunction("location.search.includes('state=blocked')");
    await page.waitForFunction("document.querySelectorAll('tr.row').length === 3");
    await page.reload({ waitUntil: 'load' });
    const shown = await page.$$eval('tr.row', (rows) => rows.map((row) => row.getAttribute('data-key')));
    const blockedKeys = [...new Set(plan.blocked.map((pin) => pin.key))].sort();
    expect(shown.sort()).toEqual(blockedKeys);
  });
});

/** The AtomVersion keys of the rows on the page, in order. */
async function shownKeys(): Promise<string[]> {
  return page.$$eval('tr.row', (rows) => rows.map((row) => row.getAttribute('data-key') ?? ''));
}

async function pagerText(): Promise<string> {
  return page.$eval('nav.pager', (nav) => (nav.textContent ?? '').replace(/\s+/g, ' ').trim());
}

describe('paging', () => {
  it('pages the fleet with next/previous links that are deep links: every runtime once, in the same order', async () => {
    const all = [...new Set(plan.pins.map((pin) => pin.key))];
    await page.goto(`${ui.url}/ui`, { waitUntil: 'load' });
    const unpaged = await shownKeys();
    expect([...unpaged].sort()).toEqual([...all].sort());

    await page.goto(`${ui.url}/ui?size=4`, { waitUntil: 'load' });
    const seen: string[] = [];
    const pagers: string[] = [];
    for (;;) {
      seen.push(...(await shownKeys()));
      pagers.push(await pagerText());
      const next = await page.$('nav.pager a[rel="next"]');
      if (!next) break;
      await Promise.all([page.waitForNavigation(), next.click()]);
    }
    expect(seen).toEqual(unpaged);
    const pages = Math.ceil(all.length / 4);
    expect(pagers).toHaveLength(pages);
    expect(pagers[0]).toContain(`Rows 1–4 of ${all.length}`);
    expect(pagers[pages - 1]).toContain(`page ${pages} of ${pages}`);
    expect(page.url()).toBe(`${ui.url}/ui?page=${pages}&size=4`);
    await page.reload({ waitUntil: 'load' });
    expect(await shownKeys()).toEqual(seen.slice((pages - 1) * 4));
    await Promise.all([page.waitForNavigation(), page.click('nav.pager a[rel="prev"]')]);
    expect(await shownKeys()).toEqual(seen.slice((pages - 2) * 4, (pages - 1) * 4));
  });

  it('pages the waves in wave order: every planned request once, TEST waves first', async () => {
    await page.goto(`${ui.url}/ui/waves?size=3`, { waitUntil: 'load' });
    const requests: { wave: number; runtime: string; kind: string }[] = [];
    for (;;) {
      requests.push(
        ...(await page.$$eval('li.wave table.requests tbody tr', (rows) =>
          rows.map((row) => {
            const cells = [...row.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim());
            return {
              wave: Number(cells[0]),
              runtime: cells[1] ?? '',
              kind: (cells[3] ?? '').split(' ')[0] ?? '',
            };
          }),
        )),
      );
      const next = await page.$eval('nav.pager', (nav) =>
        nav.querySelector('a[rel="next"]')?.getAttribute('href'),
      );
      if (!next) break;
      await Promise.all([page.waitForNavigation(), page.click('nav.pager a[rel="next"]')]);
      expect(page.url()).toBe(`${ui.url}${next}`);
    }
    expect(requests).toHaveLength(plan.changes.length);
    const waves = requests.map((request) => request.wave);
    expect(waves).toEqual([...waves].sort((a, b) => a - b));
    expect(requests.map((r) => `${r.runtime}|${r.kind}`).sort()).toEqual(
      plan.changes.map((change) => `${change.runtimeName}|${change.kind}`).sort(),
    );
    expect(page.url()).toMatch(/\/ui\/waves\?page=\d+&size=3$/);
  });
});

describe('moving around', () => {
  it('keeps loading pages after many visits and Back presses: a page left behind does not keep its live stream open', async () => {
    // Chromium allows six connections per host; each page's event stream held one until it was closed on pagehide.
    for (let visit = 0; visit < 8; visit++) {
      await page.goto(`${ui.url}/ui?size=${visit + 1}`, { waitUntil: 'load', timeout: 10_000 });
      await page.goto(`${ui.url}/ui/waves`, { waitUntil: 'load', timeout: 10_000 });
      await page.goBack({ waitUntil: 'load', timeout: 10_000 });
      expect(await page.$$eval('tr.row', (rows) => rows.length)).toBe(visit + 1);
    }
  });
});

describe('deep links and the keyboard', () => {
  it('opens a filtered view from its URL alone, with the filters shown in the form', async () => {
    const fresh = await browser.newPage();
    try {
      await fresh.goto(`${ui.url}/ui?account=acme-prod&env=PROD&state=blocked`, { waitUntil: 'load' });
      const form = await fresh.$$eval('select', (selects) =>
        Object.fromEntries(
          selects.map((select) => [
            select.getAttribute('name'),
            (select as unknown as { value: string }).value,
          ]),
        ),
      );
      expect(form).toEqual({ account: 'acme-prod', env: 'PROD', state: 'blocked' });
      const keys = await fresh.$$eval('tr.row', (rows) => rows.map((row) => row.getAttribute('data-key')));
      // Of acme-prod's blocked runtimes only Prod West Atom is in a PROD environment (the public cloud is in none).
      const blockedInAccount = plan.blocked
        .filter((pin) => pin.accountId === 'acme-prod-D4E5F6')
        .map((pin) => pin.key);
      expect(blockedInAccount).toContain('integration/prod-west-atom');
      expect(new Set(blockedInAccount).size).toBeGreaterThan(1);
      expect(keys).toEqual(['integration/prod-west-atom']);
      await fresh.goto(`${ui.url}/ui/runtime/integration/staging-atom`, { waitUntil: 'load' });
      expect(await fresh.$eval('h1', (h1) => h1.textContent)).toContain('Staging Atom');
    } finally {
      await fresh.close();
    }
  });

  it('moves with j/k and the arrows, searches with /, goes to the waves with w and back with f, shows the keys with ?', async () => {
    await page.goto(`${ui.url}/ui`, { waitUntil: 'load' });
    const keys = await shownKeys();
    const focused = (): Promise<unknown> =>
      page.evaluate(
        "document.activeElement && (document.activeElement.getAttribute('data-key') || document.activeElement.id)",
      );
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    expect(await focused()).toBe(keys[1]);
    await page.keyboard.press('ArrowDown');
    expect(await focused()).toBe(keys[2]);
    await page.keyboard.press('k');
    await page.keyboard.press('ArrowUp');
    expect(await focused()).toBe(keys[0]);

    await page.keyboard.press('/');
    expect(await focused()).toBe('q');
    await page.keyboard.press('j');
    expect(await page.$eval('#q', (q) => (q as unknown as { value: string }).value)).toBe('j');
    await page.keyboard.press('Escape');
    // Escape empties a search field, and the filter form follows it 300 ms later by pushing /ui?…&q= onto
    // the history; that same-document navigation must be over before w is pressed, or it is the one awaited.
    await page.waitForFunction(
      "new URLSearchParams(location.search).get('q') === '' && !document.querySelector('.htmx-request')",
    );

    await page.keyboard.press('?');
    expect(await page.$eval('#help', (help) => help.textContent)).toContain('Enter: open the runtime');
    await page.keyboard.press('?');
    expect(await page.$('#help')).toBeNull();

    await Promise.all([page.waitForNavigation(), page.keyboard.press('w')]);
    expect(page.url()).toBe(`${ui.url}/ui/waves`);
    await Promise.all([page.waitForNavigation(), page.keyboard.press('f')]);
    expect(page.url()).toBe(`${ui.url}/ui`);
  });
});

describe('following a runtime', () => {
  it('opens the runtime page from the keyboard and shows the blocked reason, what to do and the pin file:line', async () => {
    await page.goto(`${ui.url}/ui?q=Prod%20West`, { waitUntil: 'load' });
    await page.keyboard.press('j');
    await page.waitForSelector('tr.row.selected');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(page.url()).toBe(`${ui.url}/ui/runtime/integration/prod-west-atom`);
    const text = await page.$eval('#live', (main) => (main as unknown as { innerText: string }).innerText);
    expect(text).toContain('InstallBaseLock');
    expect(text).toMatch(/pins\/acme-prod\.yaml:\d+/);
    const blocked = plan.blocked.find((pin) => pin.key === 'integration/prod-west-atom');
    expect(blocked?.advice).toBeTruthy();
    expect(text).toContain(blocked?.advice);
  });
});

describe('live updates', () => {
  it('turns a cell from drifted to waiting to in sync while the simulator applies the request, without a reload', async () => {
    const change = plan.changes.find((request) => request.keys.includes('integration/dev-atom'));
    const devRuntime = plan.pins.find((pin) => pin.key === 'integration/dev-atom' && pin.kind === 'runtime');
    expect(change?.kind).toBe('AtomVersionUpdateRequest');
    await page.goto(`${ui.url}/ui?account=acme-dev`, { waitUntil: 'load' });
    const cell = 'tr[data-key="integration/dev-atom"] td[data-column="runtime"]';
    expect(await page.$eval(cell, (td) => td.getAttribute('data-state'))).toBe('drifted');
    await page.evaluate('window.notReloaded = true');
    const accountId = devRuntime?.accountId ?? '';
    const sent = await fetch(`${sim.url}/api/rest/v1/${accountId}/AtomVersionUpdateRequest`, {
      method: 'POST',
      headers: { Authorization: ADMIN, 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        '@type': 'AtomVersionUpdateRequest',
        atomId: (devRuntime as { runtimeId?: string }).runtimeId,
        action: change?.action,
        components: change?.components,
      }),
    });
    expect(sent.ok).toBe(true);
    await waitForCellState(cell, 'waiting');
    await fetch(`${sim.url}/_sim/clock`, {
      method: 'POST',
      headers: { Authorization: ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ advance: '2h' }),
    });
    await waitForCellState(cell, 'in-sync');
    expect(await page.evaluate('window.notReloaded')).toBe(true);
    expect(page.url()).toBe(`${ui.url}/ui?account=acme-dev`);
  });
});

describe('off loopback', () => {
  const TOKEN = 'dashboard-test-token';
  let guarded: Served;
  let base: string;

  beforeAll(async () => {
    const config = await readFile(ws.config, 'utf8');
    await writeFile(ws.path('guarded.yaml'), `${config}\nserver: { tokenEnv: ATOMSYNC_UI_TOKEN }\n`);
    guarded = await serve(
      ['ui', '--config', 'guarded.yaml', '--listen', '0.0.0.0:0', '--interval', '1s'],
      ws.dir,
      /at (http:\/\/[^/\s]+)\/ui/,
      { ATOMSYNC_UI_TOKEN: TOKEN },
    );
    base = guarded.url.replace('0.0.0.0', '127.0.0.1');
  }, 120_000);

  afterAll(async () => {
    await guarded?.stop();
  });

  it('refuses the dashboard and the status API without the token, and never shows the token', async () => {
    const response = await page.goto(`${base}/ui`, { waitUntil: 'load' });
    expect(response?.status()).toBe(401);
    expect(await page.$('table.matrix')).toBeNull();
    expect(await page.$('input[name="token"]')).not.toBeNull();
    const api = await fetch(`${base}/api/v1/atomversions`);
    expect(api.status).toBe(401);
    const events = await fetch(`${base}/ui/events`);
    expect(events.status).toBe(401);
    const withToken = await fetch(`${base}/api/v1/atomversions`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(withToken.status).toBe(200);
    expect(await page.content()).not.toContain(TOKEN);
  });

  it('lets a user in with the token through the login form; the session cookie does not hold the token', async () => {
    await logIn(page, base, TOKEN);
    await page.waitForSelector('table.matrix', { timeout: 30_000 });
    const cookies = await page.cookies();
    expect(cookies.map((cookie) => cookie.value).join(' ')).not.toContain(TOKEN);
    expect(await page.$$eval('tr.row', (rows) => rows.length)).toBe(
      new Set(plan.pins.map((p) => p.key)).size,
    );
  });
});

describe('actions under atomsync run', () => {
  const TOKEN = 'run-dashboard-token';
  let controller: Served;
  const runtimeUrl = (): string => `${controller.url}/ui/runtime/integration/prod-west-atom`;

  beforeAll(async () => {
    const config = await readFile(ws.config, 'utf8');
    await writeFile(ws.path('run.yaml'), `${config}\nserver: { tokenEnv: ATOMSYNC_UI_TOKEN }\n`);
    controller = await serve(
      ['run', '--config', 'run.yaml', '--listen', '127.0.0.1:0', '--log-format', 'json'],
      ws.dir,
      /"url":"(http:\/\/[^"]+)"/,
      { ATOMSYNC_UI_TOKEN: TOKEN },
    );
    // The dashboard knows the AtomVersions once the controller has read its sources (/readyz).
    const deadline = Date.now() + 60_000;
    while ((await fetch(`${controller.url}/readyz`)).status !== 200) {
      if (Date.now() > deadline) throw new Error(`atomsync run never got ready:\n${controller.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 120_000);

  afterAll(async () => {
    await controller?.stop();
  });

  /** Opens the dashboard's event stream and resolves with its first fleet event. */
  async function firstFleetEvent(base: string): Promise<void> {
    const stream = await fetch(`${base}/ui/events`);
    const reader = stream.body!.getReader();
    let text = '';
    while (!text.includes('event: fleet')) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the event stream ended before a fleet event: ${text}`);
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
  }

  /** waitForSelector, failing with what the page shows instead (a flake once left no clue). */
  async function waitForOrExplain(operator: Page, selector: string): Promise<void> {
    try {
      await operator.waitForSelector(selector, { timeout: 30_000 });
    } catch (error) {
      const shown = await operator
        .$eval('#live', (live) => `${live.outerHTML.slice(0, 300)} … ${live.textContent ?? ''}`)
        .catch((why: unknown) => `no #live: ${String(why)}`);
      throw new Error(`${selector} never showed on ${operator.url()}; the page shows: ${shown}`, {
        cause: error,
      });
    }
  }

  /**
   * Clicks the action's button until its POST is seen: the controller is at work, so the live refresh may
   * redraw the page (and replace the button) just as it is clicked.
   */
  async function press(operator: Page, action: 'suspend' | 'resume'): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await operator.waitForSelector(`button.${action}`, { timeout: 30_000 });
      const answered = operator
        .waitForResponse((response) => response.url().endsWith(`/${action}`), { timeout: 5_000 })
        .then(
          (response) => response.status(),
          () => undefined,
        );
      await operator.click(`button.${action}`).catch(() => undefined);
      const status = await answered;
      if (status !== undefined) {
        expect(status).toBe(200);
        return;
      }
    }
    throw new Error(`the ${action} button never sent its request`);
  }

  it('shows no Reconcile, Suspend or Resume button to a viewer without the token, only the way to log in', async () => {
    const anonymous = await browser.createBrowserContext();
    try {
      const viewer = await anonymous.newPage();
      const response = await viewer.goto(runtimeUrl(), { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(await viewer.$('button.reconcile')).toBeNull();
      expect(await viewer.$('button.suspend')).toBeNull();
      expect(await viewer.$('button.resume')).toBeNull();
      expect(await viewer.$('a.login')).not.toBeNull();
      const refused = await fetch(`${runtimeUrl()}/suspend`, {
        method: 'POST',
        headers: { 'HX-Request': 'true' },
      });
      expect(refused.status).toBe(401);
    } finally {
      await anonymous.close();
    }
  });

  it('keeps the login form and what is typed into it while the fleet changes (the login page is not live)', async () => {
    // The login page was refreshed with the fleet like the other pages: on opening (its live stream
    // sent the fleet's version) and at each change the form was swapped, taking the half-typed token with
    // it ("That token is not valid", or a click on a button no longer in the page).
    const session = await browser.createBrowserContext();
    try {
      const visitor = await session.newPage();
      const asked: string[] = [];
      visitor.on('request', (request) => asked.push(new URL(request.url()).pathname));
      await visitor.goto(`${controller.url}/ui/login`, { waitUntil: 'load' });
      const field = await visitor.waitForSelector('input[name="token"]');
      await field!.type('run-dash');
      // A live page's stream gets the fleet's version as it connects: once a stream opened now has had
      // it, and the network is quiet, a live login page would have swapped its form.
      await firstFleetEvent(controller.url);
      await visitor.waitForNetworkIdle({ idleTime: 300, concurrency: 1 });
      expect(asked.filter((path) => path === '/ui/events' || path === '/ui/login')).toEqual(['/ui/login']);
      expect(await field!.evaluate((input) => input.isConnected)).toBe(true);
      expect(await field!.evaluate((input) => (input as unknown as { value: string }).value)).toBe(
        'run-dash',
      );
    } finally {
      await session.close();
    }
  });

  it('suspends and resumes the AtomVersion with the buttons once logged in with the token', async () => {
    const session = await browser.createBrowserContext();
    try {
      const operator = await session.newPage();
      await logIn(operator, controller.url, TOKEN);
      expect((await operator.cookies()).map((cookie) => cookie.name)).toContain('atomsync_session');
      await operator.goto(runtimeUrl(), { waitUntil: 'load' });
      await waitForOrExplain(operator, 'button.suspend');
      expect(await operator.$('button.reconcile')).not.toBeNull();

      await press(operator, 'suspend');
      await operator.waitForSelector('button.resume', { timeout: 30_000 });
      expect(await operator.$eval('dd.suspended', (dd) => dd.textContent)).toContain('by dashboard');
      const status = (await (
        await fetch(`${controller.url}/api/v1/atomversions/integration/prod-west-atom`, {
          headers: { Authorization: `Bearer ${TOKEN}` },
        })
      ).json()) as { suspended?: { by: string } };
      expect(status.suspended?.by).toBe('dashboard');

      await press(operator, 'resume');
      await operator.waitForSelector('button.suspend', { timeout: 30_000 });
      expect(await operator.$('dd.suspended')).toBeNull();
    } finally {
      await session.close();
    }
  });
});
