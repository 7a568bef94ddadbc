// The verbs against the controller at work (issue 15: "no --watch", "no history verb"; the runtime page
// — and `describe runtime`, its text — shows "history and the AuditLog entries behind its changes").
// One simulator (in-process, manual clock, over HTTP on loopback) plays the platform; the real CLI runs
// `get runtimes --watch` against it while `atomsync run` sends the demo's requests; then `history` and
// `describe runtime` read what the controller did and what the platform's AuditLog says about it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SimHandle } from '../integration/controller-harness.js';
import { serve, type Served } from '../browser/support/long-running.js';
import { ensureBuilt } from './support/build.js';
import { CLI_BIN } from './support/repo.js';
import { runCli } from './support/run-cli.js';
import { copyExamples, type Workspace } from './support/workspace.js';

vi.setConfig({ testTimeout: 90_000 });

let ws: Workspace;
let sim: SimHandle;
let controller: Served;
const cli = (...args: string[]) => runCli(args, { cwd: ws.dir });

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  sim = await SimHandle.start({ clock: 'manual', scenarioFile: ws.path('sim', 'demo.yaml') });
  const config = (await readFile(ws.config, 'utf8')).replace(
    /embedded: \{ scenario: sim\/demo.yaml \}/,
    `url: ${sim.url}`,
  );
  await writeFile(ws.config, config);
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  await sim?.close();
  await ws?.remove();
});

/** A long-running CLI process whose stdout the test reads as it comes. */
function started(args: string[]): { child: ChildProcess; stdout: () => string; exited: Promise<number> } {
  const child = spawn(process.execPath, [CLI_BIN, ...args], {
    cwd: ws.dir,
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return { child, stdout: () => stdout, exited };
}

/** Polls the condition every 100 ms; `eachSecond` runs once a second meanwhile (time passing on the platform). */
async function until(
  condition: () => boolean,
  what: string,
  eachSecond?: () => Promise<void>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let poll = 1; !condition(); poll++) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (poll % 10 === 0) await eachSecond?.();
  }
}

/** The table's rows by AtomVersion key → STATE column, in the order printed. */
function rowsOf(text: string): { key: string; state: string }[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('integration/'))
    .map((line) => {
      const cells = line.split(/\s{3,}/);
      return { key: cells[0] ?? '', state: cells[4] ?? '' };
    });
}

/** The lines under a heading of `describe`'s text, up to the next blank line. */
function sectionOf(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) return '';
  const body = text.slice(start + heading.length + 2);
  const end = body.indexOf('\n\n');
  return end < 0 ? body : body.slice(0, end);
}

describe('atomsync get runtimes --watch', () => {
  it('prints the table once, then a new row each time a runtime changes, and stops cleanly on Ctrl-C', async () => {
    const watch = started([
      'get',
      'runtimes',
      '-c',
      'atomsync.yaml',
      '-l',
      'account=acme-dev',
      '--watch',
      '--interval',
      '300ms',
    ]);
    await until(() => rowsOf(watch.stdout()).length >= 2, 'the first table');
    const first = rowsOf(watch.stdout());
    expect(first.map((row) => row.state)).toContain('drifted');
    const firstLength = watch.stdout().length;

    controller = await serve(
      ['run', '-c', 'atomsync.yaml', '--listen', '127.0.0.1:0', '--log-format', 'json'],
      ws.dir,
      /"url":"(http:\/\/[^"]+)"/,
    );
    const later = (): string => watch.stdout().slice(firstLength);
    await until(() => rowsOf(later()).some((row) => row.state === 'waiting'), 'a row turning waiting');
    // Time goes on while the run converges: a runtime whose request waited for a restart slot (the cap is
    // shared with the other accounts' restarts) is sent after the first jump and needs time to restart too.
    await sim.advance('2h');
    await until(
      () => rowsOf(later()).filter((row) => row.state === 'in-sync').length >= first.length,
      'every acme-dev runtime in sync',
      () => sim.advance('2h'),
    );

    expect(later().match(/^NAME\s/gm) ?? []).toEqual([]);
    const changedKeys = new Set(rowsOf(later()).map((row) => row.key));
    expect([...changedKeys].sort()).toEqual(first.map((row) => row.key).sort());
    watch.child.kill('SIGINT');
    expect(await watch.exited).toBe(0);
  });
});

describe('atomsync describe runtime', () => {
  it('shows the controller’s history and the AuditLog entries behind the runtime’s change: who, by API, which request, from which version to which', async () => {
    const fromController = await cli('describe', 'runtime', 'dev-atom', '--url', controller.url);
    expect(fromController.code, fromController.stderr).toBe(0);
    const history = sectionOf(fromController.stdout, 'History (reconcile passes, newest first):');
    const requestId = /AtomVersionUpdateRequest [^(]*\((atomupdate-[\w-]+)\)/.exec(history)?.[1];
    expect(requestId, history).toBeTruthy();
    const audited = sectionOf(
      fromController.stdout,
      'AuditLog (the platform’s entries about this runtime, newest first):',
    );
    expect(audited).toMatch(/^ {2}AT\s+WHO\s+VIA\s+WHAT\s+CHANGES\s+MESSAGE/m);
    const accepted = audited.split('\n').find((line) => line.includes(`(request ${requestId})`));
    expect(accepted, audited).toMatch(
      /admin@demo\.atomsync\s+API\s+as\.atom\.version \w+ ACCEPTED\s+Atom \S+ → \S+/,
    );

    const planOnly = await cli('describe', 'runtime', 'dev-atom', '-c', 'atomsync.yaml');
    expect(planOnly.code, planOnly.stderr).toBe(0);
    expect(planOnly.stdout).toContain(accepted?.trim());
    expect(planOnly.stdout).not.toContain('History (');
  });
});

describe('atomsync history NAME', () => {
  it('lists the controller’s reconcile passes of one AtomVersion, newest first, with the request it sent; the same from the stateDir once the controller stopped', async () => {
    const fromController = await cli(
      'history',
      'integration/dev-atom',
      '--url',
      controller.url,
      '-o',
      'json',
    );
    const parsed = JSON.parse(fromController.stdout) as {
      kind: string;
      items: { key: string; history: { actions: { requestId?: string }[] }[] }[];
    };
    expect(parsed.kind).toBe('History');
    expect(parsed.items[0]?.history.flatMap((pass) => pass.actions).some((a) => a.requestId)).toBe(true);
    await controller.stop();

    const result = await cli('history', 'dev-atom', '-c', 'atomsync.yaml');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toBe('integration/dev-atom');
    expect(lines[1]).toMatch(/^AT\s+TRIGGER\s+REVISION\s+RESULT\s+REQUESTS/);
    expect(result.stdout).toMatch(/AtomVersionUpdateRequest \S+ .*\(\S+\)/);
    const dates = lines.slice(2).map((line) => line.split(/\s+/)[0] ?? '');
    expect(dates).toEqual([...dates].sort().reverse());
    expect(lines.length - 2).toBeGreaterThanOrEqual(parsed.items[0]?.history.length ?? 1);
  });

  it('names an AtomVersion it has no history of in one line, exit 1', async () => {
    const unknown = await cli('history', 'no-such-atom', '-c', 'atomsync.yaml');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain('no history of "no-such-atom"');
  });
});
