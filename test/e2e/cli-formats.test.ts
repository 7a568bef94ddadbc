// The plan's three formats, as a reviewer (markdown in a PR), a script (JSON) and a terminal (text) see
// them. All plans read one fresh demo world.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './support/build.js';
import { parsePlanJson } from './support/plan-json.js';
import { runCli } from './support/run-cli.js';
import type { RunCliOptions } from './support/run-cli.js';
import { copyExamples } from './support/workspace.js';
import type { Workspace } from './support/workspace.js';

const ANSI_ESCAPE = '\u001b[';
const ACCOUNTS = ['acme-dev-G7H8I9 (acme-dev)', 'acme-eu-J1K2L3 (acme-eu)', 'acme-prod-D4E5F6 (acme-prod)'];

let ws: Workspace;
const plan = (args: string[], options: Partial<RunCliOptions> = {}) =>
  runCli(['plan', '--config', 'atomsync.yaml', ...args], { cwd: ws.dir, ...options });

beforeAll(async () => {
  await ensureBuilt();
  ws = await copyExamples();
}, 120_000);

afterAll(async () => {
  await ws?.remove();
});

describe('plan --format markdown', () => {
  it('starts with the hidden marker a PR comment is found by, and has one table per account', async () => {
    const result = await plan(['--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('<!-- atomsync:plan -->\n')).toBe(true);
    for (const account of ACCOUNTS) {
      const section = result.stdout.split(`### ${account}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, account).toMatch(/^\| runtime \| pin \| current \| target \| outcome \|$/m);
    }
    expect(result.stdout).toContain(
      '| EU Atom | Atom | 26.11.0 | 26.12.0 | Blocked: InsufficientPrivilege |',
    );
  });
});

describe('plan --format json', () => {
  it('parses, has format version "1" and keeps drift apart from changes', async () => {
    const result = await plan(['--format', 'json']);
    expect(result.code).toBe(0);
    const json = parsePlanJson(result.stdout);
    expect(json.formatVersion).toBe('2');
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['generatedAt', 'summary', 'drift', 'changes', 'pins', 'blocked', 'manual']),
    );
    expect(json.changes).toHaveLength(6);
    expect(json.summary['requests']).toBe(6);
    expect(json.blocked).toHaveLength(3);
    expect(json.summary['blocked']).toBe(3);
    expect(json.manual).toEqual([]);
    expect(json.drift.length).toBe(json.summary['drifted']);
  });

  it('--out writes the report to the file and nothing to stdout', async () => {
    const result = await plan(['--format', 'json', '--out', 'plan.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    const written = parsePlanJson(await readFile(ws.path('plan.json'), 'utf8'));
    expect(written.formatVersion).toBe('2');
    expect(written.changes).toHaveLength(6);
  });
});

describe('plan --format text', () => {
  it('has no colour escapes with NO_COLOR set', async () => {
    const result = await plan([], { env: { NO_COLOR: '1' } });
    expect(result.stdout).toContain('Plan: 6 requests');
    expect(result.stdout).not.toContain(ANSI_ESCAPE);
  });

  it('has no colour escapes when stdout is not a terminal, even without NO_COLOR', async () => {
    const result = await plan([], { env: { NO_COLOR: undefined } });
    expect(result.stdout).toContain('Plan: 6 requests');
    expect(result.stdout).not.toContain(ANSI_ESCAPE);
  });
});
