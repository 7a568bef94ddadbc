// A local git repository read for the pull-request report: refs resolve to commits, and pins are read
// from a commit's tree (git objects), never from the working tree, so uncommitted edits cannot leak in.
// git runs with the git source's safe environment: no prompts, no pager, English messages.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { gitEnvironment, redact } from '../sources/git-environment.js';
import { ParsedPinFiles } from '../sources/load-pins.js';
import {
  GitBlobCache,
  isRegularFile,
  parseLsTree,
  readTreeFiles,
  type FileContent,
  type TreeFile,
} from '../sources/git-tree.js';
import { PrReportError } from './pr-error.js';

const GIT_TIMEOUT_MS = 60_000;

export type { FileContent, TreeFile };

export class GitRepository {
  /** Shared by every commit read, so base and head read their common files once. */
  private readonly blobs = new GitBlobCache();
  /** Pin files parsed at one commit, reused at the other when their blob is the same. */
  readonly parsed = new ParsedPinFiles();

  private constructor(
    private readonly git: SimpleGit,
    /** The repository's top-level folder, as git reports it. */
    readonly root: string,
    private readonly env: Record<string, string>,
  ) {}

  static async open(path: string): Promise<GitRepository> {
    const environment = gitEnvironment(undefined, process.env, join(tmpdir(), 'atomsync-known-hosts'));
    let git: SimpleGit;
    let root: string;
    try {
      git = simpleGit({ baseDir: path, timeout: { block: GIT_TIMEOUT_MS }, unsafe: environment.unsafe });
      git.env(environment.env);
      root = (await git.raw(['rev-parse', '--show-toplevel'])).trim();
    } catch (error) {
      throw new PrReportError(
        'NotAGitRepository',
        `${path} is not inside a git repository (${gitMessage(error)}); pass --repo with the repository's folder`,
      );
    }
    return new GitRepository(git, root, environment.env);
  }

  /** The full SHA of the commit `ref` names (a branch, tag, SHA or expression like `HEAD~1`). */
  async resolveCommit(ref: string, flag: string): Promise<string> {
    if (ref === '' || ref.startsWith('-') || /[\s\0]/.test(ref)) {
      throw new PrReportError('InvalidRef', `${flag} ${JSON.stringify(ref)} is not a git ref`);
    }
    let sha = '';
    try {
      sha = (await this.git.raw(['rev-parse', '--verify', `${ref}^{commit}`])).trim();
    } catch {
      // reported below
    }
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) {
      throw new PrReportError(
        'UnknownRef',
        `${flag} ${ref} names no commit in ${this.root}; fetch it first (in GitHub Actions check out with ` +
          '`fetch-depth: 0` so the base commit is present)',
      );
    }
    return sha;
  }

  /** Whether `path` (a folder or file inside the repository; '' for the root) exists at `sha`. */
  async exists(sha: string, path: string): Promise<boolean> {
    if (path === '') return true;
    try {
      const type = (await this.git.raw(['cat-file', '-t', `${sha}:${path}`])).trim();
      return type === 'tree' || type === 'blob';
    } catch {
      return false;
    }
  }

  /** Regular files under `paths` at `sha` (symlinks and submodules left out), with their sizes. */
  async listFiles(sha: string, paths: readonly string[]): Promise<TreeFile[]> {
    const pathspec = paths.includes('') ? [] : ['--', ...paths];
    const output = await this.run(
      ['--literal-pathspecs', 'ls-tree', '-r', '-z', '-l', '--full-tree', sha, ...pathspec],
      sha,
    );
    return parseLsTree(output)
      .filter(isRegularFile)
      .map(({ path, oid, size }) => ({ path, oid, ...(size === undefined ? {} : { size }) }));
  }

  /** The files' contents (one git process for all; blobs already read for another commit are kept). */
  async readFiles(sha: string, files: readonly TreeFile[], maxBytes: number): Promise<FileContent[]> {
    const git = { cwd: this.root, env: this.env, timeoutMs: GIT_TIMEOUT_MS };
    try {
      return await readTreeFiles(this.blobs, git, files, maxBytes);
    } catch (error) {
      throw new PrReportError(
        'GitReadFailed',
        `cannot read commit ${sha.slice(0, 12)} in ${this.root}: ${gitMessage(error)}`,
      );
    }
  }

  private async run(args: string[], sha: string): Promise<string> {
    try {
      return await this.git.raw(args);
    } catch (error) {
      throw new PrReportError(
        'GitReadFailed',
        `cannot read commit ${sha.slice(0, 12)} in ${this.root}: ${gitMessage(error)}`,
      );
    }
  }
}

function gitMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const line = text
    .split('\n')
    .map((part) => part.trim())
    .find((part) => part !== '');
  return redact(line ?? 'git failed', []);
}
