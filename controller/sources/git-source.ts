// Desired state from a branch of a git repository. The repository is mirrored into a bare cache
// (`<stateDir>/git/<hash of url and branch>`), fetched on an interval with ±10 % jitter and at once on
// triggerNow() (a webhook). Pins are read from the fetched commit's tree, never from a working tree, so
// nothing local can make them differ from the commit. The revision is the commit SHA.
//
// A commit whose pins do not load cleanly is not half-applied: the source keeps the last good commit's
// pins and reports the bad commit (problems and `error`), as it does while the remote is unreachable.
// Snapshots are emitted only when the fetched commit or the error state changes.

import { createHash } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleGit, GitPluginError, type SimpleGit } from 'simple-git';
import type { DesiredPackRelease } from '../domain/pack-release-types.js';
import type { DesiredAtomVersion } from '../domain/types.js';
import { CoalescingRunner } from '../util/coalescing-runner.js';
import { realTimers, type TimerHandle, type Timers } from '../util/timers.js';
import { GitAuthError, gitEnvironment, redact, type GitAuth } from './git-environment.js';
import {
  DEFAULT_MAX_FILE_BYTES,
  formatProblem,
  loadPinContents,
  ParsedPinFiles,
  type LoadPinsOptions,
  type PinFileContent,
  type PinProblem,
} from './load-pins.js';
import {
  GitBlobCache,
  isRegularFile,
  parseLsTree,
  readTreeFiles,
  type GitProcessOptions,
  type TreeEntry,
  type TreeFile,
} from './git-tree.js';
import type { Source, SourceError, SourceSnapshot } from './source.js';
import { namespaceOfFile, pathInside, type SourceNamespaces } from './source-namespaces.js';

export type { GitAuth } from './git-environment.js';

export interface GitSourceOptions {
  url: string;
  /** Default `main`. */
  branch?: string;
  /** Folder of pins inside the repository; default the whole repository. */
  path?: string;
  /** Default 60. */
  intervalSeconds?: number;
  /** The controller's state directory; the mirror lives in `<stateDir>/git/`. */
  stateDir: string;
  auth?: GitAuth;
  /** Each git call is killed after this long without output. Default 60. */
  timeoutSeconds?: number;
  name?: string;
  /** Fetch only the newest commit (default true). */
  shallow?: boolean;
  /** Where auth.tokenEnv is looked up and proxies come from; default process.env. */
  env?: NodeJS.ProcessEnv;
  timers?: Timers;
  random?: () => number;
  loadOptions?: Omit<LoadPinsOptions, 'origin' | 'relativeTo'>;
  /** The namespace(s) the config gives the pins; without it, each file's metadata.namespace. */
  namespaces?: SourceNamespaces;
}

export type GitSourceErrorCode =
  | 'GitAuthMissing'
  | 'GitFetchFailed'
  | 'BranchNotFound'
  | 'GitReadFailed'
  | 'PathNotFound'
  | 'InvalidRevision';

/** A git source configured in a way that can never work (bad url or branch). */
export class GitSourceConfigError extends Error {
  readonly code = 'InvalidGitSourceConfig';
  constructor(message: string) {
    super(message);
    this.name = 'GitSourceConfigError';
  }
}

interface Good {
  revision: string;
  desired: DesiredAtomVersion[];
  releases: DesiredPackRelease[];
  problems: PinProblem[];
}

/** What the pins at one commit turned out to be; cached so a bad commit is not re-read every interval. */
type Evaluation =
  | { sha: string; ok: true; good: Good }
  | { sha: string; ok: false; error: SourceError; problems: PinProblem[] };

const JITTER = 0.1;

/** The wait before the next fetch: the interval, ±10 %. */
export function nextFetchDelay(intervalMs: number, random: () => number = Math.random): number {
  return Math.round(intervalMs * (1 - JITTER + 2 * JITTER * random()));
}

/** The bare mirror's folder for a url and branch. */
export function gitCacheDir(stateDir: string, url: string, branch: string): string {
  const digest = createHash('sha256').update(`${url}\n${branch}`).digest('hex').slice(0, 24);
  return join(stateDir, 'git', digest);
}

export class GitSource implements Source {
  readonly name: string;
  readonly cacheDir: string;
  private readonly branch: string;
  private readonly path: string;
  private readonly timers: Timers;
  private readonly runner = new CoalescingRunner(() => this.sync());
  private readonly abort = new AbortController();
  private onChange?: (snapshot: SourceSnapshot) => void;
  private timer?: TimerHandle;
  private stopped = false;
  private lastGood?: Good;
  private fetchedSha?: string;
  private evaluation?: Evaluation;
  private lastEmitted?: string;
  private secrets: string[] = [];
  private environment: Record<string, string> = {};
  private readonly blobs = new GitBlobCache();
  private readonly parsed = new ParsedPinFiles();

