// Which folders of the repository hold the pins: the --path flags (relative to the repository's top
// folder), or else the config's directory sources (their absolute paths made relative to the
// repository), or else the git sources' paths.

import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import type { AtomsyncConfig } from '../config/types.js';
import { PrReportError } from './pr-error.js';

export async function pinPathsInRepository(
  given: readonly string[],
  config: AtomsyncConfig,
  repositoryRoot: string,
): Promise<string[]> {
  if (given.length > 0) return unique(given.map(normalizeRepoPath));
  const directories = config.sources.flatMap((source) => (source.kind === 'directory' ? [source.path] : []));
  if (directories.length > 0) {
    const root = await canonical(repositoryRoot);
    const paths: string[] = [];
    for (const directory of directories) paths.push(insideRepository(await canonical(directory), root));
    return unique(paths);
  }
  const gitPaths = config.sources.flatMap((source) => (source.kind === 'git' ? [source.path] : []));
  if (gitPaths.length > 0) return unique(gitPaths.map(normalizeRepoPath));
  throw new PrReportError(
    'NoPinPath',
    'the config has no directory or git source to say where the pins are; pass --path DIR (the pins folder inside the repository)',
  );
}

/** `./pins/` → `pins`; `.` → '' (the whole repository). Refuses paths that leave the repository. */
function normalizeRepoPath(path: string): string {
  const parts = path
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.');
  if (parts.includes('..') || isAbsolute(path)) {
    throw new PrReportError(
      'PinPathOutsideRepository',
      `--path ${path} must be a folder inside the repository, relative to its top folder`,
    );
  }
  return parts.join('/');
}

function insideRepository(directory: string, root: string): string {
  const inside = relative(root, directory);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new PrReportError(
      'PinPathOutsideRepository',
      `the config's pin folder ${directory} is not inside the repository ${root}; pass --repo or --path`,
    );
  }
  return inside.split(sep).join('/');
}

/** The real path (symlinks resolved, as git reports the top folder), also for a folder that is gone. */
async function canonical(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(await canonical(parent), basename(path));
  }
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
