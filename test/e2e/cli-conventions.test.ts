// Issue 11, CLI conventions: `plan -o json` wrote the text report to a file named `json`. Now -o is the
// output format everywhere and --out FILE writes a file and says so; colour follows --no-color,
// FORCE_COLOR and NO_COLOR; `apply` answered anything but 'yes' at its prompt exits 1 having sent nothing.
// The CLI runs in a temp copy of examples/ against the simulator over HTTP (one for the file).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACME_DEV, ACME_PROD, SimHandle } from '../integration/controller-harness.js';
import { ensureBuilt } from './support/build.js';
import { remoteConfig } from './support/remote-config.js';
import { runCli } from './support/run-cli.js';
import type { CliResult, RunCliOptions } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

const ANSI = '\u001b[';

let ws: Workspace;
let sim: SimHandle;
let json: CliResult;
let toFile: CliResult;
let forced: CliResult;
let forcedButNoColor: CliResult;
let declined: CliResult;
let filesAfter: string[];

const cli = (args: string[], options: Partial<RunCliOptions> = {}) =>
  runCli([...args, '-c', 'remote.yaml'], { cwd: ws.dir, ...options });

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  sim = await SimHandle.start();
  await writeFile(ws.path('remote.yaml'), remoteConfig(sim.url));
  const filesBefore = await readdir(ws.dir);
  [json, toFile, forced, forcedButNoColor, declined] = await Promise.all([
    cli(['plan', '-o', 'json']),
    cli(['plan', '-o', 'markdown', '--out', 'plan.md']),
    cli(['plan'], { env: { FORCE_COLOR: '1' } }),
    cli(['--no-color', 'plan'], { env: { FORCE_COLOR: '1' } }),
    cli(['apply'], { input: 'no\n' }),
  ]);
  filesAfter = (await readdir(ws.dir)).filter((name) => !filesBefore.includes(name));
}, 120_000);

afterAll(async () => {
  await sim?.close();
  await ws?.remove();
});

describe('-o is the output format, --out FILE the file', () => {
  it('plan -o json prints the JSON plan and writes no file named json', () => {
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ formatVersion: expect.any(String) });
    expect(filesAfter).not.toContain('json');
  });

  it('--out FILE writes the report there and says "wrote FILE"', async () => {
    expect(toFile.code).toBe(0);
    expect(toFile.stdout).toBe('');
    expect(toFile.stderr).toContain('wrote plan.md');
    expect(await readFile(ws.path('plan.md'), 'utf8')).toContain('|');
  });
});

describe('colour', () => {
  it('FORCE_COLOR colours the report even into a pipe (it overrides NO_COLOR)', () => {
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(ANSI);
  });

  it('--no-color wins over FORCE_COLOR', () => {
    expect(forcedButNoColor.code).toBe(0);
    expect(forcedButNoColor.stdout).not.toContain(ANSI);
    expect(forcedButNoColor.stdout).toContain('Requests, in apply order');
  });
});

describe('apply cancelled at the prompt', () => {
  it("exits 1 when the answer is not 'yes', and sends nothing", async () => {
    expect(declined.code).toBe(1);
    expect(declined.stdout).toContain("Only 'yes' is accepted:");
    expect(declined.stdout).toContain('Apply cancelled; nothing was sent.');
    expect(await sim.versionRequestsCreated(ACME_PROD)).toBe(0);
    expect(await sim.versionRequestsCreated(ACME_DEV)).toBe(0);
  });
});