  constructor(private readonly options: GitSourceOptions) {
    this.branch = options.branch ?? 'main';
    this.path = normalizeRepoPath(options.path ?? '');
    validate(options.url, this.branch);
    this.name =
      options.name ?? `git:${redact(options.url, [])}#${this.branch}${this.path ? `:${this.path}` : ''}`;
    this.cacheDir = gitCacheDir(options.stateDir, options.url, this.branch);
    this.timers = options.timers ?? realTimers;
  }

  async start(onChange: (snapshot: SourceSnapshot) => void): Promise<void> {
    this.onChange = onChange;
    await this.syncNow();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    this.abort.abort();
    await this.runner.idle();
  }

  triggerNow(): void {
    void this.syncNow();
  }

  /** Fetches and reads now; resolves once a fetch that started after the call is done. Never rejects. */
  async syncNow(): Promise<void> {
    if (this.stopped) return;
    this.clearTimer();
    await this.runner.run();
    this.scheduleNext();
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    this.clearTimer();
    const intervalMs = (this.options.intervalSeconds ?? 60) * 1000;
    this.timer = this.timers.setTimeout(
      () => this.triggerNow(),
      nextFetchDelay(intervalMs, this.options.random),
    );
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async sync(): Promise<void> {
    if (this.stopped) return;
    const snapshot = await this.fetchAndRead();
    if (this.stopped) return;
    const identity = [this.fetchedSha ?? '', snapshot.error?.code ?? '', snapshot.error?.message ?? ''].join(
      '\n',
    );
    if (identity === this.lastEmitted) return;
    this.lastEmitted = identity;
    try {
      this.onChange?.(snapshot);
    } catch {
      // a failing listener must not stop the source
    }
  }

  private async fetchAndRead(): Promise<SourceSnapshot> {
    let git: SimpleGit;
    try {
      git = await this.openMirror();
    } catch (error) {
      return this.failed(this.describe(error, 'GitReadFailed', 'cannot prepare the git mirror'));
    }
    let sha: string;
    try {
      sha = await this.fetch(git);
    } catch (error) {
      return this.failed(
        this.describe(error, 'GitFetchFailed', `cannot fetch ${this.branch} from ${this.displayUrl()}`),
      );
    }
    this.fetchedSha = sha;
    if (this.evaluation?.sha !== sha) {
      try {
        this.evaluation = await this.evaluate(git, sha);
      } catch (error) {
        return this.failed(this.describe(error, 'GitReadFailed', `cannot read commit ${short(sha)}`));
      }
    }
    if (this.evaluation.ok) {
      this.lastGood = this.evaluation.good;
      return this.lastGood;
    }
    return this.failed(this.evaluation.error, this.evaluation.problems);
  }

  /** The last good pins with the current error; the newest problems when there are some. */
  private failed(error: SourceError, problems?: PinProblem[]): SourceSnapshot {
    const base = this.lastGood ?? { revision: '', desired: [], problems: [] };
    const current = this.evaluation && !this.evaluation.ok ? this.evaluation.problems : base.problems;
    return { ...base, problems: problems ?? current, error };
  }

  private async openMirror(): Promise<SimpleGit> {
    await mkdir(this.cacheDir, { recursive: true });
    const environment = gitEnvironment(
      this.options.auth,
      this.options.env ?? process.env,
      join(this.options.stateDir, 'git', 'known_hosts'),
    );
    this.secrets = environment.secrets;
    this.environment = environment.env;
    // GIT_DIR: never discover a repository above the cache (the state dir may sit inside a checkout).
    const git = simpleGit({
      baseDir: this.cacheDir,
      timeout: { block: (this.options.timeoutSeconds ?? 60) * 1000 },
      abort: this.abort.signal,
      unsafe: environment.unsafe,
    }).env({ ...environment.env, GIT_DIR: this.cacheDir });
    if (!(await isBareRepository(git))) {
      await rm(this.cacheDir, { recursive: true, force: true });
      await mkdir(this.cacheDir, { recursive: true });
      await git.init(true);
    }
    return git;
  }

  /** Fetches the branch; `+` makes a force-push move the ref too. Returns the commit SHA. */
  private async fetch(git: SimpleGit): Promise<string> {
    const ref = `refs/remotes/origin/${this.branch}`;
    const depth = this.options.shallow === false ? [] : ['--depth=1'];
    await git.raw([
      'fetch',
      '--no-tags',
      '--no-write-fetch-head',
      ...depth,
      this.options.url,
      `+refs/heads/${this.branch}:${ref}`,
    ]);
    return (await git.raw(['rev-parse', '--verify', `${ref}^{commit}`])).trim();
  }

  private async evaluate(git: SimpleGit, sha: string): Promise<Evaluation> {
    const files = await this.listYamlFiles(git, sha);
    if (files === undefined) {
      const message = `commit ${short(sha)} of ${this.branch} has no ${this.path}; check the git source's path`;
      return { sha, ok: false, error: { code: 'PathNotFound', message }, problems: [] };
    }
    const loadOptions = this.options.loadOptions ?? {};
    const contents = await readTreeFiles(
      this.blobs,
      this.gitProcess(),
      files,
      loadOptions.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    );
    const { desired, releases, problems } = loadPinContents(
      this.withNamespaces(contents),
      // Pins of one runtime are kept: the controller refuses each with a status (domain/pin-refusals.ts).
      { duplicateRuntimes: 'keep', ...loadOptions, origin: { source: 'git', revision: sha } },
      this.parsed,
    );
    this.parsed.prune();
    if (problems.length === 0) return { sha, ok: true, good: { revision: sha, desired, releases, problems } };
    return { sha, ok: false, error: this.invalidCommit(sha, problems), problems };
  }

  private withNamespaces(contents: PinFileContent[]): PinFileContent[] {
    const rules = this.options.namespaces;
    if (!rules) return contents;
    return contents.map((content) => ({
      ...content,
      namespace: namespaceOfFile(rules, pathInside(this.path, content.file)),
    }));
  }

  /** How git runs against the mirror: its environment, never discovering a repository above it. */
  private gitProcess(): GitProcessOptions {
    return {
      cwd: this.cacheDir,
      env: { ...this.environment, GIT_DIR: this.cacheDir },
      timeoutMs: (this.options.timeoutSeconds ?? 60) * 1000,
      signal: this.abort.signal,
    };
  }

  private invalidCommit(sha: string, problems: PinProblem[]): SourceError {
    const first = problems[0] ? formatProblem(problems[0]) : '';
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    const keeping = this.lastGood
      ? `still using ${short(this.lastGood.revision)}`
      : 'no earlier good commit to use';
    return {
      code: 'InvalidRevision',
      message: `commit ${short(sha)} of ${this.branch} has ${count} in its pins (first: ${first}); ${keeping}`,
    };
  }

  /** The YAML blobs under the path at the commit; undefined when the path does not exist there. */
  private async listYamlFiles(git: SimpleGit, sha: string): Promise<TreeFile[] | undefined> {
    const pathspec = this.path ? ['--', this.path] : [];
    const output = await git.raw(['ls-tree', '-r', '-z', '-l', '--full-tree', sha, ...pathspec]);
    const entries = parseLsTree(output);
    if (entries.length === 0 && this.path && !(await pathExists(git, sha, this.path))) return undefined;
    return entries.filter((entry) => isPinFile(entry, this.path));
  }

  private describe(error: unknown, fallbackCode: GitSourceErrorCode, context: string): SourceError {
    if (error instanceof GitAuthError) return { code: error.code, message: error.message };
    if (error instanceof GitPluginError && error.plugin === 'timeout') {
      return {
        code: fallbackCode,
        message: `${context}: git did not answer within ${this.options.timeoutSeconds ?? 60} s`,
      };
    }
    const detail = gitMessage(error);
    const code: GitSourceErrorCode = /couldn't find remote ref/i.test(detail)
      ? 'BranchNotFound'
      : fallbackCode;
    return { code, message: redact(`${context}: ${detail}`, this.secrets) };
  }

  private displayUrl(): string {
    return redact(this.options.url, []);
  }
}

/** Regular YAML files, not symlinks, and nothing hidden below the configured path. */
function isPinFile(entry: TreeEntry, base: string): boolean {
  if (!isRegularFile(entry)) return false;
  if (!/\.ya?ml$/i.test(entry.path)) return false;
  const below = base && entry.path.startsWith(`${base}/`) ? entry.path.slice(base.length + 1) : entry.path;
  return !below.split('/').some((segment) => segment.startsWith('.') || segment === '');
}

async function pathExists(git: SimpleGit, sha: string, path: string): Promise<boolean> {
  try {
    await git.raw(['cat-file', '-e', `${sha}:${path}`]);
    return true;
  } catch {
    return false;
  }
}

async function isBareRepository(git: SimpleGit): Promise<boolean> {
  try {
    return (await git.raw(['rev-parse', '--is-bare-repository'])).trim() === 'true';
  } catch {
    return false;
  }
}

function normalizeRepoPath(path: string): string {
  const parts = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.includes('..'))
    throw new GitSourceConfigError(`git source path ${path} must stay inside the repository`);
  return parts.join('/');
}

function validate(url: string, branch: string): void {
  if (!url || url.startsWith('-'))
    throw new GitSourceConfigError(
      `git source url ${JSON.stringify(redact(url, []))} is not a repository url`,
    );
  if (
    !/^[A-Za-z0-9._/-]+$/.test(branch) ||
    branch.startsWith('-') ||
    branch.includes('..') ||
    branch.endsWith('/')
  ) {
    throw new GitSourceConfigError(`git source branch ${JSON.stringify(branch)} is not a valid branch name`);
  }
}

/**
 * git's own words, one line per message. Elapsed times curl puts in its messages are dropped, so the
 * same failure reads the same each time (and is not re-emitted as a new error).
 */
function gitMessage(error: unknown): string {
  const text = (error instanceof Error ? error.message : String(error)).replace(
    / after \d+ (ms|milliseconds)/g,
    '',
  );
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.join('; ').slice(0, 600) || 'git failed without a message';
}

function short(sha: string): string {
  return sha.slice(0, 12);
}
