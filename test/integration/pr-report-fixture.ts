// A pull request in a real git repository in a temp folder: the demo config, simulator scenario and
// tokens (so the embedded simulator keeps its state in the temp folder), and two commits of pins —
// base: examples/pins as they are; head: Prod West Atom bumped to 26.12.0, an HTTP Client pin added to
// QA Molecule, the public-cloud-us-east AtomVersion
// removed. Plus the CLI run in-process with its output
// captured.

import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, vi } from 'vitest';
import { main } from '../../controller/cli/main.js';

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'atomsync test',
  GIT_AUTHOR_EMAIL: 'test@atomsync.invalid',
  GIT_COMMITTER_NAME: 'atomsync test',
  GIT_COMMITTER_EMAIL: 'test@atomsync.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

export class PullRequestRepo {
  private constructor(
    /** The repository's folder: atomsync.yaml, sim/, pins/. */
    readonly root: string,
    readonly baseSha: string,
    readonly headSha: string,
  ) {}

  static async create(): Promise<PullRequestRepo> {
    const root = await mkdtemp(join(tmpdir(), 'atomsync-pr-repo-'));
    await cp(join(EXAMPLES, 'atomsync.yaml'), join(root, 'atomsync.yaml'));
    await cp(join(EXAMPLES, 'sim'), join(root, 'sim'), { recursive: true });
    await cp(join(EXAMPLES, 'pins'), join(root, 'pins'), { recursive: true });
    await writeFile(join(root, '.gitignore'), '.atomsync/\n');
    await git(root, 'init', '--initial-branch=main');
    const baseSha = await commit(root, 'base: the demo pins');
    await git(root, 'checkout', '-b', 'bump-prod-west');
    await editPins(root);
    const headSha = await commit(root, 'head: bump Prod West Atom, pin HTTP Client on QA Molecule');
    return new PullRequestRepo(root, baseSha, headSha);
  }

  get configFile(): string {
    return join(this.root, 'atomsync.yaml');
  }

  async write(path: string, content: string): Promise<void> {
    const file = join(this.root, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }

  async read(path: string): Promise<string> {
    return readFile(join(this.root, ...path.split('/')), 'utf8');
  }

  /** Commits everything on the current branch; returns the new commit's SHA. */
  async commit(message: string): Promise<string> {
    return commit(this.root, message);
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

async function editPins(root: string): Promise<void> {
  const prodFile = join(root, 'pins', 'acme-prod.yaml');
  let prod = await readFile(prodFile, 'utf8');
  prod = replaceOnce(
    prod,
    '  runtime: { name: Prod West Atom }\n  channel: released\n',
    '  runtime: { name: Prod West Atom }\n  version: 26.12.0\n',
  );
  // The last document of the file: the public cloud pin (blocked, NotOwned) goes away.
  const start = prod.indexOf(
    '---\napiVersion: atomsync.io/v1alpha1\nkind: AtomVersion\nmetadata:\n  name: public-cloud-us-east',
  );
  if (start < 0) throw new Error('examples/pins/acme-prod.yaml changed: public-cloud-us-east not found');
  await writeFile(prodFile, prod.slice(0, start));
  const devFile = join(root, 'pins', 'acme-dev.yaml');
  const dev = replaceOnce(
    await readFile(devFile, 'utf8'),
    '    - { name: Database, channel: pending }\n',
    '    - { name: Database, channel: pending }\n    - { name: HTTP Client, version: 26.12.0 }\n',
  );
  await writeFile(devFile, dev);
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`examples/pins changed: ${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}

async function commit(root: string, message: string): Promise<string> {
  await git(root, 'add', '-A');
  await git(root, 'commit', '--allow-empty', '-m', message);
  return (await git(root, 'rev-parse', 'HEAD')).trim();
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: gitEnv });
  return stdout;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `atomsync …` in-process (main(argv)) and captures what it writes. */
export async function runCli(...args: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'atomsync', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = 0;
  }
}

/** Replaces what changes from run to run (generation time, commit SHAs) with stable placeholders. */
export function normalize(text: string, repo: PullRequestRepo): string {
  return text
    .replaceAll(repo.baseSha, '<base-sha>')
    .replaceAll(repo.headSha, '<head-sha>')
    .replaceAll(repo.headSha.slice(0, 12), '<head-short>')
    .replace(/generated \S+Z\./g, 'generated <time>.')
    .replace(/"generatedAt": "[^"]+"/g, '"generatedAt": "<time>"')
    .replace(/"platformTime": "[^"]+"/g, '"platformTime": "<time>"');
}

const GOLDEN_DIR = fileURLToPath(new URL('./golden/', import.meta.url));

/** Compares with golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead (review the diff). */
export async function expectGolden(name: string, actual: string): Promise<void> {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    await mkdir(GOLDEN_DIR, { recursive: true });
    await writeFile(file, actual, 'utf8');
    return;
  }
  const expected = await readFile(file, 'utf8').catch(() => undefined);
  if (expected === undefined) throw new Error(`golden/${name} is missing; run with UPDATE_GOLDEN=1`);
  expect(actual).toBe(expected);
}
