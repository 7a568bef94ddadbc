// Which folders of the repository hold the pins: the --path flags (relative to the repository's top
// folder), or else the config's directory sources (their absolute paths made relative to the
// repository), or else the git sources' paths.

import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { fileSourceNamespaces } from '../config/file-source-namespaces.js';
import type { AtomsyncConfig } from '../config/types.js';
import { namespaceOfFile, pathInside, type SourceNamespaces } from '../sources/source-namespaces.js';
import type { NamespaceOfFile } from './pins-at-commit.js';
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

/**
 * The namespace of each pin file, as `run` would give it: by the configured source (a directory source
 * made relative to the repository, or a git source's path) that holds the file — the deepest one. With
 * tenancy, every pin folder must belong to a source: a file must not pick its own namespace.
 */
export async function pinNamespacesInRepository(
  paths: readonly string[],
  config: AtomsyncConfig,
  repositoryRoot: string,
): Promise<NamespaceOfFile> {
  const root = await canonical(repositoryRoot);
  const sources: { path: string; rules: SourceNamespaces }[] = [];
  for (const source of config.sources) {
    if (source.kind === 'directory') {
      const inside = relative(root, await canonical(source.path));
      if (inside.startsWith('..') || isAbsolute(inside)) continue;
      sources.push({ path: inside.split(sep).join('/'), rules: fileSourceNamespaces(config, source) });
    }
    if (source.kind === 'git') {
      sources.push({ path: normalizeRepoPath(source.path), rules: fileSourceNamespaces(config, source) });
    }
  }
  const holding = (file: string) =>
    sources
      .filter((source) => source.path === '' || file === source.path || file.startsWith(`${source.path}/`))
      .sort((a, b) => b.path.length - a.path.length)[0];
  const orphan = paths.find((path) => holding(path) === undefined);
  if (orphan !== undefined && config.tenancy) {
    throw new PrReportError(
      'PinPathNotASource',
      `${describe(orphan)} is not in a configured directory or git source, and with tenancy a pin's namespace comes from its source, not from the file: add the folder to sources (with its namespace) or pass --path with a source's folder`,
    );
  }
  return (file) => {
    const source = holding(file);
    return source && namespaceOfFile(source.rules, pathInside(source.path, file));
  };
}

function describe(path: string): string {
  return path === '' ? 'the top of the repository' : `--path ${path}`;
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
