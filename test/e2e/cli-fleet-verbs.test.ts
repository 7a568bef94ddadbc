// kubectl-style verbs on the demo world (issue 15: "there is no way to list runtimes or accounts, no
// get/describe/history verb, no --watch, no shell completion, and the top-level --help has no
// examples"). Each command is the built CLI in its own process against the embedded platform.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson, type PlanJson } from './support/plan-json.js';
import { runCli } from './support/run-cli.js';
import { copyExamples, type Workspace } from './support/workspace.js';

let ws: Workspace;
let plan: PlanJson;
const cli = (...args: string[]) => runCli(args, { cwd: ws.dir });

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
  plan = parsePlanJson((await cli('plan', '-c', 'atomsync.yaml', '--format', 'json')).stdout);
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

describe('atomsync get', () => {
  it('lists every runtime of the pins as JSON, with its account, environment and state', async () => {
    const result = await cli('get', 'runtimes', '-c', 'atomsync.yaml', '-o', 'json');
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout) as {
      kind: string;
      items: { key: string; account: string; environment: string }[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((item) => item.key).sort()).toEqual(
      [...new Set(plan.pins.map((pin) => pin.key))].sort(),
    );
    expect(list.items.find((item) => item.key === 'integration/prod-west-atom')).toMatchObject({
      account: 'acme-prod',
      environment: 'PROD',
    });
  });

  it('filters pins with -l outcome=blocked and prints kubectl-style names', async () => {
    const result = await cli('get', 'pins', '-c', 'atomsync.yaml', '-l', 'outcome=blocked', '-o', 'name');
    expect(result.code).toBe(0);
    const expected = plan.blocked.map(
      (pin) => `pin/${pin.key}/${pin.kind === 'runtime' ? 'runtime' : `${pin.kind}:${pin.name}`}`,
    );
    expect(result.stdout.trim().split('\n').sort()).toEqual(expected.sort());
  });

  it('refuses an unknown resource, selector or name with exit 1 and one line', async () => {
    for (const args of [
      ['get', 'widgets'],
      ['get', 'runtimes', '-l', 'colour=red'],
      ['get', 'runtimes', 'no-such-runtime'],
    ]) {
      const result = await cli(...args, '-c', 'atomsync.yaml');
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('atomsync describe runtime', () => {
  it('shows the pins, the blocked reason, what to do and the file:line of the pin', async () => {
    const result = await cli('describe', 'runtime', 'prod-west-atom', '-c', 'atomsync.yaml');
    expect(result.code).toBe(0);
    const blocked = plan.blocked.find((pin) => pin.key === 'integration/prod-west-atom');
    expect(result.stdout).toContain('InstallBaseLock');
    expect(result.stdout).toContain(`What to do: ${blocked?.advice}`);
    expect(result.stdout).toMatch(/Pinned in: +pins\/acme-prod\.yaml:\d+/);
  });
});

describe('help and completion', () => {
  it('the top-level --help has examples, including the dashboard and get', async () => {
    const result = await cli('--help');
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('atomsync ui -c');
    expect(result.stdout).toContain('atomsync get runtimes');
  });

  it('completion bash is a script bash accepts, completing verbs and resources', async () => {
    const result = await cli('completion', 'bash');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('complete -o default -F _atomsync atomsync');
    expect(result.stdout).toMatch(/compgen -W '[^']*\bget\b[^']*\bdescribe\b/);
    const syntax = await new Promise<number>((resolve) => {
      const child = execFile('bash', ['-n'], (error) => resolve(error ? 1 : 0));
      child.stdin?.end(result.stdout);
    });
    expect(syntax).toBe(0);
    const fish = await cli('completion', 'fish');
    expect(fish.stdout).toContain("-a 'runtimes pins requests accounts'");
    expect((await cli('completion', 'tcsh')).code).toBe(1);
  });
});
