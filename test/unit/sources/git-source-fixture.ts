// Real git repositories in a temp folder: a bare "remote" and a working clone to commit and push from.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rename, rm, writeFile, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'atomsync test',
  GIT_AUTHOR_EMAIL: 'test@atomsync.invalid',
  GIT_COMMITTER_NAME: 'atomsync test',
  GIT_COMMITTER_EMAIL: 'test@atomsync.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

export class GitFixture {
  private constructor(
    readonly root: string,
    readonly remote: string,
    readonly work: string,
    readonly stateDir: string,
  ) {}

  static async create(): Promise<GitFixture> {
    const root = await mkdtemp(join(tmpdir(), 'atomsync-git-source-'));
    const fixture = new GitFixture(root, join(root, 'remote.git'), join(root, 'work'), join(root, 'state'));
    await git(root, 'init', '--bare', '--initial-branch=main', fixture.remote);
    await git(root, 'init', '--initial-branch=main', fixture.work);
    return fixture;
  }

  get url(): string {
    return `file://${this.remote}`;
  }

  async write(path: string, content: string): Promise<void> {
    const file = join(this.work, ...path.split('/'));
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }

  async remove(path: string): Promise<void> {
    await unlink(join(this.work, ...path.split('/')));
  }

  /** Commits everything and pushes it; returns the new commit's SHA. */
  async commitAndPush(message: string, options: { force?: boolean } = {}): Promise<string> {
    await git(this.work, 'add', '-A');
    await git(this.work, 'commit', '--allow-empty', '-m', message);
    await git(this.work, 'push', ...(options.force ? ['--force'] : []), this.remote, 'HEAD:refs/heads/main');
    return this.head();
  }

  /** Rewrites history: drops the last commit and pushes a different one in its place (a force-push). */
  async rewriteLastCommit(path: string, content: string): Promise<string> {
    await git(this.work, 'reset', '--hard', 'HEAD~1');
    await this.write(path, content);
    return this.commitAndPush('rewritten', { force: true });
  }

  async head(): Promise<string> {
    return (await git(this.work, 'rev-parse', 'HEAD')).trim();
  }

  async makeRemoteUnreachable(): Promise<void> {
    await rename(this.remote, `${this.remote}.away`);
  }

  async bringRemoteBack(): Promise<void> {
    await rename(`${this.remote}.away`, this.remote);
  }

  async dispose(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run('git', args, { cwd, env: gitEnv });
  return stdout;
}
