// The AtomVersion pins as committed: the YAML files under the pin folders at one commit, read straight
// from git objects and loaded in memory, every problem naming the file as it is in the repository
// (`pins/prod.yaml:12:7`).

import type { DesiredAtomVersion } from '../domain/types.js';
import { DEFAULT_MAX_FILE_BYTES, loadPinContents, type PinProblem } from '../sources/load-pins.js';
import type { FileNamespace } from '../sources/source-namespaces.js';
import type { GitRepository, TreeFile } from './git-repository.js';

/** The namespace the config's sources give a repository file; undefined: the file's own. */
export type NamespaceOfFile = (file: string) => FileNamespace | undefined;

export interface PinsAtCommit {
  sha: string;
  desired: DesiredAtomVersion[];
  problems: PinProblem[];
  /** The pin folders that do not exist at this commit (their pins count as absent). */
  missingPaths: string[];
}

/** Two git processes for any number of files: one listing, one reading the blobs not read before. */
export async function readPinsAtCommit(
  repository: GitRepository,
  sha: string,
  paths: readonly string[],
  namespaceOf: NamespaceOfFile = () => undefined,
): Promise<PinsAtCommit> {
  const listed = await repository.listFiles(sha, paths);
  const missingPaths: string[] = [];
  for (const path of paths) {
    // Only a path with nothing listed under it can be missing (git keeps no empty folders).
    if (listed.some((file) => isUnder(file.path, path))) continue;
    if (!(await repository.exists(sha, path))) missingPaths.push(path);
  }
  const present = paths.filter((path) => !missingPaths.includes(path));
  if (present.length === 0) return { sha, desired: [], problems: [], missingPaths };
  const files = listed.filter((file) => isPinFile(file, present));
  const contents = await repository.readFiles(sha, files, DEFAULT_MAX_FILE_BYTES);
  const placed = contents.map((content) => {
    const namespace = namespaceOf(content.file);
    return namespace ? { ...content, namespace } : content;
  });
  const { desired, problems } = loadPinContents(
    placed,
    { origin: { source: 'git', revision: sha } },
    repository.parsed,
  );
  return { sha, desired, problems, missingPaths };
}

function isUnder(file: string, path: string): boolean {
  return path === '' || file === path || file.startsWith(`${path}/`);
}

/** YAML files, nothing hidden below the pin folder (the same files the directory source reads). */
function isPinFile(file: TreeFile, roots: readonly string[]): boolean {
  if (!/\.ya?ml$/i.test(file.path)) return false;
  const root = roots.find((path) => isUnder(file.path, path));
  if (root === undefined) return false;
  if (file.path === root) return true;
  const below = root === '' ? file.path : file.path.slice(root.length + 1);
  return !below.split('/').some((segment) => segment.startsWith('.') || segment === '');
}
