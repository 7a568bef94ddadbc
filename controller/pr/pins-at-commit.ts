// The AtomVersion pins as committed: the YAML files under the pin folders at one commit are copied from
// git objects into a temp folder laid out like the repository, then loaded with positions relative to
// that folder, so every problem names the file as it is in the repository (`pins/prod.yaml:12:7`).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DesiredAtomVersion } from '../domain/types.js';
import { loadPins, type PinProblem } from '../sources/load-pins.js';
import type { GitRepository, TreeFile } from './git-repository.js';

export interface PinsAtCommit {
  sha: string;
  desired: DesiredAtomVersion[];
  problems: PinProblem[];
  /** The pin folders that do not exist at this commit (their pins count as absent). */
  missingPaths: string[];
}

export async function readPinsAtCommit(
  repository: GitRepository,
  sha: string,
  paths: readonly string[],
): Promise<PinsAtCommit> {
  const present: string[] = [];
  const missingPaths: string[] = [];
  for (const path of paths) {
    if (await repository.exists(sha, path)) present.push(path);
    else missingPaths.push(path);
  }
  if (present.length === 0) return { sha, desired: [], problems: [], missingPaths };
  const files = (await repository.listFiles(sha, present)).filter((file) => isPinFile(file, present));
  const exportDir = await mkdtemp(join(tmpdir(), 'atomsync-pr-'));
  try {
    await repository.exportFiles(files, exportDir);
    const roots = present.map((path) => (path === '' ? exportDir : join(exportDir, ...path.split('/'))));
    const { desired, problems } = await loadPins(roots, {
      origin: { source: 'git', revision: sha },
      relativeTo: exportDir,
    });
    return { sha, desired, problems, missingPaths };
  } finally {
    await rm(exportDir, { recursive: true, force: true });
  }
}

/** YAML files, nothing hidden below the pin folder (the same files the directory source reads). */
function isPinFile(file: TreeFile, roots: readonly string[]): boolean {
  if (!/\.ya?ml$/i.test(file.path)) return false;
  const root = roots.find((path) => path === '' || file.path === path || file.path.startsWith(`${path}/`));
  if (root === undefined) return false;
  if (file.path === root) return true;
  const below = root === '' ? file.path : file.path.slice(root.length + 1);
  return !below.split('/').some((segment) => segment.startsWith('.') || segment === '');
}
