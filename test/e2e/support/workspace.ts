// Each test file gets its own copy of examples/ in a temp folder, so its embedded platform keeps its
// state in its own stateDir (<copy>/.atomsync) and tests never see each other's worlds.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { EXAMPLES_DIR } from './repo.js';

export interface Workspace {
  /** The temp folder holding the copy of examples/. */
  dir: string;
  /** The copy's atomsync.yaml (absolute). */
  config: string;
  /** An absolute path inside the copy. */
  path(...parts: string[]): string;
  remove(): Promise<void>;
}

/** Copies examples/ without any state a local run left in it (.atomsync/). */
export async function copyExamples(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'atomsync-e2e-'));
  await cp(EXAMPLES_DIR, dir, {
    recursive: true,
    filter: (source) => basename(source) !== '.atomsync',
  });
  return {
    dir,
    config: join(dir, 'atomsync.yaml'),
    path: (...parts) => join(dir, ...parts),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** An empty temp folder (e.g. a working directory away from the config). */
export async function emptyTempDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'atomsync-e2e-cwd-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
